#include "FigureExport.h"

#include <algorithm>
#include <cmath>

#include <QBuffer>
#include <QFileInfo>
#include <QFont>
#include <QFontMetricsF>
#include <QImage>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSvgGenerator>

#include "common/AtomicFile.h"
#include "common/Error.h"

namespace saliency::ui {

namespace {

constexpr double kPointsPerMm = 72.0 / 25.4;
constexpr double kMargin = 2;     // points around the figure; also absorbs the PDF page's whole points
constexpr double kGap = 2;        // between cells
constexpr double kHeaderGap = 3;  // between headers and cells, and before the legend
constexpr double kLegendSpacing = 9;
constexpr double kMinimumCell = 12;  // points (4 mm): below this a map cannot be read
const QColor kText(20, 20, 20);
const QColor kDetail(80, 80, 80);
const QColor kCellBackground(17, 17, 17);

// ---- text measured the same way for every device -------------------------------------------

struct TextStyle {
    double points = 8;
    bool bold = false;
};

// Metrics are taken at 16x the size on a 72-dpi image and divided back: points in, points out,
// whatever device the figure is painted on, and free of the small-size hinting that makes text
// widths jump between 96 and 300 dpi.
constexpr double kMeasureScale = 16;

const QPaintDevice& measureDevice() {
    static const QImage device = [] {
        QImage image(1, 1, QImage::Format_RGB32);
        image.setDotsPerMeterX(2835);  // 72.0 dpi: a point is a pixel
        image.setDotsPerMeterY(2835);
        return image;
    }();
    return device;
}

QFont baseFont(const TextStyle& style) {
    QFont font("DejaVu Sans");
    font.setBold(style.bold);
    font.setHintingPreference(QFont::PreferNoHinting);
    return font;
}

// The font that is `style.points` points tall in a painter whose coordinates are points: Qt turns
// point sizes into pixels with the device's DPI, and the painter's scale already does that once.
QFont deviceFont(const TextStyle& style, const QPaintDevice& device) {
    QFont font = baseFont(style);
    font.setPointSizeF(style.points * 72.0 / device.logicalDpiY());
    return font;
}

class Measure {
  public:
    explicit Measure(const TextStyle& style)
        : style_(style), metrics_(measureFont(style), &measureDevice()) {}
    const TextStyle& style() const { return style_; }
    double width(const QString& text) const { return metrics_.horizontalAdvance(text) / kMeasureScale; }
    double line() const { return metrics_.lineSpacing() / kMeasureScale; }
    double ascent() const { return metrics_.ascent() / kMeasureScale; }
    QString elided(const QString& text, Qt::TextElideMode mode, double width) const {
        return metrics_.elidedText(text, mode, width * kMeasureScale);
    }

