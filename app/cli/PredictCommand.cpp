#include <iomanip>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/Arguments.h"
#include "cli/Commands.h"
#include "cli/ModelArguments.h"
#include "io/ScanReader.h"
#include "models/Inference.h"
#include "models/TorchThreads.h"

namespace saliency::cli {

int runPredict(const std::vector<std::string>& args) {
    Arguments a(args, {"json"});
    const std::vector<std::string> images = a.values("image");
    const bool json = a.flag("json");
    if (images.empty())
        throw UsageError("--image is required (it may be repeated)");
    models::configureTorchThreads();
    LoadedModel loaded = loadModelFromArguments(a);
    a.rejectUnused();

    nlohmann::json results = nlohmann::json::array();
    for (const auto& image : images) {
        const Scan scan = readScan(image);
        const models::Prediction p = models::predict(*loaded.model, loaded.card, {scan.rgb}).front();
        if (json) {
            results.push_back({{"image", image},
                               {"logits", p.logits},
                               {"probabilities", p.probabilities},
                               {"class", p.className},
                               {"class_index", p.classIndex}});
        } else {
            std::cout << image << ": " << p.className << " (p = " << std::fixed << std::setprecision(3)
                      << p.probabilities[static_cast<size_t>(p.classIndex)] << ")\n";
        }
    }
    if (json)
        std::cout << (results.size() == 1 ? results.front() : results).dump(2) << "\n";
    return 0;
}

}  // namespace saliency::cli
