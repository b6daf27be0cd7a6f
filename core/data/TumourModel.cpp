#include "data/TumourModel.h"

#include <cmath>
#include <numbers>

#include "data/Random.h"

namespace saliency::demo {

namespace {

Vec3 randomDirection(Rng& rng) {
    // Uniform on the sphere: z uniform in [-1, 1], azimuth uniform.
    const double z = rng.uniform(-1.0, 1.0);
    const double azimuth = rng.uniform(0.0, 2.0 * std::numbers::pi);
    const double s = std::sqrt(std::max(0.0, 1.0 - z * z));
    return {s * std::cos(azimuth), s * std::sin(azimuth), z};
}

std::array<Vec3, 3> randomFrame(Rng& rng) {
    const Vec3 a = randomDirection(rng);
    const Vec3 helper = std::abs(a.x) < 0.9 ? Vec3{1, 0, 0} : Vec3{0, 1, 0};
    const Vec3 b = normalised(cross(a, helper));
    return {a, b, cross(a, b)};
}

// Shape parameters per kind, from what these lesions typically look like on MRI. Radii (mm) lean to
// the large lesions that dominate public sets such as Kaggle's: with smaller ones, networks trained
// from scratch on a few hundred demo scans (no ImageNet weights can be had here) stay near chance.
struct ShapeRanges {
    double radiusLo, radiusHi;
    double stretch;  // anisotropy: each axis factor in [1 - stretch, 1 + stretch]
    int lobesLo, lobesHi;
    double lobeAmplitudeLo, lobeAmplitudeHi;
    int satellitesLo, satellitesHi;
    double roughnessLo, roughnessHi;
    double softnessLo, softnessHi;
    double massLo, massHi;
    double massRangeLo, massRangeHi;
};

ShapeRanges shapeRanges(TumourKind kind) {
    switch (kind) {
        case TumourKind::Glioblastoma:  // large, irregular, multi-lobed, infiltrative, strong mass effect
            return {18, 34, 0.25, 4, 6, 0.07, 0.16, 1, 3, 0.09, 0.16, 0.04, 0.06, 0.5, 0.85, 20, 40};
        case TumourKind::Metastasis:  // small, roundish, well defined
            return {9, 18, 0.15, 2, 4, 0.04, 0.10, 0, 1, 0.04, 0.08, 0.03, 0.05, 0.3, 0.6, 12, 25};
        case TumourKind::Meningioma:  // extra-axial, smooth, lobulated, pushes the brain
            return {14, 30, 0.2, 2, 4, 0.04, 0.10, 0, 2, 0.02, 0.05, 0.025, 0.04, 0.7, 0.95, 20, 40};
        case TumourKind::LowGradeGlioma:  // diffuse, ill-defined, little mass effect
            return {17, 32, 0.3, 3, 5, 0.07, 0.15, 1, 2, 0.10, 0.18, 0.14, 0.24, 0.2, 0.45, 12, 25};
    }
    return shapeRanges(TumourKind::Glioblastoma);
}

// Core (necrosis or cyst) and oedema per kind.
void randomCoreAndOedema(Rng& rng, Tumour& t) {
    switch (t.kind) {
        case TumourKind::Glioblastoma:
            t.coreFraction = rng.uniform(0.45, 0.75);
            t.oedemaMm = rng.uniform(8.0, 25.0);
            break;
        case TumourKind::Metastasis:
            t.coreFraction = rng.chance(0.55) ? rng.uniform(0.35, 0.65) : 0.0;
            t.oedemaMm = rng.uniform(10.0, 28.0);  // oedema out of proportion to the lesion is typical
            break;
        case TumourKind::Meningioma:
            t.coreFraction = 0.0;
            t.oedemaMm = rng.chance(0.4) ? rng.uniform(3.0, 12.0) : 0.0;
            break;
        case TumourKind::LowGradeGlioma:
            t.coreFraction = 0.0;
            t.oedemaMm = rng.uniform(0.0, 5.0);
            break;
    }
    t.coreOffset = randomDirection(rng) * (rng.uniform(0.0, 0.2) * t.radius);
}

}  // namespace

const char* tumourKindName(TumourKind kind) {
    switch (kind) {
        case TumourKind::Glioblastoma:
            return "glioblastoma";
        case TumourKind::Metastasis:
            return "metastasis";
        case TumourKind::Meningioma:
            return "meningioma";
        case TumourKind::LowGradeGlioma:
            return "low-grade glioma";
    }
    return "tumour";
}

double Tumour::maxRadius() const {
    double lobeSum = 0.0;
    for (const Lobe& lobe : lobes)
        lobeSum += std::abs(lobe.amplitude);
    const double stretchMax = std::max({stretch.x, stretch.y, stretch.z});
    double extent = 1.0;  // of the union, relative to the main mass
    for (const Satellite& s : satellites)
        extent = std::max(extent, norm(s.offset) / (radius * stretchMax) + s.scale);
    return radius * stretchMax * extent * (1.0 + lobeSum) * (1.0 + roughness + softness);
}

double Tumour::fieldReach() const {
    return maxRadius() * 1.1 + 2.0 * oedemaMm + 3.0;
}

// Beyond three decay lengths the push is below about 0.1 mm.
double Tumour::pushReach() const {
    return maxRadius() + 3.0 * massRangeMm;
}

TumourKind randomTumourKind(Rng& rng) {
    const double u = rng.uniform();
    if (u < 0.40)
        return TumourKind::Glioblastoma;
    if (u < 0.60)
        return TumourKind::Metastasis;
    if (u < 0.85)
        return TumourKind::Meningioma;
    return TumourKind::LowGradeGlioma;
}

Tumour randomTumour(Rng& rng, TumourKind kind) {
    const ShapeRanges r = shapeRanges(kind);
    Tumour t;
    t.kind = kind;
    t.radius = rng.uniform(r.radiusLo, r.radiusHi);
    t.axes = randomFrame(rng);
    t.stretch = {rng.uniform(1.0 - r.stretch, 1.0 + r.stretch), rng.uniform(1.0 - r.stretch, 1.0 + r.stretch),
                 rng.uniform(1.0 - r.stretch, 1.0 + r.stretch)};
    const int lobes = rng.uniformInt(r.lobesLo, r.lobesHi);
    for (int i = 0; i < lobes; ++i) {
        Lobe lobe;
        lobe.axis = randomDirection(rng);
        lobe.frequency = rng.uniform(2.0, 5.5);
        lobe.phase = rng.uniform(0.0, 2.0 * std::numbers::pi);
        lobe.amplitude = rng.uniform(r.lobeAmplitudeLo, r.lobeAmplitudeHi);
        t.lobes.push_back(lobe);
    }
    const int satellites = rng.uniformInt(r.satellitesLo, r.satellitesHi);
    for (int i = 0; i < satellites; ++i)
        t.satellites.push_back(
            {randomDirection(rng) * (rng.uniform(0.45, 0.85) * t.radius), rng.uniform(0.35, 0.65)});
    t.roughness = rng.uniform(r.roughnessLo, r.roughnessHi);
    t.softness = rng.uniform(r.softnessLo, r.softnessHi);
    t.massEffect = rng.uniform(r.massLo, r.massHi);
    t.massRangeMm = rng.uniform(r.massRangeLo, r.massRangeHi);
    randomCoreAndOedema(rng, t);
    t.noiseSeed = rng.next();
    return t;
}

TumourLook randomLook(Rng& rng, TumourKind kind, Contrast contrast, const TissueLevels& tissue) {
    const double wm = tissue.whiteMatter;
    const double gm = tissue.greyMatter;
    const double csf = tissue.csf;
    TumourLook look;
    look.cleft = csf;
    if (contrast == Contrast::T1) {
        // Post-contrast T1 look: enhancing rim or mass brighter than white matter, necrosis and
        // cysts dark like CSF, oedema hypointense (white matter drifts below grey matter).
        look.oedema = gm * rng.uniform(0.62, 0.75);
        switch (kind) {
            case TumourKind::Glioblastoma:  // thick, shaggy, unevenly enhancing rim
                look.solid = wm * rng.uniform(1.05, 1.3);
                look.core = lerp(csf, gm, rng.uniform(0.1, 0.5));
                look.texture = rng.uniform(0.14, 0.26);
                look.oedemaStrength = rng.uniform(0.7, 1.0);
                break;
            case TumourKind::Metastasis:
                look.solid = wm * rng.uniform(1.12, 1.35);
                look.core = lerp(csf, gm, rng.uniform(0.2, 0.6));
                look.texture = rng.uniform(0.08, 0.16);
                look.oedemaStrength = rng.uniform(0.75, 1.0);
                break;
            case TumourKind::Meningioma:  // avid, fairly homogeneous enhancement
                look.solid = wm * rng.uniform(1.12, 1.35);
                look.core = gm;
                look.texture = rng.uniform(0.08, 0.14);
                look.oedemaStrength = rng.uniform(0.5, 0.8);
                look.cleft = csf * rng.uniform(1.0, 1.4);
                break;
            case TumourKind::LowGradeGlioma:  // non-enhancing, hypointense, heterogeneous, infiltrating
                look.solid = lerp(csf, gm, rng.uniform(0.3, 0.6));
                look.core = look.solid;
                look.texture = rng.uniform(0.10, 0.18);
                look.oedemaStrength = 0.5;
                look.opacity = rng.uniform(0.65, 0.9);
                break;
        }
    } else {
        // Proton density: lesions and oedema hyperintense, fluid in a necrotic core brightest, a
        // thin dark capsule line at the border of high-grade lesions, a meningioma near grey matter.
        look.oedema = gm * rng.uniform(1.22, 1.35);
        look.edge = gm * rng.uniform(0.7, 0.85);
        switch (kind) {
            case TumourKind::Glioblastoma:
                look.solid = gm * rng.uniform(1.1, 1.25);
                look.core = gm * rng.uniform(1.3, 1.5);
                look.texture = rng.uniform(0.10, 0.18);
                look.oedemaStrength = rng.uniform(0.7, 1.0);
                look.edgeStrength = rng.uniform(0.3, 0.7);
                break;
            case TumourKind::Metastasis:
                look.solid = gm * rng.uniform(1.15, 1.3);
                look.core = gm * rng.uniform(1.3, 1.5);
                look.texture = rng.uniform(0.06, 0.12);
                look.oedemaStrength = rng.uniform(0.75, 1.0);
                look.edgeStrength = rng.uniform(0.3, 0.7);
                break;
            case TumourKind::Meningioma:
                look.solid = gm * rng.uniform(1.05, 1.18);
                look.core = gm;
                look.texture = rng.uniform(0.08, 0.14);
                look.oedemaStrength = rng.uniform(0.5, 0.8);
                break;
            case TumourKind::LowGradeGlioma:
                look.solid = gm * rng.uniform(1.2, 1.4);
                look.core = look.solid;
                look.texture = rng.uniform(0.08, 0.14);
                look.oedemaStrength = 0.5;
                look.opacity = rng.uniform(0.65, 0.9);
                break;
        }
    }
    return look;
}

TumourField::TumourField(const Tumour& tumour)
    : tumour_(tumour),
      border_(Rng::mix(tumour.noiseSeed, 1)),
      core_(Rng::mix(tumour.noiseSeed, 2)),
      oedema_(Rng::mix(tumour.noiseSeed, 3)),
      texture_(Rng::mix(tumour.noiseSeed, 4)) {}

double TumourField::smoothRadius(Vec3 d) const {
    double relative = blobRadius(d);
    for (const Satellite& s : tumour_.satellites)
        relative = std::min(relative, blobRadius(d - s.offset) / s.scale);
    return relative;
}

double TumourField::blobRadius(Vec3 d) const {
    const Tumour& t = tumour_;
    const Vec3 e{dot(d, t.axes[0]) / t.stretch.x, dot(d, t.axes[1]) / t.stretch.y,
                 dot(d, t.axes[2]) / t.stretch.z};
    const double re = norm(e);
    if (re < 1e-9)
        return 0.0;
    const Vec3 dir = e * (1.0 / re);
    double factor = 1.0;
    for (const Lobe& lobe : t.lobes)
        factor += lobe.amplitude * std::sin(lobe.frequency * dot(dir, lobe.axis) + lobe.phase);
    return re / (t.radius * std::max(factor, 0.55));
}

TumourSample TumourField::sample(Vec3 p, double relative) const {
    const Tumour& t = tumour_;
    const Vec3 d = p - t.centre;
    TumourSample s;
    // Border: the lobulated shape plus fractal roughness at a few millimetres' scale.
    const double rho = relative + t.roughness * border_.fractal(p * (1.0 / 6.0), 3);
    s.tumour = 1.0 - smoothstep(1.0 - t.softness, 1.0 + t.softness, rho);
    if (t.coreFraction > 0.0) {
        const double rc =
            blobRadius(d - t.coreOffset) / t.coreFraction + 0.22 * core_.fractal(p * (1.0 / 4.5), 2);
        // Keep at least a thin rim of solid tumour around the core.
        s.core = (1.0 - smoothstep(0.92, 1.08, rc)) * (1.0 - smoothstep(0.80, 0.90, rho));
    }
    const double outsideMm = (rho - 1.0) * t.radius;
    if (t.oedemaMm > 0.0) {
        const double reach =
            outsideMm <= 0.0 ? 1.0 : std::exp(-(outsideMm / t.oedemaMm) * (outsideMm / t.oedemaMm));
        // Blotchy, finger-like spread rather than a perfect ring.
        s.oedema = reach * clamp01(0.85 + 0.45 * oedema_.fractal(p * (1.0 / 8.0), 2));
    }
    if (t.kind == TumourKind::Meningioma && outsideMm > -0.5) {
        const double x = (outsideMm - 0.8) / 0.7;
        s.cleft = std::exp(-x * x);
    }
    const double edgeWidth = 1.2 / t.radius;  // about 1 mm
    s.edge = std::exp(-((rho - 1.0 + edgeWidth) / edgeWidth) * ((rho - 1.0 + edgeWidth) / edgeWidth));
    s.texture = texture_.fractal(p * (1.0 / 4.0), 3);
    return s;
}

Vec3 TumourField::displacedSource(Vec3 p, double relative, double pushWeight) const {
    const Tumour& t = tumour_;
    const Vec3 d = p - t.centre;
    const double r = norm(d);
    if (r < 1e-9 || relative <= 0.0)
        return t.centre;
    // Tissue at the border came from where an incompressible push by the displacing share of the
    // tumour's volume would have moved it: cbrt(1 - massEffect) of the way out. Beyond the border the
    // push falls off like 1/r (slower than in an open medium, since the skull confines the brain and
    // the push travels on to the ventricles and the midline) and fades over massRangeMm.
    const double borderR = r / relative;
    const double borderShift = borderR * (1.0 - std::cbrt(1.0 - t.massEffect));
    const double shift = r <= borderR
                             ? borderShift * r / borderR
                             : borderShift * (borderR / r) * std::exp(-(r - borderR) / t.massRangeMm);
    return t.centre + d * ((r - shift * pushWeight) / r);
}

}  // namespace saliency::demo
