#include "common/AtomicFile.h"

#include <fstream>

#include "common/Error.h"

namespace fs = std::filesystem;

namespace saliency {

namespace {

fs::path temporaryFor(const fs::path& file) {
    fs::path temporary = file;
    temporary += ".part";
    return temporary;
}

void removeQuietly(const fs::path& path) {
    std::error_code ignored;
    fs::remove(path, ignored);
}

}  // namespace

void replaceFileAtomically(const fs::path& file, const std::function<void(const fs::path&)>& write) {
    const fs::path temporary = temporaryFor(file);
    try {
        write(temporary);
    } catch (...) {
        removeQuietly(temporary);
        throw;
    }
    std::error_code ec;
    fs::rename(temporary, file, ec);
    if (ec) {
        removeQuietly(temporary);
        throw FileError(file, "cannot replace the file: " + ec.message());
    }
}

void writeFileAtomically(const fs::path& file, std::string_view bytes) {
    replaceFileAtomically(file, [&](const fs::path& temporary) {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        if (!out)
            throw FileError(file, "cannot create the file (does the folder exist and is it writable?)");
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        out.flush();
        if (!out)
            throw FileError(file, "write error (disk full?)");
    });
}

}  // namespace saliency
