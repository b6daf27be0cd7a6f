#include "FigureLayout.h"

#include <algorithm>
#include <cmath>

#include <QImage>
#include <QPaintDevice>

#include "common/Error.h"

namespace saliency::ui::figure {

namespace {

// ---- text measured the same way for every device -------------------------------------------

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

QFont measureFont(const TextStyle& style) {
    QFont font = baseFont(style);
    font.setPointSizeF(style.points * kMeasureScale);
    return font;
}

}  // namespace

Measure::Measure(const TextStyle& style) : style_(style), metrics_(measureFont(style), &measureDevice()) {}

double Measure::width(const QString& text) const {
    return metrics_.horizontalAdvance(text) / kMeasureScale;
}

double Measure::line() const {
    return metrics_.lineSpacing() / kMeasureScale;
}

double Measure::ascent() const {
    return metrics_.ascent() / kMeasureScale;
}

QString Measure::elided(const QString& text, Qt::TextElideMode mode, double width) const {
    return metrics_.elidedText(text, mode, width * kMeasureScale);
}

// The font that is `style.points` points tall in a painter whose coordinates are points: Qt turns
// point sizes into pixels with the device's DPI, and the painter's scale already does that once.
QFont deviceFont(const TextStyle& style, const QPaintDevice& device) {
    QFont font = baseFont(style);
    font.setPointSizeF(style.points * 72.0 / device.logicalDpiY());
    return font;
}

namespace {

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
        legend.add(
            Symbol::ColourBar,
            QString(d.sharedScale ? "saliency on a shared scale per method: 1 = the method's largest "
                                    "value over the networks (%1 colour map, %2% opaque over the scan)"
                                  : "saliency, normalised 0-1 (%1 colour map, %2% opaque over the scan)")
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

}  // namespace

// Greedy wrap to `width`; a piece wider than a line is shortened in the middle with an ellipsis
// (the start and end of a name tell models apart). maxLines > 0: the last line kept ends with an
// ellipsis when text is left over.
QStringList wrap(const QString& text, const Measure& m, double width, int maxLines) {
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

}  // namespace saliency::ui::figure
