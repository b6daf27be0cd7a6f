#pragma once
// DICOM through DCMTK: rescale slope/intercept, window centre/width, MONOCHROME1, multi-frame, RGB.
#include <filesystem>

#include "io/Scan.h"
#include "io/Volume.h"

namespace saliency {

int dicomFrameCount(const std::filesystem::path& path);  // throws FileError

// One frame (0-based). Intensities are modality values (slope/intercept applied); MONOCHROME1 is
// inverted in the 8-bit image so that it displays as a radiologist expects. Throws FileError.
Scan readDicom(const std::filesystem::path& path, int frame = 0);

// All single-frame DICOM files of one series in a folder, sorted by position along the slice normal
// (ImagePositionPatient), else by InstanceNumber. Throws FileError when no slice can be read.
Volume readDicomSeries(const std::filesystem::path& folder);

}  // namespace saliency
