#include "ModelsPresenter.h"

#include <filesystem>

#include <QComboBox>
#include <QCoreApplication>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QSpinBox>
#include <QtConcurrent/QtConcurrentRun>

#include "ExplanationService.h"
#include "ModelPanel.h"
#include "study/FileFingerprint.h"

namespace saliency::ui {

ModelsPresenter::ModelsPresenter(ExplanationService& service, ModelPanel& panel, QWidget* dialogParent,
                                 QObject* parent)
    : QObject(parent), service_(service), panel_(panel), dialogParent_(dialogParent) {
    connect(&panel_, &ModelPanel::openRequested, this, &ModelsPresenter::chooseOpen);
    connect(&panel_, &ModelPanel::removeRequested, this, &ModelsPresenter::remove);
}

int ModelsPresenter::count() const {
    return static_cast<int>(service_.models().size());
}

QString ModelsPresenter::modelName(int id) const {
    return service_.modelName(id);
}

std::string ModelsPresenter::fingerprint(int id) const {
    const auto it = fingerprints_.find(id);
    return it == fingerprints_.end() ? std::string() : it->second;
}

namespace {

// One key per file however it is named (relative, with "..", through a link).
std::filesystem::path sameFileKey(const std::filesystem::path& file) {
    std::error_code ec;
    const auto canonical = std::filesystem::weakly_canonical(file, ec);
    return ec ? std::filesystem::absolute(file).lexically_normal() : canonical;
}

}  // namespace

bool ModelsPresenter::isOpening(const std::filesystem::path& file) const {
    return opening_.contains(sameFileKey(file));
}

void ModelsPresenter::open(const QString& file) {
    ++loading_;
    Q_EMIT status("Loading " + file + " ...", 0);
    QPointer<ModelsPresenter> self(this);
    const std::filesystem::path path = file.toStdString();
    opening_.insert(sameFileKey(path));
    // Loading a ResNet50 reads ~100 MB: off the GUI thread.
    (void)QtConcurrent::run([self, path, file] {
        std::shared_ptr<explain::ModelSession> session;
        std::string fingerprint;  // the model's identity in a project
        QString error;
        try {
            session = explain::ModelSession::openCheckpoint(path);
            fingerprint = study::fileFingerprint(path);
        } catch (const std::exception& e) {
            error = QString::fromStdString(e.what());
        }
        QMetaObject::invokeMethod(
            qApp,
            [self, session, fingerprint, error, file, path] {
                if (!self)
                    return;
                --self->loading_;
                self->opening_.erase(self->opening_.find(sameFileKey(path)));
                if (!session) {
                    Q_EMIT self->status("Could not open " + file, 5000);
                    self->loadFailed("Cannot open model", "Cannot open " + file + ":\n" + error, error);
                    return;
                }
                Q_EMIT self->fileOpened(file);
                self->addSession(session, fingerprint, true);
            },
            Qt::QueuedConnection);
    });
}

void ModelsPresenter::importWeights(const QString& architecture, const QString& weights,
                                    const QStringList& classes, int inputSize) {
    ++loading_;
    QPointer<ModelsPresenter> self(this);
    std::vector<std::string> names;
    for (const auto& c : classes)
        names.push_back(c.trimmed().toStdString());
    (void)QtConcurrent::run([self, architecture, weights, names, inputSize] {
        std::shared_ptr<explain::ModelSession> session;
        std::string fingerprint;
        QString error;
        try {
            session = explain::ModelSession::importWeights(architecture.toStdString(), weights.toStdString(),
                                                           names, inputSize);
            fingerprint = study::fileFingerprint(weights.toStdString());
        } catch (const std::exception& e) {
            error = QString::fromStdString(e.what());
        }
        QMetaObject::invokeMethod(
            qApp,
            [self, session, fingerprint, error, weights] {
                if (!self)
                    return;
                --self->loading_;
                if (!session) {
                    self->loadFailed("Cannot import weights", "Cannot import " + weights + ":\n" + error,
                                     error);
                    return;
                }
                self->addSession(session, fingerprint, false);
            },
            Qt::QueuedConnection);
    });
}

void ModelsPresenter::loadFailed(const QString& title, const QString& message, const QString& error) {
    Q_EMIT this->error(title, message);
    Q_EMIT loaded(false, error);
}

bool ModelsPresenter::isCheckpoint(int id) const {
    return checkpoints_.contains(id);
}

void ModelsPresenter::addSession(std::shared_ptr<explain::ModelSession> session,
                                 const std::string& fingerprint, bool fromCheckpoint) {
    const explain::ModelInfo info = session->info();
    const int id = service_.addModel(std::move(session));
    fingerprints_[id] = fingerprint;
    if (fromCheckpoint)
        checkpoints_.insert(id);
    panel_.addModel(id, info);  // before the project registers it: the project's name may rename it
    Q_EMIT status(QString("Loaded %1 (%2)")
                      .arg(QString::fromStdString(info.name), QString::fromStdString(info.architecture)),
                  4000);
    Q_EMIT added(id);
    Q_EMIT loaded(true, {});
}

void ModelsPresenter::remove(int id) {
    fingerprints_.erase(id);
    checkpoints_.erase(id);
    service_.removeModel(id);
    panel_.removeModel(id);
    Q_EMIT removed(id);
}

void ModelsPresenter::rename(int id, const QString& name) {
    if (id < 0 || !service_.session(id))
        return;
    service_.renameModel(id, name);
    panel_.renameModel(id, name);
    Q_EMIT renamed(id, name);
}

std::vector<int> ModelsPresenter::loadedFrom(const QString& checkpoint) const {
    const auto path = std::filesystem::absolute(checkpoint.toStdString());
    std::vector<int> ids;
    for (const auto& m : service_.models())
        if (std::filesystem::absolute(m.session->info().source) == path)
            ids.push_back(m.id);
    return ids;
}

// ---- dialogs ----------------------------------------------------------------------------------

void ModelsPresenter::chooseOpen() {
    const QStringList files = QFileDialog::getOpenFileNames(dialogParent_, "Open model checkpoints", {},
                                                            "Checkpoints (*.pt *.pth);;All files (*)");
    for (const auto& file : files)
        open(file);
}

void ModelsPresenter::chooseImport(const QStringList& defaultClasses) {
    QDialog dialog(dialogParent_);
    dialog.setWindowTitle("Import torchvision weights");
    auto* arch = new QComboBox;
    for (const auto& a : explain::knownArchitectures())
        arch->addItem(QString::fromStdString(a));
    arch->setCurrentText("resnet50");
    auto* weights = new QLineEdit;
    auto* browse = new QPushButton("Browse...");
    auto* classes =
        new QLineEdit(defaultClasses.isEmpty() ? QString("Brain Tumor,Healthy") : defaultClasses.join(','));
    auto* size = new QSpinBox;
    size->setRange(32, 1024);
    size->setValue(224);
    auto* row = new QHBoxLayout;
    row->addWidget(weights, 1);
    row->addWidget(browse);
    auto* form = new QFormLayout(&dialog);
    form->addRow("Architecture", arch);
    form->addRow("Weights (torch.save of a state dict)", row);
    form->addRow("Classes, in order", classes);
    form->addRow("Input size (px)", size);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    form->addRow(buttons);
    connect(browse, &QPushButton::clicked, &dialog, [&] {
        const QString f =
            QFileDialog::getOpenFileName(&dialog, "Weights", {}, "PyTorch (*.pt *.pth);;All files (*)");
        if (!f.isEmpty())
            weights->setText(f);
    });
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    if (dialog.exec() == QDialog::Accepted)
        importWeights(arch->currentText(), weights->text(), classes->text().split(',', Qt::SkipEmptyParts),
                      size->value());
}

}  // namespace saliency::ui
