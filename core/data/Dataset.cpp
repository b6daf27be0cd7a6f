#include "data/Dataset.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <system_error>

#include "common/Error.h"
#include "io/ScanReader.h"

namespace fs = std::filesystem;

namespace saliency {

namespace {

constexpr const char* kMaskFolder = "masks";

bool isHidden(const fs::path& p) {
    const std::string name = p.filename().string();
    return !name.empty() && name.front() == '.';
}

// Class folders: every visible sub-folder but masks/. Sorted so labels are stable across machines.
std::vector<std::string> findClassFolders(const fs::path& root) {
    std::vector<std::string> classes;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(root, ec)) {
        if (!entry.is_directory(ec) || isHidden(entry.path()))
            continue;
        const std::string name = entry.path().filename().string();
        if (name == kMaskFolder)
            continue;
        classes.push_back(name);
    }
    if (ec)
        throw FileError(root, "cannot list the folder: " + ec.message());
    std::sort(classes.begin(), classes.end(), naturalLess);
    return classes;
}

// Files of one class folder (recursively, so nested exports still count), in natural order.
std::vector<fs::path> listFiles(const fs::path& folder) {
    std::vector<fs::path> files;
    std::error_code ec;
    for (auto it =
             fs::recursive_directory_iterator(folder, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (isHidden(it->path())) {
            if (it->is_directory(ec))
                it.disable_recursion_pending();
            continue;
        }
        if (it->is_regular_file(ec))
            files.push_back(it->path());
    }
    std::sort(files.begin(), files.end(),
              [](const fs::path& a, const fs::path& b) { return naturalLess(a.string(), b.string()); });
    return files;
}

// masks/<class>/<stem>.png, or any other mask extension the readers know.
std::optional<fs::path> findMask(const fs::path& root, const fs::path& relative) {
    const fs::path base = fs::path(kMaskFolder) / relative.parent_path() / relative.stem();
    for (const char* ext : {".png", ".PNG", ".tif", ".bmp", ".jpg"}) {
        fs::path candidate = base;
        candidate += ext;
        std::error_code ec;
        if (fs::is_regular_file(root / candidate, ec))
            return candidate;
    }
    return std::nullopt;
}

void describeItem(DatasetItem& item, const Scan& scan) {
    item.width = scan.rgb.cols;
    item.height = scan.rgb.rows;
    item.channels = scan.sourceChannels;
    item.bits = scan.sourceBits;
    item.format = scan.format;
}

}  // namespace

bool naturalLess(const std::string& a, const std::string& b) {
    size_t i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        const bool da = std::isdigit(static_cast<unsigned char>(a[i])) != 0;
        const bool db = std::isdigit(static_cast<unsigned char>(b[j])) != 0;
        if (da && db) {
            size_t ei = i, ej = j;
            while (ei < a.size() && std::isdigit(static_cast<unsigned char>(a[ei])))
                ++ei;
            while (ej < b.size() && std::isdigit(static_cast<unsigned char>(b[ej])))
                ++ej;
            // Compare by value without overflow: strip leading zeros, then by length, then lexically.
            size_t si = i, sj = j;
            while (si + 1 < ei && a[si] == '0')
                ++si;
            while (sj + 1 < ej && b[sj] == '0')
                ++sj;
            if (ei - si != ej - sj)
                return ei - si < ej - sj;
            const int cmp = a.compare(si, ei - si, b, sj, ej - sj);
            if (cmp != 0)
                return cmp < 0;
            i = ei;
            j = ej;
        } else {
            if (a[i] != b[j])
                return a[i] < b[j];
            ++i;
            ++j;
        }
    }
    return a.size() - i < b.size() - j;
}

std::vector<int> Dataset::labels() const {
    std::vector<int> out;
    out.reserve(items.size());
    for (const auto& item : items)
        out.push_back(item.label);
    return out;
}

std::map<int, int> Dataset::countPerClass() const {
    std::map<int, int> counts;
    for (int c = 0; c < static_cast<int>(classes.size()); ++c)
        counts[c] = 0;
    for (const auto& item : items)
        ++counts[item.label];
    return counts;
}

std::string Dataset::fingerprint() const {
    // FNV-1a over "label|path|bytes\n" lines: cheap, stable, and changes when a file is added,
    // removed, moved to another class or rewritten with another size.
    std::uint64_t hash = 1469598103934665603ull;
    auto feed = [&hash](const std::string& s) {
        for (const unsigned char c : s) {
            hash ^= c;
            hash *= 1099511628211ull;
        }
    };
    for (const auto& item : items) {
        feed(std::to_string(item.label) + "|" + item.relativePath.generic_string() + "|" +
             std::to_string(item.bytes) + "\n");
    }
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
    return text;
}

Dataset scanDataset(const fs::path& root, const ScanOptions& options, Progress* progress) {
    std::error_code ec;
    if (!fs::exists(root, ec))
        throw FileError(root, "the data set folder does not exist");
    if (!fs::is_directory(root, ec))
        throw FileError(root, "not a folder: a data set is a folder of class sub-folders");

    Dataset dataset;
    dataset.root = root;
    dataset.classes = findClassFolders(root);
    if (dataset.classes.empty()) {
        throw FileError(
            root, "no class sub-folders: expected e.g. 'Brain Tumor/' and 'Healthy/' with images inside");
    }

    const std::map<std::string, ScanView> views = readViews(root);
    std::vector<std::pair<int, fs::path>> candidates;
    for (int label = 0; label < static_cast<int>(dataset.classes.size()); ++label) {
        for (auto& file : listFiles(root / dataset.classes[static_cast<size_t>(label)])) {
            candidates.emplace_back(label, std::move(file));
        }
    }

    NullProgress silent;
    Progress& report = progress ? *progress : silent;
    ProgressScope scope(report, "scanning " + root.filename().string(),
                        static_cast<std::int64_t>(candidates.size()));
    std::int64_t done = 0;
    for (const auto& [label, file] : candidates) {
        const fs::path relative = fs::relative(file, root);
        if (!scope.update(done++, relative.string()))
            throw Cancelled();
        if (!looksLikeScanFile(file)) {
            dataset.skipped.push_back({relative, "not a scan file type (by extension)"});
            continue;
        }
        DatasetItem item;
        item.relativePath = relative;
        item.label = label;
        item.bytes = fs::file_size(file, ec);
        item.maskPath = findMask(root, relative);
        if (const auto view = views.find(relative.generic_string()); view != views.end())
            item.view = view->second;
        if (options.decode) {
            try {
                describeItem(item, readScan(file));
            } catch (const std::exception& e) {
                const auto* fileError = dynamic_cast<const FileError*>(&e);
                dataset.skipped.push_back(
                    {relative, fileError ? fileError->reason() : std::string(e.what())});
                continue;
            }
        }
        dataset.items.push_back(std::move(item));
    }
    scope.update(done);
    return dataset;
}

}  // namespace saliency
