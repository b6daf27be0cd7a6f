#include "io/Volume.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <string>

#include <opencv2/imgproc.hpp>

#include "common/Error.h"

namespace saliency {

namespace {

size_t voxelCount(const std::array<int, 3>& size) {
    return static_cast<size_t>(size[0]) * static_cast<size_t>(size[1]) * static_cast<size_t>(size[2]);
}

std::string lowercase(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

bool isValidDirections(const AxisDirections& directions) {
    for (const auto& axis : directions) {
        const double norm = std::hypot(axis[0], axis[1], axis[2]);
        if (!std::isfinite(norm) || norm <= 0) {
            return false;
        }
    }
    return true;
}

// Which anatomical axis (0 R, 1 A, 2 S) each index axis is closest to: the largest remaining
// |cosine| is assigned first, so even a 45-degree oblique volume gets a permutation, never a clash.
std::array<int, 3> closestAnatomicalAxes(const AxisDirections& directions) {
    std::array<int, 3> assigned{-1, -1, -1};
    std::array<bool, 3> taken{false, false, false};
    for (int round = 0; round < 3; ++round) {
        int bestIndex = -1;
        int bestAxis = -1;
        double best = -1.0;
        for (int index = 0; index < 3; ++index) {
            for (int axis = 0; axis < 3; ++axis) {
                const double value =
                    std::abs(directions[static_cast<size_t>(index)][static_cast<size_t>(axis)]);
                if (assigned[static_cast<size_t>(index)] < 0 && !taken[static_cast<size_t>(axis)] &&
                    value > best) {
                    best = value;
                    bestIndex = index;
                    bestAxis = axis;
                }
            }
        }
        assigned[static_cast<size_t>(bestIndex)] = bestAxis;
        taken[static_cast<size_t>(bestAxis)] = true;
    }
    return assigned;
}

void checkSlice(const Volume& volume, SliceAxis axis, int index) {
    if (voxelCount(volume.size) != volume.voxels.size() || voxelCount(volume.size) == 0) {
        throw Error("volume " + volume.source.string() + " is empty or inconsistent");
    }
    const int count = volume.count(axis);
    if (index < 0 || index >= count) {
        throw Error(std::string(sliceAxisName(axis)) + " slice " + std::to_string(index) +
                    " is out of range 0.." + std::to_string(count - 1));
    }
}

}  // namespace

const char* sliceAxisName(SliceAxis axis) {
    switch (axis) {
        case SliceAxis::Sagittal:
            return "sagittal";
        case SliceAxis::Coronal:
            return "coronal";
        case SliceAxis::Axial:
            return "axial";
    }
    return "axial";
}

SliceAxis parseSliceAxis(const std::string& name) {
    const std::string key = lowercase(name);
    if (key == "sagittal" || key == "x") {
        return SliceAxis::Sagittal;
    }
    if (key == "coronal" || key == "y") {
        return SliceAxis::Coronal;
    }
    if (key == "axial" || key == "z") {
        return SliceAxis::Axial;
    }
    throw Error("unknown slice axis '" + name + "': use axial, coronal or sagittal (or z, y, x)");
}

cv::Mat Volume::slice(SliceAxis axis, int index) const {
    checkSlice(*this, axis, index);
    const int nx = size[0];
    const int ny = size[1];
    const int nz = size[2];
    // The volume is RAS+, so "up" (anterior or superior) is the highest index and the patient's
    // right (shown on the left in radiological views) is the highest i: both are flipped.
    switch (axis) {
        case SliceAxis::Axial: {
            cv::Mat out(ny, nx, CV_32FC1);
            for (int r = 0; r < ny; ++r) {
                auto* row = out.ptr<float>(r);
                for (int c = 0; c < nx; ++c) {
                    row[c] = at(nx - 1 - c, ny - 1 - r, index);
                }
            }
            return out;
        }
        case SliceAxis::Coronal: {
            cv::Mat out(nz, nx, CV_32FC1);
            for (int r = 0; r < nz; ++r) {
                auto* row = out.ptr<float>(r);
                for (int c = 0; c < nx; ++c) {
                    row[c] = at(nx - 1 - c, index, nz - 1 - r);
                }
            }
            return out;
        }
        case SliceAxis::Sagittal: {
            cv::Mat out(nz, ny, CV_32FC1);
            for (int r = 0; r < nz; ++r) {
                auto* row = out.ptr<float>(r);
                for (int c = 0; c < ny; ++c) {
                    row[c] = at(index, ny - 1 - c, nz - 1 - r);  // anterior (high j) on the left
                }
            }
            return out;
        }
    }
    return {};
}

Volume reorientToRas(const Volume& volume, const AxisDirections& directions) {
    if (!isValidDirections(directions) || voxelCount(volume.size) != volume.voxels.size()) {
        return volume;  // nothing to go by: keep the file's order (documented as assumed RAS)
    }
    const std::array<int, 3> target = closestAnatomicalAxes(directions);

    Volume out;
    out.source = volume.source;
    out.sourceBits = volume.sourceBits;
    for (size_t a = 0; a < 3; ++a) {
        out.size[static_cast<size_t>(target[a])] = volume.size[a];
        out.spacing[static_cast<size_t>(target[a])] = volume.spacing[a];
    }
    const std::array<std::ptrdiff_t, 3> outStride{1, out.size[0],
                                                  static_cast<std::ptrdiff_t>(out.size[0]) * out.size[1]};

    // Each source axis walks the output with a signed step; a flipped axis starts at its far end.
    std::ptrdiff_t base = 0;
    std::array<std::ptrdiff_t, 3> step{};
    for (size_t a = 0; a < 3; ++a) {
        const std::ptrdiff_t stride = outStride[static_cast<size_t>(target[a])];
        const bool flip = directions[a][static_cast<size_t>(target[a])] < 0;
        step[a] = flip ? -stride : stride;
        base += flip ? (volume.size[a] - 1) * stride : 0;
    }

    out.voxels.resize(volume.voxels.size());
    size_t source = 0;
    for (int k = 0; k < volume.size[2]; ++k) {
        for (int j = 0; j < volume.size[1]; ++j) {
            const std::ptrdiff_t rowStart = base + j * step[1] + k * step[2];
            for (int i = 0; i < volume.size[0]; ++i) {
                out.voxels[static_cast<size_t>(rowStart + i * step[0])] = volume.voxels[source++];
            }
        }
    }
    return out;
}

Scan sliceToScan(const Volume& volume, SliceAxis axis, int index, const std::string& format) {
    Scan scan;
    scan.intensity = volume.slice(axis, index);
    // One window for the whole volume, so that every slice of it shares a grey scale.
    scan.window = robustWindow(std::span<const float>(volume.voxels));
    cv::cvtColor(applyWindow(scan.intensity, scan.window), scan.rgb, cv::COLOR_GRAY2RGB);
    scan.source = volume.source;
    scan.format = format;
    scan.sourceChannels = 1;
    scan.sourceBits = volume.sourceBits;
    scan.sourceColour = "gray";
    return scan;
}

}  // namespace saliency
