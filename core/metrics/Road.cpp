#include "metrics/Road.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <random>
#include <string>

#include <opencv2/imgproc.hpp>

#include "common/Error.h"
#include "metrics/MapValidation.h"
#include "metrics/PixelRanking.h"

namespace saliency::metrics {

namespace {

constexpr int kChannels = 3;
constexpr double kTolerance = 1e-6;  // relative residual of the conjugate gradients
constexpr int kCoarsest = 16;        // below this side the guess is not refined on a coarser grid

struct Neighbour {
    int dy, dx;
    double weight;
};
constexpr std::array<Neighbour, 8> kNeighbours = {{{-1, -1, 1.0 / 12},
                                                   {-1, 0, 1.0 / 6},
                                                   {-1, 1, 1.0 / 12},
                                                   {0, -1, 1.0 / 6},
                                                   {0, 1, 1.0 / 6},
                                                   {1, -1, 1.0 / 12},
                                                   {1, 0, 1.0 / 6},
                                                   {1, 1, 1.0 / 12}}};

using Values = std::vector<std::array<double, kChannels>>;  // one entry per unknown pixel

// The system A v = b over the removed pixels, A = D - W: D the weight of a pixel's neighbours inside
// the image, W the weights between removed neighbours; b the weighted kept neighbours.
struct ImputationSystem {
    std::vector<int> pixels;  // row-major index of each unknown
    std::vector<double> diagonal;
    std::vector<int> rowStart;  // CSR of the off-diagonal part: rowStart[k] .. rowStart[k + 1]
    std::vector<int> column;
    std::vector<double> weight;
    Values rhs;

