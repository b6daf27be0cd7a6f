#include "study/ReviewQueue.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>
#include <optional>
#include <tuple>

#include "common/Error.h"

namespace saliency::study {
namespace {

using MapKey = std::tuple<std::int64_t, std::int64_t, std::string>;  // scan, model, method

struct Names {
    std::map<std::int64_t, std::string> scans, models;
};

Names namesOf(ProjectDatabase& project) {
    Names names;
    for (const auto& s : project.scans())
        names.scans[s.id] = s.path;
    for (const auto& m : project.models())
        names.models[m.id] = m.name;
    return names;
}

// Verdict counts per map, in Verdict order.
std::map<MapKey, std::array<int, 3>> verdictCounts(ProjectDatabase& project) {
    std::map<MapKey, std::array<int, 3>> counts;
    for (const auto& a : project.annotations())
        ++counts[{a.key.scanId, a.key.modelId, a.key.method}][static_cast<std::size_t>(a.verdict)];
    return counts;
}

std::string countsText(const std::array<int, 3>& c) {
    std::string text;
    for (std::size_t v = 0; v < c.size(); ++v) {
        if (c[v] == 0)
            continue;
        text +=
            (text.empty() ? "" : ", ") + std::to_string(c[v]) + " " + verdictName(static_cast<Verdict>(v));
    }
    return text;
}

ReviewItem itemFor(const Names& names, const MapKey& key, double score, std::string reason) {
    const auto name = [](const std::map<std::int64_t, std::string>& m, std::int64_t id) {
        const auto it = m.find(id);
        if (it == m.end())
            throw Error("the project is damaged: a mark refers to id " + std::to_string(id) +
                        ", which is not in it");
        return it->second;
    };
    return {.scan = name(names.scans, std::get<0>(key)),
            .network = name(names.models, std::get<1>(key)),
            .modelId = std::get<1>(key),
            .method = std::get<2>(key),
            .score = score,
            .reason = std::move(reason)};
}

std::vector<ReviewItem> byDisagreement(ProjectDatabase& project, const Names& names) {
    std::vector<ReviewItem> items;
    for (const auto& [key, c] : verdictCounts(project)) {
        const int total = c[0] + c[1] + c[2];
        if (total < 2)
            continue;
        const int most = *std::max_element(c.begin(), c.end());
        items.push_back(itemFor(names, key, 1.0 - static_cast<double>(most) / total, countsText(c)));
    }
    return items;
}

std::vector<ReviewItem> byPointing(ProjectDatabase& project, const Names& names) {
    std::map<MapKey, bool> hits;
    for (const auto& m : project.maps()) {
        if (m.measures.pointingHit)
            hits[{m.scanId, m.modelId, m.method}] = *m.measures.pointingHit;
    }
    std::vector<ReviewItem> items;
    for (const auto& [key, c] : verdictCounts(project)) {
        const auto hit = hits.find(key);
        const int judged = c[0] + c[1];  // unsure says nothing about the peak
        if (hit == hits.end() || judged == 0)
            continue;
        const int against = hit->second ? c[1] : c[0];
        items.push_back(itemFor(names, key, static_cast<double>(against) / judged,
                                std::string(hit->second ? "peak inside the mask" : "peak outside the mask") +
                                    "; " + countsText(c)));
    }
    return items;
}

std::vector<ReviewItem> byMaskIou(ProjectDatabase& project, const Names& names) {
    std::vector<ReviewItem> items;
    for (const auto& m : project.maps()) {
        if (!m.measures.maskIou)
            continue;
        char reason[48];
        std::snprintf(reason, sizeof reason, "mask IoU %.2f", *m.measures.maskIou);
        items.push_back(itemFor(names, {m.scanId, m.modelId, m.method}, 1.0 - *m.measures.maskIou, reason));
    }
    return items;
}

}  // namespace

std::string reviewOrderName(ReviewOrder order) {
    switch (order) {
        case ReviewOrder::ReaderDisagreement:
            return "reader-disagreement";
        case ReviewOrder::ReaderVersusPointing:
            return "reader-vs-pointing";
        case ReviewOrder::LowMaskAgreement:
            return "low-mask-iou";
    }
    return "?";
}

ReviewOrder parseReviewOrder(const std::string& name) {
    for (const auto order : {ReviewOrder::ReaderDisagreement, ReviewOrder::ReaderVersusPointing,
                             ReviewOrder::LowMaskAgreement}) {
        if (reviewOrderName(order) == name)
            return order;
    }
    throw Error("unknown review order '" + name +
                "' (reader-disagreement, reader-vs-pointing or low-mask-iou)");
}

std::vector<ReviewItem> reviewQueue(ProjectDatabase& project, ReviewOrder order) {
    const Names names = namesOf(project);
    std::vector<ReviewItem> items = order == ReviewOrder::ReaderDisagreement ? byDisagreement(project, names)
                                    : order == ReviewOrder::ReaderVersusPointing ? byPointing(project, names)
                                                                                 : byMaskIou(project, names);
    // Nothing to review where readers and measures agree.
    if (order != ReviewOrder::LowMaskAgreement)
        std::erase_if(items, [](const ReviewItem& item) { return item.score <= 0; });
    std::stable_sort(items.begin(), items.end(), [](const ReviewItem& a, const ReviewItem& b) {
        if (a.score != b.score)
            return a.score > b.score;  // most in need of review first
        return std::tie(a.scan, a.network, a.method) < std::tie(b.scan, b.network, b.method);
    });
    return items;
}

CsvTable reviewQueueCsv(ProjectDatabase& project) {
    CsvTable table({"order", "rank", "scan", "network", "method", "score", "reason"});
    for (const auto order : {ReviewOrder::ReaderDisagreement, ReviewOrder::ReaderVersusPointing,
                             ReviewOrder::LowMaskAgreement}) {
        std::size_t rank = 0;
        for (const auto& item : reviewQueue(project, order))
            table.addRow({reviewOrderName(order), csvCount(++rank), item.scan, item.network, item.method,
                          csvNumber(item.score), item.reason});
    }
    return table;
}

}  // namespace saliency::study
