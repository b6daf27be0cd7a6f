#include "common/Error.h"

namespace saliency {

FileError::FileError(std::filesystem::path path, std::string reason)
    : Error(path.string() + ": " + reason), path_(std::move(path)), reason_(std::move(reason)) {}

}  // namespace saliency
