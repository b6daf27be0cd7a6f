#include "saliency/Method.h"

#include <algorithm>
#include <cctype>

#include "common/Error.h"

namespace saliency::explain {

std::string methodName(Method method) {
    switch (method) {
        case Method::Cam:
            return "cam";
        case Method::GradCam:
            return "gradcam";
        case Method::GuidedBackprop:
            return "guided-backprop";
        case Method::GuidedGradCam:
            return "guided-gradcam";
    }
    return "unknown";
}

std::string methodTitle(Method method) {
    switch (method) {
        case Method::Cam:
            return "CAM";
        case Method::GradCam:
            return "Grad-CAM";
        case Method::GuidedBackprop:
            return "Guided Backprop";
        case Method::GuidedGradCam:
            return "Guided Grad-CAM";
    }
    return "unknown";
}

std::optional<Method> parseMethod(const std::string& name) {
    std::string key;
    for (const char ch : name) {
        const auto c = static_cast<unsigned char>(ch);
        if (std::isalnum(c))
            key += static_cast<char>(std::tolower(c));
        else if (ch != '-' && ch != '_' && ch != ' ')
            return std::nullopt;
    }
    if (key == "cam")
        return Method::Cam;
    if (key == "gradcam")
        return Method::GradCam;
    if (key == "guidedbackprop" || key == "guidedbackpropagation" || key == "gbp")
        return Method::GuidedBackprop;
    if (key == "guidedgradcam" || key == "ggc")
        return Method::GuidedGradCam;
    return std::nullopt;
}

std::vector<Method> allMethods() {
    return {Method::Cam, Method::GradCam, Method::GuidedBackprop, Method::GuidedGradCam};
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
        const std::string item =
            list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        std::string trimmed = item;
        trimmed.erase(0, trimmed.find_first_not_of(' '));
        trimmed.erase(trimmed.find_last_not_of(' ') + 1);
        if (trimmed == "all") {
            for (const auto m : allMethods())
                add(m);
        } else if (const auto m = parseMethod(trimmed)) {
            add(*m);
        } else {
            throw Error("unknown saliency method \"" + trimmed +
                        "\" (choose cam, gradcam, guided-backprop, guided-gradcam or all)");
        }
        if (comma == std::string::npos)
            break;
        start = comma + 1;
    }
    return out;
}

bool isChannelMap(Method method) {
    return method == Method::GuidedBackprop || method == Method::GuidedGradCam;
}

}  // namespace saliency::explain