  private:
    static QFont measureFont(const TextStyle& style) {
        QFont font = baseFont(style);
        font.setPointSizeF(style.points * kMeasureScale);
        return font;
    }
    TextStyle style_;
    QFontMetricsF metrics_;
};

// Where a line may break: after a space; inside a word too wide for the line, also after a
// hyphen, an underscore or a slash, so that "efficientnet-b0-demo" wraps as "efficientnet-" /
// "b0-demo" and never inside a part, while "Guided Grad-CAM" wraps as "Guided" / "Grad-CAM".
QStringList breakPieces(const QString& text, const Measure& m, double width) {
    auto split = [](const QString& s, auto isBreak) {
        QStringList pieces;
        QString current;
        for (const QChar c : s) {
            current += c;
            if (isBreak(c)) {
                pieces << current;
                current.clear();
            }
        }
        if (!current.isEmpty())
            pieces << current;
        return pieces;
    };
    QStringList pieces;
    for (const QString& word : split(text, [](QChar c) { return c == ' '; })) {
        if (m.width(word.trimmed()) <= width)
            pieces << word;
        else
            pieces << split(word, [](QChar c) { return c == '-' || c == '_' || c == '/'; });
    }
    return pieces;
}

// Greedy wrap to `width`; a piece wider than a line is shortened in the middle with an ellipsis
// (the start and end of a name tell models apart). maxLines > 0: the last line kept ends with an
// ellipsis when text is left over.
QStringList wrap(const QString& text, const Measure& m, double width, int maxLines = 0) {
    QStringList raw;  // concatenated, they give the text back
    QString line;
    for (const QString& piece : breakPieces(text, m, width)) {
        if (!line.isEmpty() && m.width((line + piece).trimmed()) > width) {
            raw << line;
            line.clear();
        }
        line += piece;
    }
    if (!line.trimmed().isEmpty())
        raw << line;
    if (maxLines > 0 && raw.size() > maxLines) {
        const QString rest = raw.mid(maxLines - 1).join(QString()).trimmed();
        raw = raw.mid(0, maxLines - 1);
        raw << m.elided(rest, Qt::ElideRight, width);
    }
    QStringList lines;
    for (const QString& l : raw) {
        const QString t = l.trimmed();
        lines << (m.width(t) > width ? m.elided(t, Qt::ElideMiddle, width) : t);
    }
    return lines;
}

// ---- what goes where, in points -------------------------------------------------------------

struct PlacedText {
    QPointF topLeft;
    double width = 0;  // for centring
    QStringList lines;
    TextStyle style;
    bool centred = false;
    QColor colour = kText;
};

struct PlacedCell {
    QRectF rect;
    const CellContent* cell = nullptr;  // null: the grid has no such cell
};

enum class Symbol { ColourBar, Gradient, Mask, Centre, Contour, Mark };

struct LegendSymbol {
    Symbol kind = Symbol::Mask;
    QRectF rect;
    CellMark mark = CellMark::None;
};

struct Figure {
    QSizeF size;
    double cell = 0;
    std::vector<PlacedText> texts;
    std::vector<PlacedCell> cells;
    std::vector<LegendSymbol> symbols;
};

struct Header {
    QString title;
    QStringList details;
};

// The grid as the figure shows it: transposed or not, with or without the scan column.
struct Table {
    std::vector<Header> columns, rows;
    std::vector<std::vector<const CellContent*>> cells;  // [row][column]
    QStringList gradientMethods;                         // methods shown as standardised gradients
};

bool isScanColumn(const GridContent& content, int column) {
    if (content.rows.empty())
        return false;
    return std::all_of(content.rows.begin(), content.rows.end(), [column](const GridRow& row) {
        return column < static_cast<int>(row.cells.size()) &&
               row.cells[static_cast<size_t>(column)].kind == CellKind::Scan;
    });
}

Header networkHeader(const GridRow& row) {
    Header header{row.title, row.subtitle.split('\n', Qt::SkipEmptyParts)};
    // The class the maps explain, once, when the subtitle does not already say it.
    for (const auto& cell : row.cells)
        if (cell.kind != CellKind::Scan && !cell.caption.isEmpty()) {
            if (!row.subtitle.contains(cell.caption))
                header.details << "maps of: " + cell.caption;
            break;
        }
    return header;
}

Table tableOf(const GridContent& content, const FigureOptions& options) {
    std::vector<int> shown;
    for (int c = 0; c < static_cast<int>(content.columns.size()); ++c)
        if (options.scanColumn || !isScanColumn(content, c))
            shown.push_back(c);
    auto cellAt = [&](size_t r, int c) -> const CellContent* {
        const auto& cells = content.rows[r].cells;
        return c < static_cast<int>(cells.size()) ? &cells[static_cast<size_t>(c)] : nullptr;
    };
    Table table;
    for (const int c : shown)
        for (size_t r = 0; r < content.rows.size(); ++r)
            if (const auto* cell = cellAt(r, c); cell && cell->kind == CellKind::Gradient) {
                table.gradientMethods << content.columns[c];
                break;
            }
    if (options.layout == FigureLayout::NetworksByMethods) {
        for (const int c : shown)
            table.columns.push_back({content.columns[c], {}});
        for (size_t r = 0; r < content.rows.size(); ++r) {
            table.rows.push_back(networkHeader(content.rows[r]));
            auto& line = table.cells.emplace_back();
            for (const int c : shown)
                line.push_back(cellAt(r, c));
        }
    } else {
        for (const auto& row : content.rows)
            table.columns.push_back(networkHeader(row));
        for (const int c : shown) {
            table.rows.push_back({content.columns[c], {}});
            auto& line = table.cells.emplace_back();
            for (size_t r = 0; r < content.rows.size(); ++r)
                line.push_back(cellAt(r, c));
        }
    }
    return table;
}

struct Styles {
    TextStyle title, label, detail;
    explicit Styles(double points)
        : title{points + 1, true}, label{points, true}, detail{std::max(4.0, points - 1), false} {}
};

// The header block of a row: its title, then as many detail lines as the cell's height holds.
PlacedText rowHeaderTitle(const Header& h, const Measure& label, QPointF at, double width, double height) {
    const int maxLines = std::max(1, static_cast<int>(height / label.line()));
    return {at, width, wrap(h.title, label, width, maxLines), label.style(), false, kText};
}

PlacedText rowHeaderDetails(const Header& h, const Measure& detail, QPointF at, double width, double height) {
    QStringList lines;
    QStringList all;
    for (const QString& d : h.details)
        all << wrap(d, detail, width);
    const int fit = static_cast<int>(height / detail.line());
    if (all.size() <= fit) {
        lines = all;
    } else if (fit > 0) {
        lines = all.mid(0, fit - 1);
        // What does not fit is elided, never dropped without a mark.
        lines << detail.elided(all.mid(fit - 1).join(' '), Qt::ElideRight, width);
    }
    return {at, width, lines, detail.style(), false, kDetail};
}

double blockHeight(const PlacedText& text, const Measure& m) {
    return static_cast<double>(text.lines.size()) * m.line();
}

// Column titles shrink (by up to 2 pt, not below 5 pt) until each word fits its column: a one-column
// figure's "Backprop" reads better a little smaller than elided.
TextStyle fittingStyle(TextStyle style, const std::vector<Header>& headers, double width) {
    const double smallest = std::max(5.0, style.points - 2);
    for (; style.points > smallest; style.points -= 0.5) {
        const Measure m(style);
        const bool fits = std::all_of(headers.begin(), headers.end(), [&](const Header& h) {
            const QStringList words = h.title.split(' ', Qt::SkipEmptyParts);
            return std::all_of(words.begin(), words.end(),
                               [&](const QString& w) { return m.width(w) <= width; });
        });
        if (fits)
            break;
    }
    return style;
}

void layOutHeaders(Figure& f, const Table& table, const Styles& styles, double gridLeft, double& y,
                   double rowHeaderWidth) {
    const Measure label(styles.label), detail(styles.detail);
    const Measure columnLabel(fittingStyle(styles.label, table.columns, f.cell));
    double height = 0;
    std::vector<PlacedText> titles, details;
    for (size_t c = 0; c < table.columns.size(); ++c) {
        const Header& h = table.columns[c];
        const double left = gridLeft + static_cast<double>(c) * (f.cell + kGap);
        const QStringList titleLines = wrap(h.title, columnLabel, f.cell, 3);
        PlacedText title{{left, y}, f.cell, titleLines, columnLabel.style(), true, kText};
        QStringList lines;
        for (const QString& d : h.details)
            lines << wrap(d, detail, f.cell, 2);
        const double titleHeight = blockHeight(title, columnLabel);
        PlacedText more{{left, y + titleHeight}, f.cell, lines, styles.detail, true, kDetail};
        height = std::max(height, titleHeight + blockHeight(more, detail));
        titles.push_back(title);
        details.push_back(more);
    }
    // Each column's header sits on the cells, however many lines its neighbours take.
    for (size_t c = 0; c < titles.size(); ++c) {
        const double drop = height - blockHeight(titles[c], columnLabel) - blockHeight(details[c], detail);
        titles[c].topLeft.ry() += drop;
        details[c].topLeft.ry() += drop;
        f.texts.push_back(titles[c]);
        f.texts.push_back(details[c]);
    }
    if (height > 0)
        y += height + kHeaderGap;
    const double top = y;
    for (size_t r = 0; r < table.rows.size(); ++r) {
        const double rowTop = top + static_cast<double>(r) * (f.cell + kGap);
        if (rowHeaderWidth > 0) {
            const PlacedText title =
                rowHeaderTitle(table.rows[r], label, {kMargin, rowTop}, rowHeaderWidth, f.cell);
            const double used = blockHeight(title, label);
            f.texts.push_back(title);
            f.texts.push_back(rowHeaderDetails(table.rows[r], detail, {kMargin, rowTop + used},
                                               rowHeaderWidth, f.cell - used));
        }
        for (size_t c = 0; c < table.columns.size(); ++c)
            f.cells.push_back(
                {QRectF(gridLeft + static_cast<double>(c) * (f.cell + kGap), rowTop, f.cell, f.cell),
                 table.cells[r][c]});
    }
    if (!table.rows.empty())
        y = top + static_cast<double>(table.rows.size()) * (f.cell + kGap) - kGap;
}

// The legend flows left to right and wraps: each entry a symbol and its words.
class LegendFlow {
  public:
    LegendFlow(Figure& f, const Styles& styles, double top, double right)
        : f_(f), detail_(styles.detail), style_(styles.detail), x_(kMargin), top_(top), right_(right) {}

