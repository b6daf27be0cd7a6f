#pragma once
// A small SVG 1.1 writer for the report's charts (no Qt in core, so no QSvgGenerator): shapes and
// text in user units (px), escaped, with numbers written to 0.01 px. Elements can carry a class and
// data-* attributes, so that a test (or a script) can find the bars, cells and points of a chart
// and read their values without parsing geometry.
#include <string>
#include <utility>
#include <vector>

namespace saliency::study::svg {

// How a shape is painted. Colours are SVG colour strings ("#0072B2", "none").
struct Paint {
    std::string fill = "none";
    std::string stroke = "none";
    double strokeWidth = 1.0;
    double opacity = 1.0;  // fill opacity
    std::string dash;      // stroke-dasharray, e.g. "4 3"
};

// Text placement: anchor "start", "middle" or "end"; rotation in degrees about (x, y).
struct Font {
    double size = 12.0;
    bool bold = false;
    std::string colour = "#1e1e1e";
    std::string anchor = "start";
    double rotate = 0.0;
    bool italic = false;
};

// Optional class and data-* attributes of one element: {{"class", "bar"}, {"data-value", "0.5"}}.
using Attributes = std::vector<std::pair<std::string, std::string>>;

class Document {
  public:
    Document(double width, double height, const std::string& title);

    void rect(double x, double y, double width, double height, const Paint& paint,
              const Attributes& extra = {});
    void line(double x1, double y1, double x2, double y2, const Paint& paint, const Attributes& extra = {});
    void polyline(const std::vector<std::pair<double, double>>& points, const Paint& paint,
                  const Attributes& extra = {});
    void circle(double cx, double cy, double r, const Paint& paint, const Attributes& extra = {});
    void polygon(const std::vector<std::pair<double, double>>& points, const Paint& paint,
                 const Attributes& extra = {});
    // y is the text's baseline.
    void text(double x, double y, const std::string& text, const Font& font, const Attributes& extra = {});
    // A colour ramp usable as fill "url(#id)", left to right or (vertical) bottom to top; stops are
    // (offset in [0,1], colour).
    void linearGradient(const std::string& id, const std::vector<std::pair<double, std::string>>& stops,
                        bool vertical);

    double width() const noexcept { return width_; }
    double height() const noexcept { return height_; }
    void setHeight(double height) { height_ = height; }  // charts laid out top-down learn it last
    std::string str() const;                             // the whole document, XML declaration first

  private:
    double width_, height_;
    std::string title_;
    std::string defs_;
    std::string body_;
};

std::string escape(const std::string& text);  // &, <, >, " and ' as entities
std::string number(double value);             // at most two decimals, no trailing zeros, "-0" as "0"

// The width of `text` at `size` px in a sans-serif font, estimated per character from DejaVu Sans'
// advance widths (the widest common sans: Helvetica and Arial come out narrower), for layout
// without font metrics: labels are placed so that they do not collide even in the widest font.
double textWidth(const std::string& text, double size, bool bold = false);

}  // namespace saliency::study::svg