    // out = A v
    void multiply(const Values& v, Values& out) const {
        for (std::size_t k = 0; k < pixels.size(); ++k) {
            std::array<double, kChannels> sum{};
            for (int e = rowStart[k]; e < rowStart[k + 1]; ++e)
                for (int c = 0; c < kChannels; ++c)
                    sum[static_cast<std::size_t>(c)] +=
                        weight[static_cast<std::size_t>(e)] *
                        v[static_cast<std::size_t>(column[static_cast<std::size_t>(e)])]
                         [static_cast<std::size_t>(c)];
            for (int c = 0; c < kChannels; ++c) {
                const auto cc = static_cast<std::size_t>(c);
                out[k][cc] = diagonal[k] * v[k][cc] - sum[cc];
            }
        }
    }
};

ImputationSystem buildSystem(const cv::Mat& image64, const cv::Mat& removed) {
    ImputationSystem s;
    const int rows = image64.rows, cols = image64.cols;
    std::vector<int> unknown(static_cast<std::size_t>(rows * cols), -1);
    for (int y = 0; y < rows; ++y)
        for (int x = 0; x < cols; ++x)
            if (removed.at<uchar>(y, x) != 0) {
                unknown[static_cast<std::size_t>(y * cols + x)] = static_cast<int>(s.pixels.size());
                s.pixels.push_back(y * cols + x);
            }
    s.rowStart.push_back(0);
    for (const int p : s.pixels) {
        const int y = p / cols, x = p % cols;
        double diagonal = 0;
        std::array<double, kChannels> b{};
        for (const auto& n : kNeighbours) {
            const int ny = y + n.dy, nx = x + n.dx;
            if (ny < 0 || nx < 0 || ny >= rows || nx >= cols)
                continue;
            diagonal += n.weight;
            const int j = unknown[static_cast<std::size_t>(ny * cols + nx)];
            if (j >= 0) {
                s.column.push_back(j);
                s.weight.push_back(n.weight);
            } else {
                const cv::Vec3d& known = image64.at<cv::Vec3d>(ny, nx);
                for (int c = 0; c < kChannels; ++c)
                    b[static_cast<std::size_t>(c)] += n.weight * known[c];
            }
        }
        s.diagonal.push_back(diagonal);
        s.rowStart.push_back(static_cast<int>(s.column.size()));
        s.rhs.push_back(b);
    }
    return s;
}

double dot(const Values& a, const Values& b, int c) {
    double sum = 0;
    for (std::size_t k = 0; k < a.size(); ++k)
        sum += a[k][static_cast<std::size_t>(c)] * b[k][static_cast<std::size_t>(c)];
    return sum;
}

// Conjugate gradients with the Jacobi preconditioner, the three channels side by side (one matrix),
// from the guess `v`.
Values solve(const ImputationSystem& s, Values v) {
    const std::size_t n = s.pixels.size();
    Values r = s.rhs, z(n), p(n), ap(n);
    s.multiply(v, ap);
    for (std::size_t k = 0; k < n; ++k)
        for (std::size_t c = 0; c < kChannels; ++c) {
            r[k][c] = s.rhs[k][c] - ap[k][c];
            z[k][c] = r[k][c] / s.diagonal[k];
            p[k][c] = z[k][c];
        }
    std::array<double, kChannels> rz{}, target{};
    std::array<bool, kChannels> done{};
    for (int c = 0; c < kChannels; ++c) {
        rz[static_cast<std::size_t>(c)] = dot(r, z, c);
        target[static_cast<std::size_t>(c)] = kTolerance * kTolerance * dot(s.rhs, s.rhs, c);
    }
    for (std::size_t iteration = 0; iteration < 4 * n + 100; ++iteration) {
        bool all = true;
        for (int c = 0; c < kChannels; ++c) {
            const auto cc = static_cast<std::size_t>(c);
            done[cc] = done[cc] || dot(r, r, c) <= target[cc];
            all = all && done[cc];
        }
        if (all)
            break;
        s.multiply(p, ap);
        for (std::size_t c = 0; c < kChannels; ++c) {
            if (done[c])
                continue;
            const double alpha = rz[c] / dot(p, ap, static_cast<int>(c));
            for (std::size_t k = 0; k < n; ++k) {
                v[k][c] += alpha * p[k][c];
                r[k][c] -= alpha * ap[k][c];
                z[k][c] = r[k][c] / s.diagonal[k];
            }
            const double next = dot(r, z, static_cast<int>(c));
            const double beta = next / rz[c];
            rz[c] = next;
            for (std::size_t k = 0; k < n; ++k)
                p[k][c] = z[k][c] + beta * p[k][c];
        }
    }
    return v;
}

cv::Mat imputed(const cv::Mat& image64, const cv::Mat& removed);

// A start close to the solution, so that conjugate gradients need few iterations: the image at half
// the size (each 2 x 2 block the mean of its kept pixels, removed where none is kept) imputed the
// same way, brought back to full size. The smooth part of the solution, slow for conjugate
// gradients on the fine grid, comes from the coarse one (a cascade, as in cascadic multigrid).
Values initialGuess(const ImputationSystem& s, const cv::Mat& image64, const cv::Mat& removed) {
    const int rows = image64.rows, cols = image64.cols;
    Values guess(s.pixels.size());
    if (std::min(rows, cols) < kCoarsest) {  // each pixel the mean of its kept neighbours
        for (std::size_t k = 0; k < guess.size(); ++k)
            for (std::size_t c = 0; c < kChannels; ++c)
                guess[k][c] = s.rhs[k][c] / s.diagonal[k];
        return guess;
    }
    cv::Mat coarse = cv::Mat::zeros((rows + 1) / 2, (cols + 1) / 2, CV_64FC3);
    cv::Mat coarseRemoved = cv::Mat::zeros(coarse.size(), CV_8UC1);
    for (int y = 0; y < coarse.rows; ++y)
        for (int x = 0; x < coarse.cols; ++x) {
            cv::Vec3d sum(0, 0, 0);
            int kept = 0;
            for (int fy = 2 * y; fy < std::min(rows, 2 * y + 2); ++fy)
                for (int fx = 2 * x; fx < std::min(cols, 2 * x + 2); ++fx)
                    if (removed.at<uchar>(fy, fx) == 0) {
                        sum += image64.at<cv::Vec3d>(fy, fx);
                        ++kept;
                    }
            if (kept > 0)
                coarse.at<cv::Vec3d>(y, x) = sum / kept;
            else
                coarseRemoved.at<uchar>(y, x) = 255;
        }
    cv::Mat fine;
    cv::resize(imputed(coarse, coarseRemoved), fine, image64.size(), 0, 0, cv::INTER_LINEAR);
    const auto* values = fine.ptr<cv::Vec3d>();
    for (std::size_t k = 0; k < guess.size(); ++k)
        for (std::size_t c = 0; c < kChannels; ++c)
            guess[k][c] = values[s.pixels[k]][static_cast<int>(c)];
    return guess;
}

// image64 with its removed pixels replaced by the linear imputation (no noise).
cv::Mat imputed(const cv::Mat& image64, const cv::Mat& removed) {
    const ImputationSystem system = buildSystem(image64, removed);
    cv::Mat out = image64.clone();
    if (system.pixels.empty())
        return out;
    const Values values = solve(system, initialGuess(system, image64, removed));
    auto* pixels = out.ptr<cv::Vec3d>();
    for (std::size_t k = 0; k < values.size(); ++k)
        for (int c = 0; c < kChannels; ++c)
            pixels[system.pixels[k]][c] = values[k][static_cast<std::size_t>(c)];
    return out;
}

}  // namespace

cv::Mat noisyLinearImputation(const cv::Mat& image, const cv::Mat& removed, double noise,
                              std::uint64_t seed) {
    requireColourImage(image, "noisy linear imputation");
    requireMask(removed, "noisy linear imputation");
    requireSameSize(image, removed, "noisy linear imputation");
    if (!(noise >= 0.0) || !std::isfinite(noise))
        throw Error("noisy linear imputation: the noise must be >= 0");
    cv::Mat image64;
    image.convertTo(image64, CV_64FC3);
    if (cv::countNonZero(removed) == static_cast<int>(image.total())) {  // nothing kept to impute from
        image64.setTo(cv::Scalar::all(0));
    } else {
        image64 = imputed(image64, removed);
        const double sigma = noise * (image.depth() == CV_8U ? 255.0 : 1.0);
        std::mt19937_64 engine(seed);
        std::normal_distribution<double> gaussian(0.0, 1.0);
        auto* out = image64.ptr<cv::Vec3d>();
        for (int p = 0; p < static_cast<int>(image.total()); ++p)  // row-major: the seed fixes each draw
            if (sigma > 0 && removed.ptr<uchar>()[p] != 0)
                for (int c = 0; c < kChannels; ++c)
                    out[p][c] += sigma * gaussian(engine);
    }
    cv::Mat result;
    image64.convertTo(result, image.type());  // 8-bit: rounded and clipped
    return result;
}

RoadCurve roadCurve(const cv::Mat& image, const cv::Mat& map, const ClassScore& score, RoadOrder order,
                    const RoadOptions& options) {
    requireColourImage(image, "ROAD");
    requireMap(map, "ROAD");
    requireSameSize(image, map, "ROAD");
    if (!score)
        throw Error("ROAD: no scoring callback");
    if (options.fractions.empty())
        throw Error("ROAD: no fractions to remove");
    for (const double f : options.fractions)
        if (!(f >= 0.0 && f < 1.0))
            throw Error("ROAD: each fraction must lie in [0, 1), got " + std::to_string(f));
    std::vector<int> ranking = rankedPixels(map);
    if (order == RoadOrder::LeastRelevantFirst)  // ties: the later pixel first, the mirror of MoRF
        std::reverse(ranking.begin(), ranking.end());

    RoadCurve curve;
    std::vector<cv::Mat> images;
    for (std::size_t i = 0; i < options.fractions.size(); ++i) {
        const double fraction = options.fractions[i];
        const auto count =
            static_cast<std::size_t>(std::llround(fraction * static_cast<double>(ranking.size())));
        cv::Mat removed = cv::Mat::zeros(map.size(), CV_8UC1);
        for (std::size_t k = 0; k < count; ++k)
            removed.ptr<uchar>()[ranking[k]] = 255;
        images.push_back(noisyLinearImputation(image, removed, options.noise, options.seed + i));
        curve.fractions.push_back(fraction);
    }
    curve.scores = scoreInBatches("ROAD", images, score, options.batchSize);
    double sum = 0;
    for (const double s : curve.scores)
        sum += s;
    curve.mean = sum / static_cast<double>(curve.scores.size());
    return curve;
}

}  // namespace saliency::metrics