    void add(Symbol kind, const QString& text, CellMark mark = CellMark::None) {
        const double side = detail_.line() * 0.95;
        const QSizeF symbol = kind == Symbol::ColourBar
                                  ? QSizeF(std::min(90.0, (right_ - kMargin) * 0.3), side * 0.8)
                                  : QSizeF(side, side);
        const double lead = kind == Symbol::ColourBar ? detail_.width("0") / 2 : 0;  // room for the tick "0"
        const double textWidth =
            std::min(detail_.width(text), right_ - kMargin - 2 * lead - symbol.width() - 3);
        const double width = 2 * lead + symbol.width() + (text.isEmpty() ? 0 : 3 + textWidth);
        if (x_ > kMargin && x_ + width > right_)
            newLine();
        const QStringList lines = wrap(text, detail_, textWidth);
        const double symbolTop = top_ + (detail_.line() - symbol.height()) / 2;
        const QRectF rect(QPointF(x_ + lead, symbolTop), symbol);
        f_.symbols.push_back({kind, rect, mark});
        double height = std::max(static_cast<double>(lines.size()) * detail_.line(), detail_.line());
        if (kind == Symbol::ColourBar) {
            // Ticks under the bar.
            const double tickTop = rect.bottom() + 1;
            for (const auto& [value, at] :
                 {std::pair{QString("0"), rect.left()}, std::pair{QString("0.5"), rect.center().x()},
                  std::pair{QString("1"), rect.right()}}) {
                const double w = detail_.width(value);
                f_.texts.push_back({{at - w / 2, tickTop}, w, {value}, style_, true, kDetail});
            }
            height = std::max(height, tickTop + detail_.line() - top_);
        }
        if (!text.isEmpty())
            f_.texts.push_back({{rect.right() + 3 + lead, top_}, textWidth, lines, style_, false, kText});
        x_ += width + kLegendSpacing;
        lineHeight_ = std::max(lineHeight_, height);
    }

