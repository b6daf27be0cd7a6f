#pragma once
// The statistics view (issue 6): a project's statistics as charts, one tab each: the share of maps
// judged correct per network x method (Wilson 95% intervals), IoU heat maps between networks and
// between methods, centres of mass, centre-distance histograms, agreement with the tumour masks,
// and accuracy against maps judged correct. The project is read and summarised off the GUI thread
// (QtConcurrent); a newer request supersedes an older one. Clicking a bar, a cell or a point asks
// for the scan browser to be filtered to the scans behind it (filterRequested).
//
// QCustomPlot is only forward-declared here: its header uses Qt's `signals` keyword, which
// QT_NO_KEYWORDS (set where LibTorch is near) removes.
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <QList>
#include <QString>
#include <QStringList>
#include <QWidget>

#include "ChartExport.h"

class QAction;
class QComboBox;
class QCustomPlot;
class QDoubleSpinBox;
class QLabel;
class QMouseEvent;
class QSpinBox;
class QTabWidget;
class QToolButton;

namespace saliency::ui {

struct StatisticsData;
struct BuiltChart;

class StatisticsView : public QWidget {
    Q_OBJECT
  public:
    explicit StatisticsView(QWidget* parent = nullptr);
    ~StatisticsView() override;

    // Reads `projectFile` (an existing project) and shows its statistics; statisticsReady() or
    // loadFailed() follows. Returns at once.
    void setProject(const std::filesystem::path& projectFile);
    // Reads the same project again (after new annotations); nothing without a project.
    void refresh();
    // Shows statistics summarised elsewhere (synchronous; emits statisticsReady()); a read still
    // running is dropped, and refresh() re-reads their project file.
    void setStatistics(std::shared_ptr<const StatisticsData> statistics);
    void clear();

    const std::filesystem::path& projectFile() const { return projectFile_; }
    bool isLoading() const { return running_; }
    std::shared_ptr<const StatisticsData> statistics() const { return data_; }

    // Charts by index, in StatisticsChart order (StatisticsCharts.h).
    static int chartCount();
    static QString chartName(int index);
    static QString chartFileStem(int index);
    int currentChart() const;
    void setCurrentChart(int index);
    QCustomPlot* plot(int index) const;
    // The centre, in plot pixels, of the click target of chart `index` for (model, method) and, for
    // heat-map cells, the other network or method; null point when there is none. For tests and
    // scripted demos.
    QPointF targetCentre(int index, const QString& model, const QString& method,
                         const QString& other = {}) const;

    // Whose verdicts the charts count: one annotator's (as the seed's table 1 is one radiologist's),
    // or with nullopt everyone's. Reads the project again.
    void setJudgedBy(const std::optional<std::string>& annotator);
    const std::optional<std::string>& judgedBy() const { return judgedBy_; }
    QComboBox* annotatorChooser() const { return annotator_; }

    // Options of "Compute for the whole data set" (the main window's checkable actions: faithfulness,
    // robustness), offered in the button's menu.
    void setComputeOptions(const QList<QAction*>& options);

    // PNG, SVG or PDF, by the suffix, at a paper width (ChartExport.h): the same function and data
    // as saliency-cli report, so a chart exported here is the report's. Throws saliency::Error.
    void exportChart(int index, const QString& file, const ChartPaper& paper) const;
    // The width, DPI and font size chosen in the header (two columns, 300 dpi, 8 pt by default).
    ChartPaper exportPaper() const;
    // The CSV of every chart into `folder` (StatisticsTables.h); returns the files. Throws saliency::Error.
    QStringList exportTables(const QString& folder) const;

    // A project was read and the charts show it.
    Q_SIGNAL void statisticsReady();
    // "Compute for the whole data set": the project presenter runs the study.
    Q_SIGNAL void computeRequested();
    Q_SIGNAL void loadFailed(QString message);
    // A bar, heat-map cell or point was clicked: show these scans (paths relative to the data root).
    // otherModel is set for a cell between two networks, otherMethod for one between two methods.
    Q_SIGNAL void filterRequested(QString model, QString method, QString otherModel, QString otherMethod,
                                  QStringList scans);

  private:
    void buildUi();
    QWidget* buildHeader();
    void startLoad();
    void launch();
    void display(std::shared_ptr<const StatisticsData> statistics);
    void finishLoad(int generation, std::shared_ptr<const StatisticsData> result, const QString& error);
    void showData();
    void showPlaceholders(const QString& message);
    void updateSummary();
    void onPlotPress(int index, QMouseEvent* event);
    void onPlotRelease(int index, QMouseEvent* event);
    void onPlotMove(int index, QMouseEvent* event);
    void exportCurrentChart();
    QWidget* buildExportControls(QWidget* parent);
    bool eventFilter(QObject* watched, QEvent* event) override;  // re-wraps titles on a resize
    void rebuildChart(int index);
    void exportAllTables();

    std::filesystem::path projectFile_;
    std::shared_ptr<const StatisticsData> data_;
    int generation_ = 0;         // bumped by every request; a read of an older one is dropped
    bool running_ = false;       // a read is in flight (one at a time)
    bool reloadWanted_ = false;  // a request came while it ran: read again when it ends
    QTabWidget* tabs_ = nullptr;
    QLabel* summary_ = nullptr;
    QSpinBox* dpi_ = nullptr;
    QComboBox* paperWidth_ = nullptr;      // one column, two columns, free
    QDoubleSpinBox* freeWidth_ = nullptr;  // mm, for "free"
    QDoubleSpinBox* fontPoints_ = nullptr;
    QToolButton* compute_ = nullptr;
    QComboBox* annotator_ = nullptr;       // "every annotator", then each annotator of the project
    std::optional<std::string> judgedBy_;  // the chooser's choice
    void fillAnnotators();
    std::vector<QCustomPlot*> plots_;
    std::vector<std::unique_ptr<BuiltChart>> built_;
    std::vector<int> builtWidth_;  // the width each chart's titles were wrapped to
    QPoint pressedAt_;
};

}  // namespace saliency::ui
