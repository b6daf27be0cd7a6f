#pragma once
// The model-randomisation sanity check for the current scan (Analyse menu; docs/user-guide.md): pick a
// network, run the check in the background (SanityJob), see the strip of maps as the blocks are
// randomised, the similarity-vs-stage chart and a verdict per method with its rule. A failed
// method is reported (checked()) so that the grid badges its column header.
#include <memory>
#include <vector>

#include <QString>
#include <QWidget>

#include <opencv2/core/mat.hpp>

#include "saliency/Method.h"
#include "saliency/ModelSession.h"

class QComboBox;
class QCustomPlot;
class QLabel;
class QPushButton;

namespace saliency::ui {

class ExplanationService;
class SanityJob;

class SanityCheckWindow : public QWidget {
    Q_OBJECT
  public:
    explicit SanityCheckWindow(ExplanationService& service, QWidget* parent = nullptr);
    ~SanityCheckWindow() override;

    // The scan the check runs on (RGB CV_8UC3 as decoded); an empty image: none.
    void setScan(const QString& name, const cv::Mat& rgb);
    void refreshNetworks();  // the networks open in the grid, into the chooser
    void chooseNetwork(int modelId);
    void setIndependent(bool independent);  // default: cascading
    // Runs the check for the chosen network; false (with the reason shown) when one runs already,
    // or there is no scan or network.
    bool run();
    bool isRunning() const;
    bool wait(int milliseconds);

    // What the window shows, for tests and the figure export.
    const explain::SanityReport* report() const { return report_.get(); }
    QString verdictText() const;
    QImage stripImage() const;
    QCustomPlot* chart() const { return chart_; }

    // A check finished for `modelId`: the methods that failed it (empty: all passed).
    Q_SIGNAL void checked(int modelId, std::vector<saliency::explain::Method> failing);

  private:
    void showReport(int modelId, std::shared_ptr<const explain::SanityReport> report, const QString& error);

    ExplanationService& service_;
    std::unique_ptr<SanityJob> job_;
    QString scanName_;
    cv::Mat rgb_;
    cv::Mat checkedRgb_;  // the scan of the report shown
    std::shared_ptr<const explain::SanityReport> report_;
    QComboBox* network_ = nullptr;
    QComboBox* mode_ = nullptr;
    QPushButton* run_ = nullptr;
    QLabel* status_ = nullptr;
    QLabel* verdicts_ = nullptr;
    QLabel* strip_ = nullptr;
    QCustomPlot* chart_ = nullptr;
};

}  // namespace saliency::ui
