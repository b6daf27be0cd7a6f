#include "study/ProjectRecords.h"

namespace saliency::study {

std::string pairKindName(PairKind kind) {
    return kind == PairKind::Models ? "models" : "methods";
}

std::string verdictName(Verdict verdict) {
    switch (verdict) {
        case Verdict::Correct:
            return "correct";
        case Verdict::Incorrect:
            return "incorrect";
        case Verdict::Unsure:
            return "unsure";
    }
    return "unsure";
}

std::optional<Verdict> parseVerdict(std::string_view name) {
    for (const Verdict v : {Verdict::Correct, Verdict::Incorrect, Verdict::Unsure}) {
        if (name == verdictName(v))
            return v;
    }
    return std::nullopt;
}

}  // namespace saliency::study
