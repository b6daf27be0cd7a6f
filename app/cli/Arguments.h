#pragma once
// A small, strict command-line parser: "--name value" and "--flag"; repeatable options;
// anything left unused is reported so a typo never silently does nothing.
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace saliency::cli {

// A mistake in how the command was called: exit status 2 and the usage line.
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class Arguments {
  public:
    // flags: the option names that take no value (e.g. "json").
    Arguments(const std::vector<std::string>& args, const std::set<std::string>& flags);

    std::optional<std::string> value(const std::string& name);
    std::string required(const std::string& name);
    std::vector<std::string> values(const std::string& name);
    // "--readers ana,ben --readers cy": every comma-separated item of every occurrence, empty ones dropped.
    std::vector<std::string> list(const std::string& name);
    bool flag(const std::string& name);
    int integer(const std::string& name, int fallback, int min, int max);
    std::uint64_t unsignedInteger(const std::string& name, std::uint64_t fallback);
    double real(const std::string& name, double fallback, double min, double max);
    // Throws UsageError naming the first option that no command asked for.
    void rejectUnused() const;

  private:
    std::map<std::string, std::vector<std::string>> options_;
    std::set<std::string> used_;
};

}  // namespace saliency::cli
