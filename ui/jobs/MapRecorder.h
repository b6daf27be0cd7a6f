#pragma once
// Records the maps the grid computed for a project (issue 12: statistics from the app's own work):
// once every network has explained a scan for the predicted class and the default layer, the same
// rows a study stores (study/ScanRecording.h) go into the project: predictions, centre of mass,
// region area, mask agreement and the IoU and centre distance between networks and between
// methods. The work (measuring, thumbnails, fingerprinting the file, one transaction) runs on one
// worker thread with a connection of its own, in the order requested; nothing blocks the GUI thread.
#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

#include <QObject>
#include <QString>
#include <QThreadPool>

#include <opencv2/core/mat.hpp>

#include "saliency/SaliencyMap.h"
#include "study/ProjectRecords.h"

namespace saliency::study {
class ProjectDatabase;
}

namespace saliency::ui {

struct MapsToRecord {
    study::ScanRecord scan;      // path, class, mask path, size; the fingerprint is taken by the job
    std::filesystem::path file;  // the scan's file, for its fingerprint
    cv::Mat mask;                // CV_8UC1 tumour mask, or empty
    struct Network {
        study::ModelRecord model;  // registered in the project
        std::shared_ptr<const explain::ImageExplanation> explanation;
    };
    std::vector<Network> networks;
};

class MapRecorder : public QObject {
    Q_OBJECT
  public:
    // Opens its own connection to `projectFile` lazily, on its worker thread.
    explicit MapRecorder(std::filesystem::path projectFile, QObject* parent = nullptr);
    ~MapRecorder() override;  // finishes what was asked, then closes its connection

    void record(MapsToRecord maps);
    bool waitForDone(int milliseconds);

    Q_SIGNAL void recorded(QString scanPath, qint64 mapsAdded, qint64 pairsAdded);
    Q_SIGNAL void failed(QString scanPath, QString message);

  private:
    void write(const MapsToRecord& maps);

    std::filesystem::path file_;
    std::unique_ptr<study::ProjectDatabase> db_;  // used on the pool's one thread only
    QThreadPool pool_;
};

}  // namespace saliency::ui
