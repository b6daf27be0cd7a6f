#pragma once
// Errors a user can act on: every failure names what it was doing, the file and the reason.
#include <filesystem>
#include <stdexcept>
#include <string>

namespace saliency {

class Error : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// A file that could not be read, parsed or written. what() reads "PATH: REASON".
class FileError : public Error {
  public:
    FileError(std::filesystem::path path, std::string reason);
    const std::filesystem::path& path() const noexcept { return path_; }
    const std::string& reason() const noexcept { return reason_; }

  private:
    std::filesystem::path path_;
    std::string reason_;
};

}  // namespace saliency
