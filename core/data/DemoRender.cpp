#include "data/DemoRender.h"

#include <cmath>
#include <optional>

#include <opencv2/imgproc.hpp>

#include "data/Random.h"

namespace saliency::demo {

namespace {

// The painted and warped intensity at p; `lesion` receives the tumour's membership there.
double paint(const DemoSource& source, const TumourField& field, const TumourLook& look, Vec3 p,
             double& lesion) {
    const Tumour& t = field.tumour();
    lesion = 0.0;
    const double r = norm(p - t.centre);
    if (r > t.pushReach())
        return source.head(p);
    const double brain = source.brain(p);
    const double relative = field.relativeRadius(p);
    // Mass effect: read the healthy tissue where it was before the tumour pushed it here.
    double value = source.head(field.displacedSource(p, relative, brain));
    if (r > t.fieldReach())
        return value;

    const TumourSample s = field.sample(p, relative);
    const TissueLevels& tissue = source.tissue();
    // Vasogenic oedema spreads along white matter and spares cortex and CSF.
    const double whiteLike = smoothstep(tissue.greyMatter, tissue.whiteMatter, value);
    const double notFluid = smoothstep(tissue.csf, tissue.greyMatter, value);
    const double inBrain = smoothstep(0.3, 0.8, brain);
    value = lerp(value, look.oedema,
                 s.oedema * look.oedemaStrength * (0.55 + 0.45 * whiteLike) * notFluid * inBrain);
    if (s.cleft > 0.0)
        value = lerp(value, look.cleft, 0.6 * s.cleft * inBrain);

    // A meningioma fills the space up to the inner skull; intra-axial tumours stay inside the brain.
    const double allowed =
        t.kind == TumourKind::Meningioma ? smoothstep(0.0, 0.1, brain) : smoothstep(0.3, 0.7, brain);
    lesion = s.tumour * allowed;
    const double solid = look.solid * (1.0 + look.texture * s.texture);
    const double core = look.core * (1.0 + 0.6 * look.texture * s.texture);
    const double lesionValue = lerp(lerp(solid, core, s.core), look.edge, look.edgeStrength * s.edge);
    return lerp(value, lesionValue, lesion * look.opacity);
}

}  // namespace

RenderedSlice renderSlice(const DemoSource& source, const ImagePlan& plan) {
    const int width = plan.width;
    const int height = plan.height;
    RenderedSlice out;
    out.intensity.create(height, width, CV_32F);
    out.mask = cv::Mat::zeros(height, width, CV_8U);
    std::optional<TumourField> field;
    if (plan.lesion)
        field.emplace(*plan.lesion);
    const SliceFrame& f = plan.plane;
    for (int r = 0; r < height; ++r) {
        float* row = out.intensity.ptr<float>(r);
        std::uint8_t* maskRow = out.mask.ptr<std::uint8_t>(r);
        const float* du = plan.elasticU.ptr<float>(r);
        const float* dv = plan.elasticV.ptr<float>(r);
        const double b0 = (r + 0.5 - 0.5 * height) * plan.pixelMm;
        for (int c = 0; c < width; ++c) {
            const double a = (c + 0.5 - 0.5 * width) * plan.pixelMm + du[c];
            const double b = b0 + dv[c];
            const Vec3 p = f.centre + f.u * a + f.v * b;
            if (!field) {
                row[c] = source.head(p);
                continue;
            }
            double lesion = 0.0;
            row[c] = static_cast<float>(paint(source, *field, plan.look, p, lesion));
            if (lesion > 0.5) {
                maskRow[c] = 255;
                ++out.maskPixels;
            }
        }
    }
    return out;
}

cv::Mat finishImage(const cv::Mat& intensity, const DemoSource& source, Rng& rng) {
    const int width = intensity.cols;
    const int height = intensity.rows;
    // Receive-coil shading: a smooth multiplicative bias of up to about +-25%.
    cv::Mat bias = smoothRandomField(width, height, 3, rng.uniform(0.05, 0.15), rng);
    cv::exp(bias, bias);
    cv::Mat image = intensity.mul(bias);

    // Rician noise (magnitude of complex Gaussian noise), made on the acquisition matrix, which is
    // usually coarser than the exported image, then interpolated like the image was.
    const TissueLevels& tissue = source.tissue();
    const double sigma = rng.uniform(0.01, 0.045) * std::max(tissue.whiteMatter, tissue.greyMatter);
    const double acquisition = rng.uniform(0.5, 1.0);
    const int noiseW = std::max(48, static_cast<int>(std::lround(width * acquisition)));
    const int noiseH = std::max(48, static_cast<int>(std::lround(height * acquisition)));
    cv::Mat real(noiseH, noiseW, CV_32F);
    cv::Mat imaginary(noiseH, noiseW, CV_32F);
    for (int r = 0; r < noiseH; ++r)
        for (int c = 0; c < noiseW; ++c) {
            real.at<float>(r, c) = static_cast<float>(sigma * rng.normal());
            imaginary.at<float>(r, c) = static_cast<float>(sigma * rng.normal());
        }
    cv::resize(real, real, intensity.size(), 0, 0, cv::INTER_LINEAR);
    cv::resize(imaginary, imaginary, intensity.size(), 0, 0, cv::INTER_LINEAR);

    // Window and gamma as an export from a viewer would set them.
    const double high = source.windowHigh() * rng.uniform(0.8, 1.1);
    const double low = rng.uniform(0.0, 2.5) * sigma;
    const double gamma = rng.uniform(0.8, 1.25);
    cv::Mat out(height, width, CV_8U);
    for (int r = 0; r < height; ++r) {
        const float* in = image.ptr<float>(r);
        const float* nr = real.ptr<float>(r);
        const float* ni = imaginary.ptr<float>(r);
        std::uint8_t* o = out.ptr<std::uint8_t>(r);
        for (int c = 0; c < width; ++c) {
            const double re = in[c] + nr[c];
            const double magnitude = std::sqrt(re * re + static_cast<double>(ni[c]) * ni[c]);
            const double level = std::pow(clamp01((magnitude - low) / (high - low)), gamma);
            o[c] = static_cast<std::uint8_t>(std::lround(255.0 * level));
        }
    }
    return out;
}

}  // namespace saliency::demo
