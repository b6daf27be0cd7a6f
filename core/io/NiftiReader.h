#pragma once
// NIfTI-1/NIfTI-2 (.nii, .nii.gz) through niftilib; any datatype, scl_slope/scl_inter applied.
#include <filesystem>

#include "io/Volume.h"

namespace saliency {

// The first 3D volume of the file (for 4D files, time point 0). Throws FileError with the reason.
Volume readNifti(const std::filesystem::path& path);

}  // namespace saliency
