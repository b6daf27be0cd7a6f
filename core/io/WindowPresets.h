#pragma once
// The window/level presets a radiologist expects (issue 12): the file's own window (DICOM's
// Window Center/Width, else the reader's robust range), the full range of the values, an automatic
// window from percentiles, and a brain window from percentiles of the head only (the background
// air, often half of an MRI slice, would otherwise pull the window dark).
#include <string>
#include <vector>

#include "io/Scan.h"

namespace saliency {

enum class WindowPreset { File, FullRange, Auto, Brain };

std::vector<WindowPreset> windowPresets();          // in menu order
std::string windowPresetName(WindowPreset preset);  // "File", "Full range", "Auto (1-99%)", "Brain"

// The preset's window for this scan's original intensities (Scan::intensity). A scan without
// intensities (none decoded) gets the file's window.
Window presetWindow(const Scan& scan, WindowPreset preset);

}  // namespace saliency