    void newLine() {
        top_ += lineHeight_ + 2;
        lineHeight_ = 0;
        x_ = kMargin;
    }

    double bottom() const { return lineHeight_ > 0 ? top_ + lineHeight_ : top_; }

  private:
    Figure& f_;
    Measure detail_;
    TextStyle style_;
    double x_, top_, right_;
    double lineHeight_ = 0;
};

struct Shown {
    bool heatmap = false, gradient = false, mask = false, centre = false, contour = false, marks = false;
};

Shown shownIn(const Table& table) {
    Shown s;
    for (const auto& row : table.cells)
        for (const CellContent* cell : row) {
            if (!cell)
                continue;
            const bool image = !cell->image.isNull();
            s.heatmap |= image && cell->kind == CellKind::Heatmap;
            s.gradient |= image && cell->kind == CellKind::Gradient;
            s.mask |= !cell->maskOutline.isEmpty();
            s.centre |= cell->centre.has_value();
            s.contour |= !cell->contour.isEmpty();
            s.marks |= cell->mark != CellMark::None;
        }
    return s;
}

double layOutLegend(Figure& f, const Table& table, const FigureOptions& options, const Styles& styles,
                    double top, double right) {
    const Shown shown = shownIn(table);
    LegendFlow legend(f, styles, top, right);
    const auto& d = options.display;
    if (options.colourBar && shown.heatmap)
        legend.add(Symbol::ColourBar,
                   QString("saliency, normalised 0-1 (%1 colour map, %2% opaque over the scan)")
                       .arg(QString::fromStdString(explain::colourMapName(d.colourMap)))
                       .arg(std::lround(d.heatmapOpacity * 100)));
    if (options.colourBar && shown.gradient)
        legend.add(Symbol::Gradient,
                   table.gradientMethods.join(", ") +
                       ": input gradient as RGB, standardised per map; mid-grey = no gradient");
    if (shown.mask)
        legend.add(Symbol::Mask, "tumour mask");
    if (shown.centre)
        legend.add(Symbol::Centre, "centre of mass");
    if (shown.contour)
        legend.add(Symbol::Contour, QString("map >= %1 of its peak").arg(d.contourLevel, 0, 'f', 2));
    if (shown.marks) {
        legend.add(Symbol::Mark, "correct", CellMark::Correct);
        legend.add(Symbol::Mark, "incorrect", CellMark::Incorrect);
        legend.add(Symbol::Mark, "unsure", CellMark::Unsure);
    }
    return legend.bottom();
}

Figure layOut(const GridContent& content, const FigureOptions& options) {
    checkFigureOptions(options);
    const double width = options.widthMm * kPointsPerMm;
    const double inner = width - 2 * kMargin;
    const Styles styles(options.fontPoints);
    const Table table = tableOf(content, options);
    Figure f;
    double y = kMargin;
    if (options.title && !content.heading.trimmed().isEmpty()) {
        const Measure m(styles.title);
        const PlacedText title{
            {kMargin, y}, inner, wrap(content.heading.simplified(), m, inner, 3), styles.title};
        y += blockHeight(title, m) + kHeaderGap;
        f.texts.push_back(title);
    }
    // Row headers as wide as their longest line, up to a quarter of the figure (then they wrap),
    // or up to a third where a name's longest unbreakable part needs it.
    const Measure label(styles.label), detail(styles.detail);
    double natural = 0, longestPart = 0;
    for (const Header& h : table.rows) {
        natural = std::max(natural, label.width(h.title));
        for (const QString& part : breakPieces(h.title, label, 0))  // every place a name may break
            longestPart = std::max(longestPart, label.width(part.trimmed()));
        for (const QString& line : h.details)
            natural = std::max(natural, detail.width(line));
    }
    const double cap = std::max(0.25 * inner, std::min(longestPart, inner / 3));
    const double rowHeaderWidth = std::min(std::ceil(natural), std::ceil(cap));
    const double gridLeft = kMargin + (rowHeaderWidth > 0 ? rowHeaderWidth + kHeaderGap : 0);
    const auto columns = static_cast<double>(table.columns.size());
    if (columns > 0) {
        f.cell = (width - kMargin - gridLeft - (columns - 1) * kGap) / columns;
        if (f.cell < kMinimumCell)
            throw Error(
                QString("%1 columns do not fit in %2 mm: choose a wider figure, the transposed layout or "
                        "fewer methods")
                    .arg(table.columns.size())
                    .arg(options.widthMm)
                    .toStdString());
    }
    layOutHeaders(f, table, styles, gridLeft, y, rowHeaderWidth);
    y = layOutLegend(f, table, options, styles, y + 2 * kHeaderGap, width - kMargin);
    f.size = QSizeF(width, y + kMargin);
    return f;
}

// ---- painting, in points --------------------------------------------------------------------

void paintText(QPainter& painter, const PlacedText& text) {
    if (text.lines.isEmpty())
        return;
    const Measure m(text.style);
    painter.setFont(deviceFont(text.style, *painter.device()));
    painter.setPen(text.colour);
    for (qsizetype i = 0; i < text.lines.size(); ++i) {
        const QString& line = text.lines[i];
        const double x =
            text.centred ? text.topLeft.x() + (text.width - m.width(line)) / 2 : text.topLeft.x();
        painter.drawText(QPointF(x, text.topLeft.y() + static_cast<double>(i) * m.line() + m.ascent()), line);
    }
}

void paintBadge(QPainter& painter, const QRectF& badge, CellMark mark) {
    paintMarkBadge(painter, badge, mark, deviceFont({badge.height() * 0.7, true}, *painter.device()));
}

// Why a cell has no map (or "computing..."), in the cell.
void paintCellMessage(QPainter& painter, const QRectF& rect, const CellContent& cell, const Styles& styles) {
    const QString message = cell.pending ? QStringLiteral("computing...") : cell.message;
    if (message.isEmpty())
        return;
    const Measure m(styles.detail);
    const double width = rect.width() - 4;
    const int maxLines = std::max(1, static_cast<int>((rect.height() - 4) / m.line()));
    PlacedText text{{},
                    width,
                    wrap(message, m, width, maxLines),
                    styles.detail,
                    true,
                    cell.pending ? QColor(170, 170, 170) : QColor(255, 200, 120)};
    const double height = static_cast<double>(text.lines.size()) * m.line();
    text.topLeft = QPointF(rect.left() + 2, rect.center().y() - height / 2);
    painter.fillRect(QRectF(rect.left(), text.topLeft.y() - 1, rect.width(), height + 2),
                     QColor(0, 0, 0, 170));
    paintText(painter, text);
}

// Keeps the points of each polyline inside `area`, split where it leaves (a polyline that crosses
// the edge stops at its last point inside).
QVector<QPolygonF> inside(const QVector<QPolygonF>& polylines, const QPointF& offset, const QRectF& area) {
    QVector<QPolygonF> out;
    for (const QPolygonF& polyline : polylines) {
        QPolygonF part;
        for (const QPointF& p : polyline) {
            if (area.contains(p - offset)) {
                part << p - offset;
            } else if (!part.isEmpty()) {
                out << part;
                part.clear();
            }
        }
        if (part.size() > 1)
            out << part;
    }
    return out;
}

// A zoomed cell as the part of it the grid shows: SVG output has no clipping (Qt 6.4's generator
// ignores clip rectangles), so a zoomed map must not reach beyond its cell.
CellContent visiblePart(const CellContent& cell, const QSizeF& target, double zoom, QPointF centre) {
    if (zoom <= 1.0 || cell.image.isNull())
        return cell;
    const QSizeF size = cell.image.size();
    const double scale = std::min(target.width() / size.width(), target.height() / size.height()) * zoom;
    const QSizeF shown = target / scale;
    const QRectF wanted(QPointF(centre.x() * size.width(), centre.y() * size.height()) -
                            QPointF(shown.width() / 2, shown.height() / 2),
                        shown);
    const QRect pixels = wanted.toAlignedRect().intersected(cell.image.rect());
    if (pixels.isEmpty())
        return cell;
    CellContent out = cell;
    out.image = cell.image.copy(pixels);
    const QPointF offset = pixels.topLeft();
    const QRectF area(QPointF(0, 0), QSizeF(pixels.size()));
    out.contour = inside(cell.contour, offset, area);
    out.maskOutline = inside(cell.maskOutline, offset, area);
    out.centre.reset();
    if (cell.centre && area.contains(*cell.centre - offset))
        out.centre = *cell.centre - offset;
    return out;
}

void paintCells(QPainter& painter, const Figure& f, const FigureOptions& options, const Styles& styles) {
    // Lines and the centre cross thinner in small cells, as they would be drawn by hand.
    const double stroke = std::clamp(f.cell / 120.0, 0.45, 1.0);
    const double badge = std::clamp(f.cell * 0.2, 7.0, 12.0);
    for (const auto& [rect, cell] : f.cells) {
        if (!cell) {
            painter.fillRect(rect, QColor(235, 235, 235));
            continue;
        }
        paintCellImage(painter, rect, visiblePart(*cell, rect.size(), options.zoom, options.centre), 1.0,
                       {0.5, 0.5}, stroke);
        paintCellMessage(painter, rect, *cell, styles);
        paintBadge(painter, QRectF(rect.right() - badge - 1.5, rect.top() + 1.5, badge, badge), cell->mark);
    }
}

void paintSymbol(QPainter& painter, const LegendSymbol& s, const FigureOptions& options) {
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing, true);
    const QRectF r = s.rect;
    auto dark = [&] { painter.fillRect(r, kCellBackground); };
    auto line = [&](const QColor& colour, double width) {
        painter.setPen(QPen(colour, width, Qt::SolidLine, Qt::FlatCap));
        painter.drawLine(QPointF(r.left() + 1.5, r.center().y()), QPointF(r.right() - 1.5, r.center().y()));
    };
    switch (s.kind) {
        case Symbol::ColourBar:
            paintColourBar(painter, r, options.display.colourMap);
            break;
        case Symbol::Gradient:
            painter.fillRect(r, QColor(128, 128, 128));
            painter.setPen(QPen(QColor(90, 90, 90), 0.3));
            painter.drawRect(r);
            break;
        case Symbol::Mask:
            dark();
            line(QColor(255, 70, 70), 1.0);
            break;
        case Symbol::Contour:
            dark();
            line(Qt::white, 1.0);
            break;
        case Symbol::Centre: {
            dark();
            const double arm = r.width() * 0.32;
            const QPointF c = r.center();
            for (const auto& [colour, width] :
                 {std::pair{QColor(Qt::black), 1.8}, std::pair{QColor(0, 255, 120), 0.9}}) {
                painter.setPen(QPen(colour, width));
                painter.drawLine(c - QPointF(arm, 0), c + QPointF(arm, 0));
                painter.drawLine(c - QPointF(0, arm), c + QPointF(0, arm));
            }
            break;
        }
        case Symbol::Mark:
            paintBadge(painter, r, s.mark);
            break;
    }
    painter.restore();
}

// The whole figure; the painter's coordinates are points, (0,0) to f.size.
void paintFigure(QPainter& painter, const Figure& f, const FigureOptions& options) {
    painter.setRenderHint(QPainter::Antialiasing, true);
    painter.setRenderHint(QPainter::TextAntialiasing, true);
    const Styles styles(options.fontPoints);
    // The label font from the start: an SVG's groups carry the painter's font even where they
    // draw no text, and the application's default font is sized for the screen.
    painter.setFont(deviceFont(styles.label, *painter.device()));
    painter.fillRect(QRectF(QPointF(0, 0), f.size), Qt::white);
    paintCells(painter, f, options, styles);
    for (const auto& symbol : f.symbols)
        paintSymbol(painter, symbol, options);
    for (const auto& text : f.texts)
        paintText(painter, text);
}

QSize pixelSize(const QSizeF& points, double dpi) {
    return {static_cast<int>(std::lround(points.width() / 72.0 * dpi)),
            static_cast<int>(std::ceil(points.height() / 72.0 * dpi))};
}

QByteArray pngBytes(const Figure& f, const FigureOptions& options) {
    const QSize pixels = pixelSize(f.size, options.dpi);
    QImage image(pixels, QImage::Format_RGB32);
    const int dotsPerMetre = static_cast<int>(std::lround(options.dpi / 0.0254));
    image.setDotsPerMeterX(dotsPerMetre);
    image.setDotsPerMeterY(dotsPerMetre);
    image.fill(Qt::white);
    {
        QPainter painter(&image);
        const double scale = pixels.width() / f.size.width();  // the one scale: pixels per point
        painter.scale(scale, scale);
        paintFigure(painter, f, options);
    }
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (!image.save(&buffer, "PNG"))
        throw Error("could not encode the figure as PNG");
    return bytes;
}

QByteArray svgBytes(const Figure& f, const FigureOptions& options, const QString& heading) {
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator svg;
    svg.setOutputDevice(&buffer);
    // Size in units of 0.01 mm, so that the width attribute reads the millimetres asked for; the
    // view box is in points, so the painter draws in points with no scale of its own.
    svg.setResolution(2540);
    svg.setSize(QSize(static_cast<int>(std::lround(f.size.width() / kPointsPerMm * 100)),
                      static_cast<int>(std::lround(f.size.height() / kPointsPerMm * 100))));
    svg.setViewBox(QRectF(QPointF(0, 0), f.size));
    svg.setTitle("Saliency Studio comparison");
    svg.setDescription(heading);
    {
        QPainter painter(&svg);
        paintFigure(painter, f, options);
    }
    return bytes;
}

QByteArray pdfBytes(const Figure& f, const FigureOptions& options) {
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QPdfWriter pdf(&buffer);
    pdf.setPageSize(QPageSize(f.size, QPageSize::Point, "figure", QPageSize::ExactMatch));
    pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
    pdf.setResolution(1200);
    pdf.setTitle("Saliency Studio comparison");
    pdf.setCreator("Saliency Studio");
    {
        QPainter painter(&pdf);
        const double scale = pdf.logicalDpiX() / 72.0;  // the one scale: device units per point
        painter.scale(scale, scale);
        paintFigure(painter, f, options);
    }
    return bytes;
}

}  // namespace

