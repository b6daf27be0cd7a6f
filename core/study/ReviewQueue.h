#pragma once
// A review queue: the maps that most need a radiologist's second look first, so that their time
// goes where readers or measures disagree (reader studies, issue 17).
//
//   for (const ReviewItem& item : reviewQueue(project, ReviewOrder::ReaderDisagreement)) ...
//
// Orders:
//  - ReaderDisagreement: maps two or more annotators judged, by the share of their verdicts outside
//    the most common one (0 when all agree; three readers split 2:1 give 1/3), most first.
//  - ReaderVersusPointing: maps judged correct or incorrect and measured by the pointing game (the
//    map's peak inside the tumour mask), by the share of verdicts that contradict it, most first.
//  - LowMaskAgreement: maps with a mask IoU, lowest first.
// Ties go by scan path, network and method, so a queue is the same on every run. Maps that give an
// order nothing to rank (no verdict, no mask) are not in its queue.
#include <cstdint>
#include <string>
#include <vector>

#include "study/CsvTable.h"
#include "study/ProjectDatabase.h"

namespace saliency::study {

enum class ReviewOrder { ReaderDisagreement, ReaderVersusPointing, LowMaskAgreement };
std::string reviewOrderName(ReviewOrder order);         // "reader-disagreement", ...
ReviewOrder parseReviewOrder(const std::string& name);  // throws Error naming the three

struct ReviewItem {
    std::string scan;     // path relative to the data root
    std::string network;  // the model's name in the project
    std::int64_t modelId = 0;
    std::string method;  // "gradcam", ...
    double score = 0;    // the order's key: a share of verdicts, or 1 - mask IoU
    std::string reason;  // "2 correct, 1 incorrect", "peak outside the mask; judged correct by 2 of 3"
};

std::vector<ReviewItem> reviewQueue(ProjectDatabase& project, ReviewOrder order);

// The three queues in one table (report's review_queue.csv): order, rank, scan, network, method,
// score, reason.
CsvTable reviewQueueCsv(ProjectDatabase& project);

}  // namespace saliency::study
