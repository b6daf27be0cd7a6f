#include "study/ReaderStudy.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <set>
#include <sstream>
#include <tuple>

#include "common/Error.h"
#include "data/Random.h"
#include "study/ReportText.h"

namespace saliency::study {

namespace {

constexpr std::uint64_t kBelow63 = (std::uint64_t{1} << 63) - 1;
// Streams of the study's seed: which scans, which letter each network and method gets.
constexpr std::uint64_t kScanStream = 0x5ca5;
constexpr std::uint64_t kLabelStream = 0x1abe;

template <class T>
void shuffle(std::vector<T>& values, Rng& rng) {  // Fisher-Yates, portable (std::shuffle is not)
    for (std::size_t i = values.size(); i > 1; --i)
        std::swap(values[i - 1], values[static_cast<std::size_t>(rng.uniformInt(0, static_cast<int>(i - 1)))]);
}

// 0 -> "A", 25 -> "Z", 26 -> "AA", ...
std::string letterLabel(std::size_t index) {
    std::string label;
    for (std::size_t n = index + 1; n > 0; n = (n - 1) / 26)
        label.insert(label.begin(), static_cast<char>('A' + (n - 1) % 26));
    return label;
}

void validate(const ReaderStudyPlan& plan) {
    if (plan.name.empty())
        throw Error("a reader study needs a name");
    if (plan.readers.empty())
        throw Error("a reader study needs at least one reader");
    std::set<std::string> seen;
    for (const auto& reader : plan.readers) {
        if (reader.empty())
            throw Error("a reader's name is empty");
        if (!seen.insert(reader).second)
            throw Error("reader " + reader + " is named twice");
    }
    if (!(plan.repeatShare >= 0.0 && plan.repeatShare <= 0.5))
        throw Error("the share of repeated maps must be between 0 and 0.5, not " + std::to_string(plan.repeatShare));
    if (plan.seed > kBelow63)
        throw Error("the seed must be below 2^63");
}

std::map<std::string, std::int64_t> modelIds(ProjectDatabase& project, const std::vector<std::string>& wanted) {
    std::map<std::string, std::int64_t> byName;
    std::string known;
    for (const auto& model : project.models()) {
        byName[model.name] = model.id;
        known += (known.empty() ? "" : ", ") + model.name;
    }
    if (wanted.empty())
        return byName;
    std::map<std::string, std::int64_t> chosen;
    for (const auto& name : wanted) {
        const auto found = byName.find(name);
        if (found == byName.end())
            throw Error("no network " + name + " in the project (it has: " + (known.empty() ? "none" : known) + ")");
        chosen.insert(*found);
    }
    return chosen;
}

// The study's maps: one per (scan, network, method), the predicted class's where there are several.
std::vector<MapRecord> studyMaps(ProjectDatabase& project, const ReaderStudyPlan& plan) {
    const auto models = modelIds(project, plan.models);
    std::set<std::int64_t> modelSet;
    for (const auto& [name, id] : models)
        modelSet.insert(id);
    const std::set<std::string> methods(plan.methods.begin(), plan.methods.end());
    std::map<std::pair<std::int64_t, std::int64_t>, int> predicted;
    for (const auto& p : project.predictions())
        predicted[{p.scanId, p.modelId}] = p.predictedClass;

    std::map<std::tuple<std::int64_t, std::int64_t, std::string>, MapRecord> chosen;
    std::set<std::string> methodsFound;
    for (const auto& map : project.maps()) {
        if (!map.available || map.empty || !modelSet.count(map.modelId))
            continue;
        if (!methods.empty() && !methods.count(map.method))
            continue;
        methodsFound.insert(map.method);
        const auto key = std::make_tuple(map.scanId, map.modelId, map.method);
        const auto wanted = predicted.find({map.scanId, map.modelId});
        const bool isPredicted = wanted != predicted.end() && wanted->second == map.targetClass;
        const auto stored = chosen.find(key);
        if (stored == chosen.end() || (isPredicted && stored->second.targetClass != wanted->second))
            chosen[key] = map;
    }
    for (const auto& method : methods)
        if (!methodsFound.count(method))
            throw Error("the project has no maps of method " + method + " for these networks (run a study first)");
    std::vector<MapRecord> maps;
    for (auto& [key, map] : chosen)
        maps.push_back(std::move(map));
    if (maps.empty())
        throw Error("the project has no maps to judge (run a study, or record maps in the app, first)");
    return maps;
}

std::vector<MapRecord> drawScans(std::vector<MapRecord> maps, std::size_t scans, std::uint64_t seed) {
    std::vector<std::int64_t> ids;
    for (const auto& map : maps)
        ids.push_back(map.scanId);
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    if (scans == 0 || scans >= ids.size())
        return maps;
    Rng rng(Rng::mix(seed, kScanStream));
    shuffle(ids, rng);
    const std::set<std::int64_t> kept(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(scans));
    std::erase_if(maps, [&](const MapRecord& m) { return !kept.count(m.scanId); });
    return maps;
}

// The blinded label of each (network, method), drawn with the study's seed.
std::map<std::pair<std::int64_t, std::string>, std::string> labels(const std::vector<MapRecord>& maps,
                                                                   std::uint64_t seed) {
    std::set<std::pair<std::int64_t, std::string>> pairs;
    for (const auto& map : maps)
        pairs.emplace(map.modelId, map.method);
    std::vector<std::pair<std::int64_t, std::string>> order(pairs.begin(), pairs.end());
    Rng rng(Rng::mix(seed, kLabelStream));
    shuffle(order, rng);
    std::map<std::pair<std::int64_t, std::string>, std::string> out;
    for (std::size_t i = 0; i < order.size(); ++i)
        out[order[i]] = letterLabel(i);
    return out;
}

std::vector<ReaderSessionRecord> sessionsOf(ProjectDatabase& project, const std::string& study) {
    std::vector<ReaderSessionRecord> out;
    for (auto& s : project.readerSessions())
        if (s.study == study)
            out.push_back(std::move(s));
    if (out.empty())
        throw Error("no reader study '" + study + "' in the project");
    return out;
}

std::size_t verdictIndex(Verdict verdict) {
    return static_cast<std::size_t>(verdict);
}

IntraReaderAgreement intraReader(const ReaderSessionRecord& session, const std::vector<ReaderItemRecord>& items) {
    IntraReaderAgreement out{session.study, session.reader, 0, 0, std::nullopt};
    std::vector<std::pair<std::size_t, std::size_t>> pairs;
    for (const auto& item : items) {
        if (!item.repeatOf || !item.verdict)
            continue;
        const auto& first = items.at(static_cast<std::size_t>(*item.repeatOf));
        if (!first.verdict)
            continue;
        pairs.emplace_back(verdictIndex(*first.verdict), verdictIndex(*item.verdict));
        out.same += *first.verdict == *item.verdict ? 1 : 0;
    }
    out.repeats = pairs.size();
    if (!pairs.empty())
        out.kappa = metrics::cohenKappa(metrics::agreementTable(pairs, 3));
    return out;
}

std::string kappaText(const IntraReaderAgreement& a) {
    if (!a.kappa)
        return a.repeats == 0 ? "no repeat judged yet" : "undefined";
    return fixed(a.kappa->kappa, 2) + " (" + fixed(a.kappa->low, 2) + " to " + fixed(a.kappa->high, 2) + ")";
}

}  // namespace

std::vector<PlannedItem> plannedOrder(std::size_t count, std::uint64_t seed, double repeatShare) {
    Rng rng(seed);
    std::vector<std::size_t> maps(count);
    std::iota(maps.begin(), maps.end(), std::size_t{0});
    shuffle(maps, rng);
    std::vector<std::size_t> repeated(count);  // positions of the first showings to show again
    std::iota(repeated.begin(), repeated.end(), std::size_t{0});
    shuffle(repeated, rng);
    repeated.resize(std::min(count, static_cast<std::size_t>(std::llround(double(count) * repeatShare))));

    // A repeat comes at least `gap` screens after its first showing, anywhere later than that.
    const std::size_t gap = std::clamp<std::size_t>(count / 3, 1, 5);
    struct Keyed {
        double key;
        std::size_t first;  // the first showing's place in `maps`
        bool repeat;
    };
    std::vector<Keyed> keyed;
    for (std::size_t i = 0; i < count; ++i)
        keyed.push_back({double(i), i, false});
    for (const std::size_t p : repeated) {
        const double earliest = double(p + gap) - 0.5;
        const double span = std::max(0.0, double(count) - earliest);
        keyed.push_back({earliest + rng.uniform() * span, p, true});
    }
    std::stable_sort(keyed.begin(), keyed.end(), [](const Keyed& a, const Keyed& b) { return a.key < b.key; });

    std::vector<int> positionOfFirst(count, -1);
    std::vector<PlannedItem> out;
    for (const auto& k : keyed) {
        if (!k.repeat)
            positionOfFirst[k.first] = static_cast<int>(out.size());
        out.push_back({maps[k.first], k.repeat ? std::optional<int>(positionOfFirst[k.first]) : std::nullopt});
    }
    return out;
}

std::uint64_t sessionSeed(std::uint64_t studySeed, std::size_t readerIndex) {
    return Rng::mix(studySeed, readerIndex + 1) & kBelow63;
}

std::vector<std::int64_t> createReaderStudy(ProjectDatabase& project, const ReaderStudyPlan& plan) {
    validate(plan);
    for (const auto& session : project.readerSessions())
        if (session.study == plan.name)
            throw Error("the project already has a reader study '" + plan.name + "': choose another name");
    const auto maps = drawScans(studyMaps(project, plan), plan.scans, plan.seed);
    const auto key = labels(maps, plan.seed);

    auto transaction = project.transaction();  // the whole study or none of it
    std::vector<std::int64_t> ids;
    for (std::size_t r = 0; r < plan.readers.size(); ++r) {
        const ReaderSessionRecord session{.study = plan.name,
                                          .reader = plan.readers[r],
                                          .seed = sessionSeed(plan.seed, r),
                                          .repeatShare = plan.repeatShare};
        std::vector<ReaderItemRecord> items;
        for (const auto& planned : plannedOrder(maps.size(), session.seed, plan.repeatShare)) {
            const MapRecord& map = maps[planned.map];
            ReaderItemRecord item;
            item.position = static_cast<int>(items.size());
            item.mapId = map.id;
            item.label = key.at({map.modelId, map.method});
            item.repeatOf = planned.repeatOf;
            items.push_back(std::move(item));
        }
        ids.push_back(project.addReaderSession(session, items));
    }
    transaction.commit();
    return ids;
}

std::optional<std::size_t> nextUnjudged(const std::vector<ReaderItemRecord>& items) {
    for (std::size_t i = 0; i < items.size(); ++i)
        if (!items[i].verdict)
            return i;
    return std::nullopt;
}

void recordJudgement(ProjectDatabase& project, const ReaderSessionRecord& session, const ReaderItemRecord& item,
                     Verdict verdict, int confidence, const std::string& note, double seconds) {
    auto transaction = project.transaction();
    project.setReaderJudgement(session.id, item.position, verdict, confidence, note, seconds);
    if (!item.repeatOf)
        project.setAnnotation({{item.scanId, item.modelId, item.method, session.reader}, verdict, note, {}});
    transaction.commit();
}

std::vector<IntraReaderAgreement> intraReaderAgreement(ProjectDatabase& project) {
    std::vector<IntraReaderAgreement> out;
    for (const auto& session : project.readerSessions())
        out.push_back(intraReader(session, project.readerItems(session.id)));
    return out;
}

CsvTable readerStudyCsv(ProjectDatabase& project, const std::string& study) {
    std::map<std::int64_t, std::string> networks;
    for (const auto& model : project.models())
        networks[model.id] = model.name;
    CsvTable table({"study", "reader", "position", "label", "scan", "network", "method", "repeat_of", "verdict",
                    "confidence", "seconds", "note", "time"});
    for (const auto& session : sessionsOf(project, study)) {
        for (const auto& item : project.readerItems(session.id)) {
            table.addRow({session.study, session.reader, std::to_string(item.position + 1), item.label,
                          item.scanPath, networks[item.modelId], item.method,
                          item.repeatOf ? std::to_string(*item.repeatOf + 1) : "",
                          item.verdict ? verdictName(*item.verdict) : "",
                          item.confidence ? std::to_string(*item.confidence) : "", csvNumber(item.seconds), item.note,
                          item.time.value_or("")});
        }
    }
    return table;
}

std::string readerStudyProtocol(ProjectDatabase& project, const std::string& study) {
    const auto sessions = sessionsOf(project, study);
    std::map<std::int64_t, std::string> networks;
    for (const auto& model : project.models())
        networks[model.id] = model.name;
    const auto firstItems = project.readerItems(sessions.front().id);
    std::set<std::int64_t> scans, maps;
    std::map<std::string, std::pair<std::string, std::string>> key;  // label -> (network, method)
    std::size_t repeats = 0;
    for (const auto& item : firstItems) {
        scans.insert(item.scanId);
        maps.insert(item.mapId);
        key[item.label] = {networks[item.modelId], item.method};
        repeats += item.repeatOf ? 1 : 0;
    }

    std::ostringstream md;
    md << "# Reader study " << markdownText(study) << "\n\n";
    md << "- Maps: " << maps.size() << " (" << scans.size() << " scans x " << key.size()
       << " networks and methods), one per scan, network and method, for the predicted class\n";
    md << "- Shown again, unannounced: " << repeats << " per reader (share "
       << fixed(sessions.front().repeatShare, 2) << ")\n";
    md << "- Each reader sees the maps in their own random order (the seeds below); network and method are "
          "hidden behind the labels until the key below is opened\n\n";
    md << "## Readers\n\n";
    markdownHeader(md, {"Reader", "Order seed", "Created", "Judged", "Repeats judged", "Same verdict",
                        "Intra-reader kappa (95% CI)"});
    for (const auto& session : sessions) {
        const auto agreement = intraReader(session, project.readerItems(session.id));
        markdownRow(md, {markdownText(session.reader), std::to_string(session.seed), session.created,
                         std::to_string(session.judged) + " of " + std::to_string(session.items),
                         std::to_string(agreement.repeats), std::to_string(agreement.same), kappaText(agreement)});
    }
    md << "\n## Key\n\n";
    markdownHeader(md, {"Label", "Network", "Method"});
    for (const auto& [label, what] : key)
        markdownRow(md, {label, markdownText(what.first), methodLabel(what.second)});
    return md.str();
}

}  // namespace saliency::study
