#pragma once
// The records of a zip archive as torch.save writes it (stored, not deflated), checked before
// LibTorch reads them: LibTorch's bundled miniz is built without CRC checks, so a checkpoint with
// a few bytes overwritten would otherwise load with changed weights and give changed predictions.
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace saliency::models {

struct ZipRecord {
    std::string name;        // as stored, e.g. "archive/data/0"
    std::uint64_t offset{};  // of the record's data in the file
    std::uint64_t size{};    // bytes (stored records: compressed = uncompressed)
};

// Walks the central directory and checks every record: inside the file, its local header
// agreeing, stored (method 0), and the CRC-32 of its bytes equal to the one the directory holds.
// Throws FileError naming the first record that fails.
std::vector<ZipRecord> verifiedZipRecords(const std::filesystem::path& file, std::span<const char> bytes);

}  // namespace saliency::models
