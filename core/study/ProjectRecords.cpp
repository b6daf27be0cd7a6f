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

std::string truthName(TruthSource source) {
    switch (source) {
        case TruthSource::Mask:
            return "mask";
        case TruthSource::Box:
            return "box";
        case TruthSource::Point:
            return "point";
    }
    return "mask";
}

std::optional<TruthSource> parseTruth(std::string_view name) {
    for (const TruthSource t : {TruthSource::Mask, TruthSource::Box, TruthSource::Point}) {
        if (name == truthName(t))
            return t;
    }
    return std::nullopt;
}

}  // namespace saliency::study