FigureFormat figureFormatFor(const QString& file) {
    const QString suffix = QFileInfo(file).suffix().toLower();
    if (suffix == "png")
        return FigureFormat::Png;
    if (suffix == "svg")
        return FigureFormat::Svg;
    if (suffix == "pdf")
        return FigureFormat::Pdf;
    throw Error("cannot export a figure as \"" + suffix.toStdString() + "\": use .png, .svg or .pdf");
}

QString figureSuffix(FigureFormat format) {
    switch (format) {
        case FigureFormat::Png:
            return "png";
        case FigureFormat::Svg:
            return "svg";
        case FigureFormat::Pdf:
            return "pdf";
    }
    return "png";
}

FigureLayout figureLayoutFromName(const QString& name) {
    if (name == figureLayoutName(FigureLayout::NetworksByMethods))
        return FigureLayout::NetworksByMethods;
    if (name == figureLayoutName(FigureLayout::MethodsByNetworks))
        return FigureLayout::MethodsByNetworks;
    throw Error("unknown figure layout \"" + name.toStdString() +
                "\": use networks-by-methods or methods-by-networks");
}

QString figureLayoutName(FigureLayout layout) {
    return layout == FigureLayout::NetworksByMethods ? "networks-by-methods" : "methods-by-networks";
}

