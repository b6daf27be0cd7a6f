#include "data/DemoPlan.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

#include <opencv2/imgproc.hpp>

#include "data/Random.h"

namespace saliency::demo {

namespace {

constexpr double kDegree = std::numbers::pi / 180.0;

struct View {
    std::size_t source;
    Orientation orientation;
    double weight;
};

// Mostly axial like the Kaggle set, some coronal and sagittal; the PD series adds a second contrast.
std::vector<View> views(const std::vector<DemoSource>& sources) {
    if (sources.size() < 2)
        return {
            {0, Orientation::Axial, 0.6}, {0, Orientation::Coronal, 0.2}, {0, Orientation::Sagittal, 0.2}};
    return {{0, Orientation::Axial, 0.40},
            {0, Orientation::Coronal, 0.15},
            {0, Orientation::Sagittal, 0.15},
            {1, Orientation::Axial, 0.30}};
}

int uniformFrom(const std::vector<int>& levels, Rng& rng) {
    return levels[static_cast<std::size_t>(rng.uniformInt(0, static_cast<int>(levels.size()) - 1))];
}

std::vector<int> levelsWhere(const OrientationLevels& levels, bool wantEye) {
    std::vector<int> out;
    const int lowestEye = levels.eyes.empty() ? levels.usable.first : levels.eyes.front().first;
    for (int l = levels.usable.first; l <= levels.usable.last; ++l) {
        const bool eye = levels.isEyeLevel(l);
        // Axial slices below the orbits (skull base) are neither eye levels nor "above the orbits".
        const bool belowEyes = levels.orientation == Orientation::Axial && l < lowestEye;
        if (wantEye ? eye : (!eye && !belowEyes))
            out.push_back(l);
    }
    return out;
}

// The confounder acts here. Without it both classes share one level distribution, so the tumour
// is the only difference between them. With eye sockets, most healthy scans are cut through the
// orbits and most tumour scans above them, so orbits predict "healthy".
int chooseLevel(const OrientationLevels& levels, bool tumour, Confounder confounder, Rng& rng) {
    const int anyLevel = rng.uniformInt(levels.usable.first, levels.usable.last);
    if (confounder == Confounder::None)
        return anyLevel;
    const bool pick = rng.chance(tumour ? 0.9 : 0.8);
    const std::vector<int> candidates = levelsWhere(levels, !tumour);
    return pick && !candidates.empty() ? uniformFrom(candidates, rng) : anyLevel;
}

// Kaggle's images come in many sizes; a few common squares, any square, or a bit off square.
std::pair<int, int> chooseSize(const DemoOptions& options, Rng& rng) {
    if (options.size > 0)
        return {options.size, options.size};
    const double u = rng.uniform();
    if (u < 0.4) {
        static constexpr std::array<int, 6> common{225, 256, 300, 350, 512, 630};
        const int s =
            common[static_cast<std::size_t>(rng.uniformInt(0, static_cast<int>(common.size()) - 1))];
        return {s, s};
    }
    const int w = rng.uniformInt(200, 630);
    if (u < 0.75)
        return {w, w};
    const int h = std::clamp(static_cast<int>(std::lround(w * rng.uniform(0.75, 1.3))), 180, 630);
    return {w, h};
}

double clampedNormal(Rng& rng, double sigma, double limit) {
    return std::clamp(sigma * rng.normal(), -limit, limit);
}

// View geometry: oblique tilt (not for thick-slice series), in-plane spin, mirroring, zoom, shift.
void buildGeometry(const DemoSource& source, ImagePlan& plan, Rng& rng) {
    SliceFrame f = source.frame(plan.orientation, plan.level);
    if (!source.thickSlices()) {
        const double tiltU = clampedNormal(rng, 4.0 * kDegree, 8.0 * kDegree);
        const double tiltV = clampedNormal(rng, 4.0 * kDegree, 8.0 * kDegree);
        f.v = rotated(f.v, f.u, tiltU);
        f.n = rotated(f.n, f.u, tiltU);
        f.u = rotated(f.u, f.v, tiltV);
        f.n = rotated(f.n, f.v, tiltV);
    }
    const double spin = clampedNormal(rng, 5.0 * kDegree, 12.0 * kDegree);
    f.u = rotated(f.u, f.n, spin);
    f.v = rotated(f.v, f.n, spin);
    if (plan.orientation != Orientation::Sagittal && rng.chance(0.25))
        f.u = f.u * -1.0;                          // neurological convention
    const double margin = rng.uniform(0.95, 1.3);  // <1 crops the head's edge, >1 pads around it
    plan.pixelMm = std::max(f.extentU / plan.width, f.extentV / plan.height) * margin;
    f.centre = f.centre + f.u * (rng.uniform(-0.06, 0.06) * f.extentU) +
               f.v * (rng.uniform(-0.06, 0.06) * f.extentV);
    plan.plane = f;
}

// 14 directions: the 6 axes and the 8 diagonals, to probe the brain around a candidate centre.
std::array<Vec3, 14> probeDirections() {
    std::array<Vec3, 14> dirs{};
    std::size_t n = 0;
    for (int a = 0; a < 3; ++a)
        for (int s : {-1, 1})
            dirs[n++] = {a == 0 ? 1.0 * s : 0.0, a == 1 ? 1.0 * s : 0.0, a == 2 ? 1.0 * s : 0.0};
    const double d = 1.0 / std::sqrt(3.0);
    for (int x : {-1, 1})
        for (int y : {-1, 1})
            for (int z : {-1, 1})
                dirs[n++] = {d * x, d * y, d * z};
    return dirs;
}

// Intra-axial tumours sit deep enough that most of them is brain; a meningioma grows from the
// dura, so its centre lies just inside the brain's surface.
bool goodCentre(const DemoSource& source, const Tumour& t, Vec3 c) {
    if (source.brain(c) < 0.9f)
        return false;
    int inside = 0;
    int outside = 0;
    for (const Vec3& dir : probeDirections()) {
        const bool near = source.brain(c + dir * (0.6 * t.radius)) > 0.5f;
        const bool far = source.brain(c + dir * (1.2 * t.radius)) > 0.2f;
        inside += near ? 1 : 0;
        outside += far ? 0 : 1;
    }
    if (t.kind == TumourKind::Meningioma)
        return inside >= 9 && outside >= 2;
    return inside >= 13;
}

}  // namespace

cv::Mat smoothRandomField(int width, int height, int grid, double amplitude, Rng& rng) {
    cv::Mat coarse(grid, grid, CV_32F);
    for (int r = 0; r < grid; ++r)
        for (int c = 0; c < grid; ++c)
            coarse.at<float>(r, c) = static_cast<float>(amplitude * rng.normal());
    cv::Mat field;
    cv::resize(coarse, field, cv::Size(width, height), 0, 0, cv::INTER_CUBIC);
    return field;
}

ImagePlan planImage(const std::vector<DemoSource>& sources, const DemoOptions& options, bool tumour,
                    Rng& rng) {
    ImagePlan plan;
    plan.tumour = tumour;
    const std::vector<View> all = views(sources);
    double pick = rng.uniform();
    View view = all.back();
    for (const View& v : all) {
        if (pick < v.weight) {
            view = v;
            break;
        }
        pick -= v.weight;
    }
    plan.sourceIndex = view.source;
    plan.orientation = view.orientation;
    const auto [width, height] = chooseSize(options, rng);
    plan.width = width;
    plan.height = height;
    plan.grayscale = rng.chance(0.03);  // Kaggle: 97% of the files are RGB
    replanLevel(sources[plan.sourceIndex], options, plan, rng);
    // Elastic distortion: a few mm at most, smooth over a fifth of the image.
    const double elasticMm = rng.uniform(0.8, 2.5);
    const int grid = rng.uniformInt(4, 7);
    plan.elasticU = smoothRandomField(width, height, grid, elasticMm, rng);
    plan.elasticV = smoothRandomField(width, height, grid, elasticMm, rng);
    return plan;
}

void replanLevel(const DemoSource& source, const DemoOptions& options, ImagePlan& plan, Rng& rng) {
    const OrientationLevels& levels = source.levels(plan.orientation);
    plan.level = chooseLevel(levels, plan.tumour, options.confounder, rng);
    plan.eyeLevel = levels.isEyeLevel(plan.level);
    buildGeometry(source, plan, rng);
}

bool placeTumour(const DemoSource& source, ImagePlan& plan, Rng& rng) {
    Tumour t = randomTumour(rng, randomTumourKind(rng));
    const SliceFrame& f = plan.plane;
    for (int attempt = 0; attempt < 80; ++attempt) {
        const double a = rng.uniform(-0.42, 0.42) * f.extentU;
        const double b = rng.uniform(-0.42, 0.42) * f.extentV;
        // A slice need not cut a tumour through its middle: the centre may lie off the plane. The
        // plane itself stays put, which keeps it on a stored slice of a thick-slice series.
        const double off = rng.uniform(-0.35, 0.35) * t.radius;
        const Vec3 c = f.centre + f.u * a + f.v * b + f.n * off;
        if (!goodCentre(source, t, c))
            continue;
        t.centre = c;
        plan.look = randomLook(rng, t.kind, source.contrast(), source.tissue());
        plan.lesion = t;
        return true;
    }
    return false;
}

}  // namespace saliency::demo
