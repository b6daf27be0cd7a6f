#pragma once
// A file's identity by content: 64-bit FNV-1a of its bytes as 16 hex digits (the hash the data
// set and split fingerprints use). A study stores it for every scan and checkpoint, so that a
// rerun notices a file that was rewritten in place.
#include <filesystem>
#include <string>

namespace saliency::study {

// Throws FileError when the file cannot be read.
std::string fileFingerprint(const std::filesystem::path& file);

}  // namespace saliency::study
