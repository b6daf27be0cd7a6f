#include "models/ModelZoo.h"

#include <algorithm>
#include <cctype>

#include <ATen/Context.h>

#include "common/Error.h"
#include "models/Cnn4.h"
#include "models/EfficientNet.h"
#include "models/ResNet50.h"
#include "models/Vgg16.h"

namespace saliency::models {

std::vector<std::string> architectures() {
    std::vector<std::string> names{"cnn4", "vgg16", "resnet50"};
    for (int i = 0; i <= 7; ++i)
        names.push_back("efficientnet-b" + std::to_string(i));
    return names;
}

std::optional<std::string> canonicalArchitecture(const std::string& name) {
    std::string s = name;
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::replace(s.begin(), s.end(), '_', '-');
    const auto known = architectures();
    if (std::find(known.begin(), known.end(), s) != known.end())
        return s;
    return std::nullopt;
}

Classifier makeModel(const std::string& architecture, const ModelOptions& options) {
    const auto arch = canonicalArchitecture(architecture);
    if (!arch) {
        std::string known;
        for (const auto& n : architectures())
            known += (known.empty() ? "" : ", ") + n;
        throw Error("unknown architecture \"" + architecture + "\" (known: " + known + ")");
    }
    if (options.numClasses < 1)
        throw Error(*arch + ": the number of classes must be positive, got " +
                    std::to_string(options.numClasses));
    if (options.dropout && (*options.dropout < 0.0 || *options.dropout >= 1.0))
        throw Error(*arch + ": dropout must lie in [0, 1), got " + std::to_string(*options.dropout));
    if (options.seed)
        at::manual_seed(*options.seed);

    if (*arch == "cnn4") {
        Cnn4Options o;
        o.num_classes(options.numClasses);
        if (options.dropout)
            o.dropout(*options.dropout);
        return Classifier(std::shared_ptr<ClassifierImpl>(std::make_shared<Cnn4Impl>(o)));
    }
    if (*arch == "vgg16") {
        Vgg16Options o;
        o.num_classes(options.numClasses);
        if (options.dropout)
            o.dropout(*options.dropout);
        return Classifier(std::shared_ptr<ClassifierImpl>(std::make_shared<Vgg16Impl>(o)));
    }
    if (*arch == "resnet50") {
        ResNet50Options o;
        o.num_classes(options.numClasses);
        if (options.dropout)
            o.dropout(*options.dropout);
        return Classifier(std::shared_ptr<ClassifierImpl>(std::make_shared<ResNet50Impl>(o)));
    }
    EfficientNetOptions o(arch->back() - '0');
    o.num_classes(options.numClasses);
    o.dropout(options.dropout);
    return Classifier(std::shared_ptr<ClassifierImpl>(std::make_shared<EfficientNetImpl>(o)));
}

Classifier makeModel(const std::string& architecture, std::int64_t numClasses) {
    ModelOptions options;
    options.numClasses = numClasses;
    return makeModel(architecture, options);
}

}  // namespace saliency::models
