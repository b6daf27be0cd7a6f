#include "models/ZipRecords.h"

#include <algorithm>

#include <zlib.h>

#include "common/Error.h"

namespace saliency::models {

namespace {

constexpr std::uint32_t kLocalHeader = 0x04034b50;
constexpr std::uint32_t kCentralHeader = 0x02014b50;
constexpr std::uint32_t kEndOfDirectory = 0x06054b50;
constexpr std::uint32_t kZip64End = 0x06064b50;
constexpr std::uint32_t kZip64Locator = 0x07064b50;
constexpr std::size_t kEndRecordSize = 22;
constexpr std::size_t kMaxComment = 0xFFFF;

// Little-endian reads that fail (instead of reading past the end) on a short file.
class Reader {
  public:
    Reader(const std::filesystem::path& file, std::span<const char> bytes) : file_(file), bytes_(bytes) {}

    std::uint64_t le(std::uint64_t at, int width) const {
        if (at > bytes_.size() || bytes_.size() - at < static_cast<std::uint64_t>(width))
            throw FileError(file_, "damaged checkpoint: its zip directory points past the end of the file");
        std::uint64_t value = 0;
        for (int i = width - 1; i >= 0; --i)
            value = (value << 8) | static_cast<unsigned char>(bytes_[at + static_cast<std::uint64_t>(i)]);
        return value;
    }
    std::uint32_t u16(std::uint64_t at) const { return static_cast<std::uint32_t>(le(at, 2)); }
    std::uint32_t u32(std::uint64_t at) const { return static_cast<std::uint32_t>(le(at, 4)); }
    std::uint64_t u64(std::uint64_t at) const { return le(at, 8); }
    std::span<const char> slice(std::uint64_t at, std::uint64_t size) const {
        if (at > bytes_.size() || bytes_.size() - at < size)
            throw FileError(file_, "truncated or damaged file: a zip record ends past the end of the file");
        return bytes_.subspan(at, size);
    }
    std::size_t size() const { return bytes_.size(); }
    [[noreturn]] void fail(const std::string& reason) const { throw FileError(file_, reason); }

  private:
    const std::filesystem::path& file_;
    std::span<const char> bytes_;
};

struct Directory {
    std::uint64_t entries{};
    std::uint64_t offset{};
};

std::uint64_t findEndRecord(const Reader& r) {
    if (r.size() < kEndRecordSize)
        r.fail("truncated or damaged file: too short for a zip archive");
    const std::uint64_t last = r.size() - kEndRecordSize;
    const std::uint64_t first = last > kMaxComment ? last - kMaxComment : 0;
    for (std::uint64_t at = last + 1; at-- > first;) {
        if (r.u32(at) == kEndOfDirectory)
            return at;
    }
    r.fail("truncated or damaged file: the zip archive's directory is missing (the end of the file is cut off)");
}

Directory directoryOf(const Reader& r) {
    const std::uint64_t end = findEndRecord(r);
    Directory d{r.u16(end + 10), r.u32(end + 16)};
    // ZIP64 (torch.save writes it for large files): the locator sits right before the end record.
    if (end >= 20 && r.u32(end - 20) == kZip64Locator) {
        const std::uint64_t zip64 = r.u64(end - 20 + 8);
        if (r.u32(zip64) != kZip64End)
            r.fail("damaged checkpoint: the zip64 directory record is missing");
        d = {r.u64(zip64 + 32), r.u64(zip64 + 48)};
    }
    return d;
}

// Sizes and offset from the ZIP64 extra field where the 32-bit fields say 0xFFFFFFFF.
void applyZip64Extra(const Reader& r, std::uint64_t extra, std::uint64_t length, ZipRecord& record,
                     std::uint64_t& compressed) {
    for (std::uint64_t at = extra; at + 4 <= extra + length;) {
        const std::uint32_t id = r.u16(at);
        const std::uint32_t size = r.u16(at + 2);
        if (id == 0x0001) {
            std::uint64_t field = at + 4;
            if (record.size == 0xFFFFFFFF) {
                record.size = r.u64(field);
                field += 8;
            }
            if (compressed == 0xFFFFFFFF) {
                compressed = r.u64(field);
                field += 8;
            }
            if (record.offset == 0xFFFFFFFF)
                record.offset = r.u64(field);
        }
        at += 4 + size;
    }
}

// Checks one central-directory entry and its data; returns where the next entry starts.
std::uint64_t verifyEntry(const Reader& r, std::uint64_t at, std::vector<ZipRecord>& records) {
    if (r.u32(at) != kCentralHeader)
        r.fail("damaged checkpoint: a zip directory entry is corrupt");
    const std::uint32_t method = r.u16(at + 10);
    const std::uint32_t crc = r.u32(at + 16);
    std::uint64_t compressed = r.u32(at + 20);
    ZipRecord record;
    record.size = r.u32(at + 24);
    const std::uint32_t nameLength = r.u16(at + 28);
    const std::uint32_t extraLength = r.u16(at + 30);
    const std::uint32_t commentLength = r.u16(at + 32);
    record.offset = r.u32(at + 42);  // of the local header, for now
    const auto name = r.slice(at + 46, nameLength);
    record.name.assign(name.begin(), name.end());
    applyZip64Extra(r, at + 46 + nameLength, extraLength, record, compressed);
    if (method != 0 || compressed != record.size)
        r.fail("not a checkpoint LibTorch can read: zip record \"" + record.name + "\" is compressed");
    const std::uint64_t local = record.offset;
    if (r.u32(local) != kLocalHeader)
        r.fail("damaged checkpoint: the local header of zip record \"" + record.name + "\" is corrupt");
    record.offset = local + 30 + r.u16(local + 26) + r.u16(local + 28);
    const auto data = r.slice(record.offset, record.size);
    // zlib's crc32 takes at most 4 GiB per call.
    uLong actual = crc32(0L, Z_NULL, 0);
    for (std::uint64_t done = 0; done < data.size();) {
        const auto chunk = static_cast<uInt>(std::min<std::uint64_t>(data.size() - done, 1u << 30));
        actual = crc32(actual, reinterpret_cast<const Bytef*>(data.data() + done), chunk);
        done += chunk;
    }
    if (actual != crc)
        r.fail("damaged checkpoint: zip record \"" + record.name +
               "\" fails its CRC-32 check (the file was changed or corrupted after it was written)");
    records.push_back(std::move(record));
    return at + 46 + nameLength + extraLength + commentLength;
}

}  // namespace

std::vector<ZipRecord> verifiedZipRecords(const std::filesystem::path& file, std::span<const char> bytes) {
    const Reader r(file, bytes);
    const Directory directory = directoryOf(r);
    // Each entry takes at least 46 bytes: a count beyond that is a corrupt directory, not a reason
    // to reserve memory.
    if (directory.entries > r.size() / 46)
        r.fail("damaged checkpoint: the zip directory claims " + std::to_string(directory.entries) +
               " records");
    std::vector<ZipRecord> records;
    std::uint64_t at = directory.offset;
    for (std::uint64_t n = 0; n < directory.entries; ++n)
        at = verifyEntry(r, at, records);
    return records;
}

}  // namespace saliency::models
