#pragma once
// A 3D scalar volume (NIfTI file or DICOM series) and 2D slices of it.
#include <array>
#include <filesystem>
#include <vector>

#include <opencv2/core/mat.hpp>

#include "io/Scan.h"

namespace saliency {

enum class SliceAxis { Sagittal = 0, Coronal = 1, Axial = 2 };  // the volume's i, j, k index axes

const char* sliceAxisName(SliceAxis axis);
SliceAxis parseSliceAxis(const std::string& name);  // "axial"|"coronal"|"sagittal"|"x"|"y"|"z"; throws Error

// Voxels are stored in the closest RAS+ order (the readers reorient them, see reorientToRas): i increases
// towards the patient's Right, j towards Anterior, k towards Superior, as in MNI templates. So the
// SliceAxis names are anatomical whatever the file's own voxel order was.
struct Volume {
    std::array<int, 3> size{0, 0, 0};              // voxels along i, j, k
    std::array<double, 3> spacing{1.0, 1.0, 1.0};  // mm per voxel along i, j, k
    std::vector<float> voxels;                     // i fastest, then j, then k
    std::filesystem::path source;
    int sourceBits = 32;  // bits per voxel as stored in the file (8, 16, 32, 64)

    float at(int i, int j, int k) const {
        return voxels[static_cast<size_t>(i) +
                      static_cast<size_t>(size[0]) *
                          (static_cast<size_t>(j) + static_cast<size_t>(size[1]) * static_cast<size_t>(k))];
    }
    int count(SliceAxis axis) const { return size[static_cast<int>(axis)]; }

    // One slice as CV_32FC1, displayed in radiological convention's usual screen orientation:
    // the volume's "up" direction (superior or anterior) at the top of the image. Exactly DICOM's
    // standard views: axial = anterior at the top, patient's right on the image's left; coronal =
    // superior at the top, patient's right on the left; sagittal = superior at the top, anterior on
    // the left. Rows and columns are voxels (no resampling to square pixels). Throws Error when the
    // index is out of range.
    cv::Mat slice(SliceAxis axis, int index) const;
};

// Direction cosines, in RAS+ patient space, of the i, j and k index axes as stored in a file.
using AxisDirections = std::array<std::array<double, 3>, 3>;

// Permutes and flips the voxels (and spacing) so that i, j, k increase towards the anatomical axes
// (Right, Anterior, Superior) closest to the given directions. Oblique volumes are not resampled.
Volume reorientToRas(const Volume& volume, const AxisDirections& directions);

// A slice as a Scan: window from the whole volume (so that slices of one volume share a grey scale).
Scan sliceToScan(const Volume& volume, SliceAxis axis, int index, const std::string& format);

}  // namespace saliency
