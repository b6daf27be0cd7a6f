#include "cli/Arguments.h"

#include <algorithm>
#include <charconv>

namespace saliency::cli {

Arguments::Arguments(const std::vector<std::string>& args, const std::set<std::string>& flags) {
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg.rfind("--", 0) != 0 || arg.size() < 3)
            throw UsageError("unexpected argument '" + arg + "'");
        std::string name = arg.substr(2);
        std::optional<std::string> inlineValue;
        if (const auto eq = name.find('='); eq != std::string::npos) {
            inlineValue = name.substr(eq + 1);
            name.resize(eq);
        }
        if (flags.count(name)) {
            if (inlineValue)
                throw UsageError("--" + name + " takes no value");
            options_[name].push_back("1");
        } else if (inlineValue) {
            options_[name].push_back(*inlineValue);
        } else {
            if (i + 1 >= args.size())
                throw UsageError("--" + name + " needs a value");
            options_[name].push_back(args[++i]);
        }
    }
}

std::optional<std::string> Arguments::value(const std::string& name) {
    used_.insert(name);
    const auto it = options_.find(name);
    if (it == options_.end())
        return std::nullopt;
    if (it->second.size() > 1)
        throw UsageError("--" + name + " given more than once");
    return it->second.front();
}

std::string Arguments::required(const std::string& name) {
    auto v = value(name);
    if (!v || v->empty())
        throw UsageError("--" + name + " is required");
    return *v;
}

std::vector<std::string> Arguments::values(const std::string& name) {
    used_.insert(name);
    const auto it = options_.find(name);
    return it == options_.end() ? std::vector<std::string>{} : it->second;
}

std::vector<std::string> Arguments::list(const std::string& name) {
    std::vector<std::string> out;
    for (const auto& value : values(name)) {
        std::size_t start = 0;
        while (start <= value.size()) {
            const auto comma = std::min(value.find(',', start), value.size());
            if (comma > start)
                out.push_back(value.substr(start, comma - start));
            start = comma + 1;
        }
    }
    return out;
}

bool Arguments::flag(const std::string& name) {
    used_.insert(name);
    return options_.count(name) > 0;
}

int Arguments::integer(const std::string& name, int fallback, int min, int max) {
    const auto v = value(name);
    if (!v)
        return fallback;
    int parsed = 0;
    const auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), parsed);
    if (ec != std::errc() || end != v->data() + v->size() || parsed < min || parsed > max) {
        throw UsageError("--" + name + " must be a whole number from " + std::to_string(min) + " to " +
                         std::to_string(max) + " (got '" + *v + "')");
    }
    return parsed;
}

std::uint64_t Arguments::unsignedInteger(const std::string& name, std::uint64_t fallback) {
    const auto v = value(name);
    if (!v)
        return fallback;
    std::uint64_t parsed = 0;
    const auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), parsed);
    if (ec != std::errc() || end != v->data() + v->size()) {
        throw UsageError("--" + name + " must be a non-negative whole number (got '" + *v + "')");
    }
    return parsed;
}

double Arguments::real(const std::string& name, double fallback, double min, double max) {
    const auto v = value(name);
    if (!v)
        return fallback;
    double parsed = 0;
    const auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), parsed);
    if (ec != std::errc() || end != v->data() + v->size() || !(parsed >= min && parsed <= max)) {
        throw UsageError("--" + name + " must be a number from " + std::to_string(min) + " to " +
                         std::to_string(max) + " (got '" + *v + "')");
    }
    return parsed;
}

void Arguments::rejectUnused() const {
    for (const auto& [name, vals] : options_) {
        if (!used_.count(name))
            throw UsageError("unknown option --" + name);
    }
}

}  // namespace saliency::cli