void checkFigureOptions(const FigureOptions& options) {
    if (!(options.widthMm >= 30 && options.widthMm <= 500))
        throw Error("the figure's width must be between 30 and 500 mm");
    if (!(options.dpi >= 30 && options.dpi <= 1200))
        throw Error("the PNG resolution must be between 30 and 1200 dpi");
    if (!(options.fontPoints >= 4 && options.fontPoints <= 24))
        throw Error("the font size must be between 4 and 24 pt");
}

QSizeF figureSize(const GridContent& content, const FigureOptions& options) {
    return layOut(content, options).size;
}

QSize figurePixelSize(const GridContent& content, const FigureOptions& options) {
    return pixelSize(figureSize(content, options), options.dpi);
}

std::vector<FigureText> figureTexts(const GridContent& content, const FigureOptions& options) {
    std::vector<FigureText> out;
    for (const PlacedText& text : layOut(content, options).texts) {
        const Measure m(text.style);
        for (qsizetype i = 0; i < text.lines.size(); ++i) {
            const double width = m.width(text.lines[i]);
            const double x = text.centred ? text.topLeft.x() + (text.width - width) / 2 : text.topLeft.x();
            out.push_back({text.lines[i],
                           QRectF(x, text.topLeft.y() + static_cast<double>(i) * m.line(), width, m.line())});
        }
    }
    return out;
}

void exportFigure(const GridContent& content, const QString& file, const FigureOptions& options) {
    const FigureFormat format = figureFormatFor(file);
    const Figure figure = layOut(content, options);
    const QByteArray bytes = format == FigureFormat::Png   ? pngBytes(figure, options)
                             : format == FigureFormat::Svg ? svgBytes(figure, options, content.heading)
                                                           : pdfBytes(figure, options);
    writeFileAtomically(file.toStdString(),
                        std::string_view(bytes.constData(), static_cast<size_t>(bytes.size())));
}

}  // namespace saliency::ui
