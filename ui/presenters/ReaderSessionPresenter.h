#pragma once
// One reader's blinded session (study/ReaderStudy.h; DESIGN.md section 2, presenters): the items in
// the session's saved order, one map per screen under its label ("Map B": no network, method or
// prediction is shown), the map computed by the ExplanationService like the grid's, a verdict and a
// confidence (in either order; the judgement is committed the moment both are chosen, then the next
// item comes), the seconds from the map on screen to the judgement, and progress. Opening a session
// again goes to its first item not judged: closing or killing the app loses nothing committed.
#include <cstdint>
#include <optional>
#include <vector>

#include <QElapsedTimer>
#include <QObject>
#include <QString>

#include <opencv2/core/mat.hpp>

#include "CellRendering.h"
#include "DisplayOptions.h"
#include "saliency/ModelSession.h"
#include "study/ProjectRecords.h"

namespace saliency::ui {

class ExplanationService;
class ProjectSession;

class ReaderSessionPresenter : public QObject {
    Q_OBJECT
  public:
    ReaderSessionPresenter(ProjectSession& project, ExplanationService& service, QObject* parent = nullptr);

    void setDisplay(const DisplayOptions& display) { display_ = display; }
    // Starts (or resumes) a session of the project; false (and failed()) for an unknown id.
    bool start(std::int64_t sessionId);
    bool active() const { return session_.has_value(); }
    const std::optional<study::ReaderSessionRecord>& session() const { return session_; }
    const std::vector<study::ReaderItemRecord>& items() const { return items_; }
    // The item on screen (an index into items()), nullopt before start and once all are judged.
    std::optional<std::size_t> current() const { return current_; }
    const CellContent& content() const { return content_; }
    std::size_t judged() const;
    QString progressText() const;  // "Item 13 of 130 (12 judged)"

    // The reader's choices for the item on screen; ignored while its map is not shown yet.
    void chooseVerdict(study::Verdict verdict);
    void chooseConfidence(int confidence);  // 1..5
    void setNote(const QString& note) { note_ = note; }
    std::optional<study::Verdict> chosenVerdict() const { return verdict_; }
    std::optional<int> chosenConfidence() const { return confidence_; }

    // The key (label -> network and method), for the end of the session.
    QString keyText() const;

    Q_SIGNAL void itemChanged();   // another item (its map may still be computing), or the choices changed
    Q_SIGNAL void contentReady();  // the map of the current item is on screen
    Q_SIGNAL void finished();      // every item judged
    Q_SIGNAL void failed(const QString& message);

  private:
    void showItem();
    // The scan of an item, decoded off the GUI thread (a large DICOM or JPEG takes a while).
    struct Decoded {
        cv::Mat rgb;
        cv::Mat base;
        cv::Mat mask;
        QString error;
    };
    void onDecoded(std::uint64_t token, const Decoded& decoded);
    void onExplained(const QString& scanKey, int modelId);
    void onFailed(const QString& scanKey, int modelId, const QString& message);
    void commitIfComplete();
    explain::ExplainRequest requestFor(const study::ReaderItemRecord& item) const;
    QString label(const study::ReaderItemRecord& item) const;

    ProjectSession& project_;
    ExplanationService& service_;
    DisplayOptions display_;
    std::optional<study::ReaderSessionRecord> session_;
    std::vector<study::ReaderItemRecord> items_;
    std::optional<std::size_t> current_;
    CellContent content_;
    QString scanKey_;   // of the current item
    int serviceId_ = -1;  // the current item's network in the service, -1 when not loaded
    std::uint64_t decodeToken_ = 0;  // the newest decode asked for; older ones are dropped
    cv::Mat base_;      // the current scan's display raster
    cv::Mat mask_;
    QElapsedTimer shown_;  // since the map came on screen
    std::optional<study::Verdict> verdict_;
    std::optional<int> confidence_;
    QString note_;
};

}  // namespace saliency::ui
