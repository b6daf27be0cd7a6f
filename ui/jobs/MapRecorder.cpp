#include "jobs/MapRecorder.h"

#include <exception>

#include "study/FileFingerprint.h"
#include "study/GroundTruth.h"
#include "study/ProjectDatabase.h"
#include "study/ScanRecording.h"

namespace saliency::ui {

MapRecorder::MapRecorder(std::filesystem::path projectFile, QObject* parent)
    : QObject(parent), file_(std::move(projectFile)) {
    pool_.setMaxThreadCount(1);  // one writer, scans in the order they were shown
    pool_.setExpiryTimeout(-1);  // keep the thread: the connection is used on it
}

MapRecorder::~MapRecorder() {
    pool_.waitForDone();
}

bool MapRecorder::waitForDone(int milliseconds) {
    return pool_.waitForDone(milliseconds);
}

void MapRecorder::record(MapsToRecord maps) {
    pool_.start([this, maps = std::move(maps)] { write(maps); });
}

void MapRecorder::write(const MapsToRecord& maps) {
    const QString path = QString::fromStdString(maps.scan.path);
    try {
        if (!db_)
            db_ = std::make_unique<study::ProjectDatabase>(file_, study::OpenMode::ExistingOnly);
        const study::ProjectInfo info = db_->info();
        study::ScanExplanations scan;
        scan.scan = maps.scan;
        scan.scan.fingerprint = study::fileFingerprint(maps.file);
        // Where the scan has no mask, the lesion as readers marked it (read here, so a mark saved
        // just before this recording is measured against).
        const auto stored = db_->findScan(maps.scan.path);
        scan.truth = study::groundTruth(maps.mask.empty() ? std::nullopt : std::optional(maps.mask),
                                        stored ? db_->lesionMarks(stored->id) : std::vector<study::LesionMark>{});
        for (const auto& network : maps.networks)
            scan.networks.push_back({network.model, network.explanation.get(), {}});
        study::ScanRows rows = study::scanRows(scan, {info.binarisation, info.thumbnailSize});
        const study::RecordedScan done = study::writeScanRows(*db_, rows);
        Q_EMIT recorded(path, done.mapsAdded, done.pairsAdded);
    } catch (const std::exception& e) {
        Q_EMIT failed(path, QString::fromUtf8(e.what()));
    }
}

}  // namespace saliency::ui
