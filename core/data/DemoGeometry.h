#pragma once
// Small 3D vector maths for the demo-data synthesis: points in millimetres in a scan's voxel frame.
#include <algorithm>
#include <cmath>

namespace saliency::demo {

struct Vec3 {
    double x = 0.0;
    double y = 0.0;
    double z = 0.0;
};

inline Vec3 operator+(Vec3 a, Vec3 b) {
    return {a.x + b.x, a.y + b.y, a.z + b.z};
}
inline Vec3 operator-(Vec3 a, Vec3 b) {
    return {a.x - b.x, a.y - b.y, a.z - b.z};
}
inline Vec3 operator*(Vec3 a, double s) {
    return {a.x * s, a.y * s, a.z * s};
}
inline Vec3 operator*(double s, Vec3 a) {
    return a * s;
}
inline double dot(Vec3 a, Vec3 b) {
    return a.x * b.x + a.y * b.y + a.z * b.z;
}
inline Vec3 cross(Vec3 a, Vec3 b) {
    return {a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x};
}
inline double norm(Vec3 a) {
    return std::sqrt(dot(a, a));
}
inline Vec3 normalised(Vec3 a) {
    const double n = norm(a);
    return n > 0.0 ? a * (1.0 / n) : Vec3{0.0, 0.0, 1.0};
}

// Rodrigues' rotation of v about the unit axis k by angle (radians).
inline Vec3 rotated(Vec3 v, Vec3 k, double angle) {
    const double c = std::cos(angle);
    const double s = std::sin(angle);
    return v * c + cross(k, v) * s + k * (dot(k, v) * (1.0 - c));
}

inline double clamp01(double x) {
    return std::clamp(x, 0.0, 1.0);
}
inline double lerp(double a, double b, double t) {
    return a + (b - a) * t;
}
// 0 at or below edge0, 1 at or beyond edge1, a smooth cubic between; works for edge0 > edge1 too.
inline double smoothstep(double edge0, double edge1, double x) {
    const double t = clamp01((x - edge0) / (edge1 - edge0));
    return t * t * (3.0 - 2.0 * t);
}

}  // namespace saliency::demo
