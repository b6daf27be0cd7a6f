#pragma once
// views.csv: the view each scan of a data set was taken in (axial, coronal or sagittal) and its
// slice level, in a sidecar at the data set's root. The demo generator writes it; a user can write
// one for a real set. The seed found that Grad-CAM fails on posterior and lateral views: per-view
// statistics need to know each scan's view. Format: docs/formats.md.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace saliency {

inline constexpr const char* kViewsFile = "views.csv";

struct ScanView {
    std::string view;               // "axial", "coronal" or "sagittal"
    std::optional<int> slice;       // voxel index along the slice normal, when known
    std::optional<double> sliceMm;  // the same in millimetres, when known
    std::optional<bool> eyeLevel;   // the slice runs through the orbits, when known
};

struct ViewRow {
    std::string file;  // relative to the data set root, '/' separated
    ScanView view;
};

// The CSV text: header "file,view,slice,slice_mm,eye_level", one row per scan; unknown values are
// empty cells. Numbers are written locale-independently.
std::string viewsCsv(const std::vector<ViewRow>& rows);

// Parses the text written above (or by hand: only "file" and "view" are required columns, in any
// order). Throws Error "views.csv line N: ..." for a missing column, an unknown view name or a
// number that does not parse.
std::map<std::string, ScanView> parseViews(const std::string& text);

// root/views.csv read and parsed; empty when there is none. Throws FileError when it cannot be
// read, and the parse errors above.
std::map<std::string, ScanView> readViews(const std::filesystem::path& root);

}  // namespace saliency
