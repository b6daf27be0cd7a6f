#include "saliency/Method.h"

#include <algorithm>
#include <cctype>

#include "common/Error.h"

namespace saliency::explain {

namespace {

struct Names {
    Method method;
    const char* name;
    const char* title;
};

constexpr Names kNames[] = {
    {Method::Cam, "cam", "CAM"},
    {Method::GradCam, "gradcam", "Grad-CAM"},
    {Method::GuidedBackprop, "guided-backprop", "Guided Backprop"},
    {Method::GuidedGradCam, "guided-gradcam", "Guided Grad-CAM"},
    {Method::GradCamPlusPlus, "gradcam++", "Grad-CAM++"},
    {Method::ScoreCam, "scorecam", "Score-CAM"},
    {Method::LayerCam, "layercam", "LayerCAM"},
    {Method::SmoothGrad, "smoothgrad", "SmoothGrad"},
    {Method::IntegratedGradients, "integrated-gradients", "Integrated Gradients"},
};

const Names* namesOf(Method method) {
    for (const auto& n : kNames)
        if (n.method == method)
            return &n;
    return nullptr;
}

// Lower case, separators dropped, '+' spelt "plus": "Grad-CAM++" -> "gradcamplusplus".
std::optional<std::string> canonicalKey(const std::string& name) {
    std::string key;
    for (const char ch : name) {
        const auto c = static_cast<unsigned char>(ch);
        if (std::isalnum(c))
            key += static_cast<char>(std::tolower(c));
        else if (ch == '+')
            key += "plus";
        else if (ch != '-' && ch != '_' && ch != ' ')
            return std::nullopt;
    }
    return key;
}

}  // namespace

std::string methodName(Method method) {
    const auto* n = namesOf(method);
    return n ? n->name : "unknown";
}

std::string methodTitle(Method method) {
    const auto* n = namesOf(method);
    return n ? n->title : "unknown";
}

std::optional<Method> parseMethod(const std::string& name) {
    const auto key = canonicalKey(name);
    if (!key)
        return std::nullopt;
    if (*key == "cam")
        return Method::Cam;
    if (*key == "gradcam")
        return Method::GradCam;
    if (*key == "guidedbackprop" || *key == "guidedbackpropagation" || *key == "gbp")
        return Method::GuidedBackprop;
    if (*key == "guidedgradcam" || *key == "ggc")
        return Method::GuidedGradCam;
    if (*key == "gradcamplusplus" || *key == "gradcampp")
        return Method::GradCamPlusPlus;
    if (*key == "scorecam")
        return Method::ScoreCam;
    if (*key == "layercam")
        return Method::LayerCam;
    if (*key == "smoothgrad")
        return Method::SmoothGrad;
    if (*key == "integratedgradients" || *key == "ig")
        return Method::IntegratedGradients;
    return std::nullopt;
}

std::vector<Method> allMethods() {
    return {Method::Cam, Method::GradCam, Method::GuidedBackprop, Method::GuidedGradCam};
}

std::vector<Method> extraMethods() {
    return {Method::GradCamPlusPlus, Method::ScoreCam, Method::LayerCam, Method::SmoothGrad,
            Method::IntegratedGradients};
}

std::vector<Method> parseMethods(const std::string& list) {
    std::vector<Method> out;
    auto add = [&out](Method m) {
        if (std::find(out.begin(), out.end(), m) == out.end())
            out.push_back(m);
    };
    std::size_t start = 0;
    while (start <= list.size()) {
        const auto comma = list.find(',', start);
        std::string item = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        item.erase(0, item.find_first_not_of(' '));
        item.erase(item.find_last_not_of(' ') + 1);
        if (item == "all") {
            for (const auto m : allMethods())
                add(m);
        } else if (item == "extras") {
            for (const auto m : extraMethods())
                add(m);
        } else if (const auto m = parseMethod(item)) {
            add(*m);
        } else {
            throw Error("unknown saliency method \"" + item +
                        "\" (choose cam, gradcam, guided-backprop, guided-gradcam, gradcam++, scorecam, "
                        "layercam, smoothgrad, integrated-gradients, all or extras)");
        }
        if (comma == std::string::npos)
            break;
        start = comma + 1;
    }
    return out;
}

bool isChannelMap(Method method) {
    return method == Method::GuidedBackprop || method == Method::GuidedGradCam ||
           method == Method::SmoothGrad || method == Method::IntegratedGradients;
}

bool isInputAttribution(Method method) {
    return method == Method::GuidedBackprop || method == Method::SmoothGrad ||
           method == Method::IntegratedGradients;
}

}  // namespace saliency::explain
