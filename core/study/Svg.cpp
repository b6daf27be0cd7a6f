#include "study/Svg.h"

#include <array>
#include <cmath>
#include <cstdio>

namespace saliency::study::svg {

namespace {

std::string attributes(const Attributes& extra) {
    std::string out;
    for (const auto& [name, value] : extra)
        out += " " + name + "=\"" + escape(value) + "\"";
    return out;
}

std::string paintAttributes(const Paint& p) {
    std::string out = " fill=\"" + escape(p.fill) + "\"";
    if (p.opacity < 1.0)
        out += " fill-opacity=\"" + number(p.opacity) + "\"";
    out += " stroke=\"" + escape(p.stroke) + "\"";
    if (p.stroke != "none") {
        out += " stroke-width=\"" + number(p.strokeWidth) + "\"";
        if (!p.dash.empty())
            out += " stroke-dasharray=\"" + escape(p.dash) + "\"";
    }
    return out;
}

std::string pointList(const std::vector<std::pair<double, double>>& points) {
    std::string out;
    for (const auto& [x, y] : points) {
        if (!out.empty())
            out += ' ';
        out += number(x) + "," + number(y);
    }
    return out;
}

// DejaVu Sans advance widths in em for printable ASCII (32 .. 126).
constexpr std::array<double, 95> kAdvance = {
    0.318, 0.401, 0.460, 0.838, 0.636, 0.950, 0.780, 0.275, 0.390, 0.390, 0.500, 0.838, 0.318, 0.361,
    0.318, 0.337, 0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.636, 0.337, 0.337,
    0.838, 0.838, 0.838, 0.531, 1.000, 0.684, 0.686, 0.698, 0.770, 0.632, 0.575, 0.775, 0.752, 0.295,
    0.295, 0.656, 0.557, 0.863, 0.748, 0.787, 0.603, 0.787, 0.695, 0.635, 0.611, 0.732, 0.684, 0.989,
    0.685, 0.611, 0.685, 0.390, 0.337, 0.390, 0.838, 0.500, 0.500, 0.613, 0.635, 0.550, 0.635, 0.615,
    0.352, 0.635, 0.634, 0.278, 0.278, 0.579, 0.278, 0.974, 0.634, 0.612, 0.635, 0.635, 0.411, 0.521,
    0.392, 0.634, 0.592, 0.818, 0.592, 0.592, 0.525, 0.636, 0.337, 0.636, 0.838};

}  // namespace

Document::Document(double width, double height, const std::string& title)
    : width_(width), height_(height), title_(title) {}

void Document::rect(double x, double y, double width, double height, const Paint& paint,
                    const Attributes& extra) {
    body_ += "<rect x=\"" + number(x) + "\" y=\"" + number(y) + "\" width=\"" + number(width) +
             "\" height=\"" + number(height) + "\"" + paintAttributes(paint) + attributes(extra) + "/>\n";
}

void Document::line(double x1, double y1, double x2, double y2, const Paint& paint, const Attributes& extra) {
    body_ += "<line x1=\"" + number(x1) + "\" y1=\"" + number(y1) + "\" x2=\"" + number(x2) + "\" y2=\"" +
             number(y2) + "\"" + paintAttributes(paint) + attributes(extra) + "/>\n";
}

void Document::polyline(const std::vector<std::pair<double, double>>& points, const Paint& paint,
                        const Attributes& extra) {
    body_ += "<polyline points=\"" + pointList(points) + "\"" + paintAttributes(paint) + attributes(extra) +
             "/>\n";
}

void Document::polygon(const std::vector<std::pair<double, double>>& points, const Paint& paint,
                       const Attributes& extra) {
    body_ +=
        "<polygon points=\"" + pointList(points) + "\"" + paintAttributes(paint) + attributes(extra) + "/>\n";
}

void Document::circle(double cx, double cy, double r, const Paint& paint, const Attributes& extra) {
    body_ += "<circle cx=\"" + number(cx) + "\" cy=\"" + number(cy) + "\" r=\"" + number(r) + "\"" +
             paintAttributes(paint) + attributes(extra) + "/>\n";
}

void Document::text(double x, double y, const std::string& text, const Font& font, const Attributes& extra) {
    body_ += "<text x=\"" + number(x) + "\" y=\"" + number(y) + "\" font-size=\"" + number(font.size) + "\"";
    if (font.bold)
        body_ += " font-weight=\"bold\"";
    if (font.italic)
        body_ += " font-style=\"italic\"";
    if (font.anchor != "start")
        body_ += " text-anchor=\"" + font.anchor + "\"";
    body_ += " fill=\"" + escape(font.colour) + "\"";
    if (font.rotate != 0.0)
        body_ += " transform=\"rotate(" + number(font.rotate) + " " + number(x) + " " + number(y) + ")\"";
    body_ += attributes(extra) + ">" + escape(text) + "</text>\n";
}

void Document::linearGradient(const std::string& id, const std::vector<std::pair<double, std::string>>& stops,
                              bool vertical) {
    defs_ += "<linearGradient id=\"" + escape(id) + "\" x1=\"0\" y1=\"" + (vertical ? "1" : "0") +
             "\" x2=\"" + (vertical ? "0" : "1") + "\" y2=\"0\">\n";
    for (const auto& [offset, colour] : stops)
        defs_ += "<stop offset=\"" + number(offset) + "\" stop-color=\"" + escape(colour) + "\"/>\n";
    defs_ += "</linearGradient>\n";
}

std::string Document::str() const {
    const std::string w = number(std::ceil(width_)), h = number(std::ceil(height_));
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out += "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"" + w + "\" height=\"" + h +
           "\" viewBox=\"0 0 " + w + " " + h +
           "\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n";
    out += "<title>" + escape(title_) + "</title>\n";
    if (!defs_.empty())
        out += "<defs>\n" + defs_ + "</defs>\n";
    out += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
    return out + body_ + "</svg>\n";
}

std::string escape(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&apos;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string number(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.2f", value);
    std::string out = text;
    out.erase(out.find_last_not_of('0') + 1);
    if (out.back() == '.')
        out.pop_back();
    return out == "-0" ? "0" : out;
}

double textWidth(const std::string& text, double size, bool bold) {
    double em = 0.0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 32 && c < 127)
            em += kAdvance[c - 32];
        else if ((c & 0xC0) != 0x80)
            em += 0.7;  // the first byte of a non-ASCII character (a dash, "±"): about a capital
    }
    return em * size * (bold ? 1.1 : 1.0);
}

}  // namespace saliency::study::svg
