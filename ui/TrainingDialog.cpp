#include "TrainingDialog.h"

#include <cmath>

#include <QCheckBox>
#include <QCloseEvent>
#include <QComboBox>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpressionValidator>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QVBoxLayout>

#include "TrainingCurves.h"
#include "TrainingJob.h"
#include "TrainingResults.h"
#include "common/BoundedJson.h"
#include "common/Error.h"
#include "saliency/ModelSession.h"

namespace fs = std::filesystem;

namespace saliency::ui {

namespace {

enum Page { SetupPage = 0, ProgressPage = 1, ResultsPage = 2 };

QString epochLine(const EpochResult& e) {
    QString line = QString("epoch %1: train loss %2, acc %3%")
                       .arg(e.epoch)
                       .arg(e.trainLoss, 0, 'f', 4)
                       .arg(100.0 * e.trainAccuracy, 0, 'f', 1);
    if (e.hasValidation)
        line += QString("; validation loss %1, acc %2%")
                    .arg(e.validationLoss, 0, 'f', 4)
                    .arg(100.0 * e.validationAccuracy, 0, 'f', 1);
    line += QString("; lr %1; %2 img/s; %3 s")
                .arg(e.learningRate, 0, 'g', 3)
                .arg(e.imagesPerSecond, 0, 'f', 1)
                .arg(e.seconds, 0, 'f', 1);
    return e.improved ? line + " (best so far, checkpoint saved)" : line;
}

QComboBox* comboOf(const QStringList& items, QWidget* parent) {
    auto* box = new QComboBox(parent);
    box->addItems(items);
    return box;
}

QSpinBox* spinOf(int low, int high, int value, QWidget* parent) {
    auto* box = new QSpinBox(parent);
    box->setRange(low, high);
    box->setValue(value);
    return box;
}

}  // namespace

TrainingDialog::TrainingDialog(QWidget* parent) : QDialog(parent) {
    setWindowTitle("Train a network");
    setObjectName("trainingDialog");
    job_ = new TrainingJob(this);
    connect(job_, &TrainingJob::batchDone, this, &TrainingDialog::onBatch);
    connect(job_, &TrainingJob::epochDone, this, &TrainingDialog::onEpoch);
    connect(job_, &TrainingJob::status, this,
            [this](const QString& detail) { statusLabel_->setText(detail); });
    connect(job_, &TrainingJob::finished, this, &TrainingDialog::onFinished);
    connect(job_, &TrainingJob::stopped, this, &TrainingDialog::updateEnabled);

    pages_ = new QTabWidget(this);
    pages_->addTab(buildSetupPage(), "Setup");
    pages_->addTab(buildProgressPage(), "Progress");
    results_ = new TrainingResults(this);
    connect(results_, &TrainingResults::scanRequested, this, &TrainingDialog::scanRequested);
    pages_->addTab(results_, "Results");

    start_ = new QPushButton("&Start training", this);
    start_->setDefault(true);
    cancel_ = new QPushButton("&Cancel training", this);
    cancel_->setToolTip("Stops at the next batch; the best checkpoint so far is kept");
    resume_ = new QPushButton("&Resume", this);
    resume_->setToolTip("Continues the last run from its saved state (after the last finished epoch)");
    continueRun_ = new QPushButton("Continue a &run...", this);
    continueRun_->setToolTip(
        "Fills the form from a checkpoint's model card, so that Resume continues that run");
    auto* close = new QPushButton("Close", this);
    connect(start_, &QPushButton::clicked, this, [this] { startTraining(false); });
    connect(cancel_, &QPushButton::clicked, this, &TrainingDialog::cancelTraining);
    connect(resume_, &QPushButton::clicked, this, [this] { startTraining(true); });
    connect(continueRun_, &QPushButton::clicked, this, &TrainingDialog::chooseRun);
    connect(close, &QPushButton::clicked, this, &QDialog::close);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(start_);
    buttons->addWidget(cancel_);
    buttons->addWidget(resume_);
    buttons->addWidget(continueRun_);
    buttons->addStretch(1);
    buttons->addWidget(close);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(pages_, 1);
    layout->addLayout(buttons);
    resize(980, 680);
    updateEnabled();
}

TrainingDialog::~TrainingDialog() {
    // Nothing may reach this half-destroyed window: stop listening, then let the run stop.
    disconnect(job_, nullptr, this, nullptr);
    job_->cancel();
    job_->wait(-1);
}

QWidget* TrainingDialog::buildSetupPage() {
    auto* page = new QWidget(this);
    datasetLabel_ = new QLabel("No data set is open: open one first (File > Open data set).", page);
    datasetLabel_->setWordWrap(true);

    architecture_ = new QComboBox(page);
    for (const auto& a : explain::knownArchitectures())
        architecture_->addItem(QString::fromStdString(a));
    architecture_->setCurrentText("cnn4");
    weights_ = new QLineEdit(page);
    weights_->setPlaceholderText("none: random initialisation (train from scratch)");
    auto* browseWeights = new QPushButton("Browse...", page);
    connect(browseWeights, &QPushButton::clicked, this, &TrainingDialog::chooseWeights);
    auto* weightsRow = new QHBoxLayout;
    weightsRow->addWidget(weights_, 1);
    weightsRow->addWidget(browseWeights);
    freeze_ = new QCheckBox("Train the head only (frozen backbone, as the seed's transfer learning)", page);

    epochs_ = spinOf(1, 10000, 10, page);
    batch_ = spinOf(1, 4096, 16, page);
    learningRate_ = new QDoubleSpinBox(page);
    learningRate_->setDecimals(6);
    learningRate_->setRange(1e-6, 10.0);
    learningRate_->setSingleStep(1e-4);
    learningRate_->setValue(1e-3);
    optimiser_ = comboOf({"adam", "sgd"}, page);
    schedule_ = comboOf({"none", "step", "cosine"}, page);
    augment_ = new QCheckBox("Flips, small rotations, brightness and contrast (training images only)", page);
    augment_->setChecked(true);
    imageSize_ = spinOf(16, 2048, 150, page);
    imageSize_->setSuffix(" px");
    device_ = new QComboBox(page);
    device_->addItem("auto (GPU when there is one)", "auto");
    device_->addItem("CPU", "cpu");
    if (cudaAvailable())  // CUDA is offered only where this build sees a GPU
        device_->addItem("CUDA GPU", "cuda");
    seed_ = new QLineEdit("1", page);
    seed_->setValidator(new QRegularExpressionValidator(QRegularExpression("[0-9]{1,19}"), seed_));
    patience_ = spinOf(0, 10000, 0, page);
    patience_->setSpecialValueText("off");
    patience_->setSuffix(" epochs");
    output_ = new QLineEdit(page);
    connect(output_, &QLineEdit::textEdited, this, [this] { outputEdited_ = true; });
    auto* browseOutput = new QPushButton("Browse...", page);
    connect(browseOutput, &QPushButton::clicked, this, &TrainingDialog::chooseOutput);
    auto* outputRow = new QHBoxLayout;
    outputRow->addWidget(output_, 1);
    outputRow->addWidget(browseOutput);
    connect(architecture_, &QComboBox::currentTextChanged, this, [this] { suggestOutput(); });

    // Numbers and choices keep a compact width; only the file paths take the whole row.
    for (QWidget* field :
         std::initializer_list<QWidget*>{architecture_, epochs_, batch_, learningRate_, optimiser_, schedule_,
                                         imageSize_, device_, seed_, patience_})
        field->setMaximumWidth(field == device_ ? 320 : 200);
    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow("Architecture", architecture_);
    form->addRow("Weights to import", weightsRow);
    form->addRow("", freeze_);
    form->addRow("Epochs", epochs_);
    form->addRow("Batch size", batch_);
    form->addRow("Learning rate", learningRate_);
    form->addRow("Optimiser", optimiser_);
    form->addRow("Schedule", schedule_);
    form->addRow("Augmentation", augment_);
    form->addRow("Input size", imageSize_);
    form->addRow("Device", device_);
    form->addRow("Seed", seed_);
    form->addRow("Early stopping", patience_);
    form->addRow("Checkpoint", outputRow);
    auto* layout = new QVBoxLayout(page);
    layout->addWidget(datasetLabel_);
    layout->addLayout(form);
    layout->addStretch(1);
    return page;
}

QWidget* TrainingDialog::buildProgressPage() {
    auto* page = new QWidget(this);
    bar_ = new QProgressBar(page);
    bar_->setObjectName("trainingProgress");
    bar_->setRange(0, 1);
    bar_->setValue(0);
    progressLabel_ = new QLabel("Not started.", page);
    progressLabel_->setObjectName("trainingProgressLabel");
    statusLabel_ = new QLabel(page);
    statusLabel_->setStyleSheet("color: #666;");
    curves_ = new TrainingCurves(page);
    log_ = new QPlainTextEdit(page);
    log_->setObjectName("trainingLog");
    log_->setReadOnly(true);
    log_->setMaximumBlockCount(5000);
    auto* split = new QSplitter(Qt::Vertical, page);
    split->addWidget(curves_);
    split->addWidget(log_);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    auto* layout = new QVBoxLayout(page);
    layout->addWidget(bar_);
    layout->addWidget(progressLabel_);
    layout->addWidget(statusLabel_);
    layout->addWidget(split, 1);
    return page;
}

void TrainingDialog::setDataset(std::shared_ptr<const Dataset> dataset, std::optional<Split> split) {
    dataset_ = std::move(dataset);
    split_ = std::move(split);
    if (dataset_) {
        QStringList classes;
        for (const auto& c : dataset_->classes)
            classes << QString::fromStdString(c);
        datasetLabel_->setText(QString("Data set: <b>%1</b>, %2 scans in %3 classes (%4).<br>%5.")
                                   .arg(QString::fromStdString(dataset_->root.string()).toHtmlEscaped())
                                   .arg(dataset_->items.size())
                                   .arg(classes.size())
                                   .arg(classes.join(", ").toHtmlEscaped())
                                   .arg(split_
                                            ? "The open split is used"
                                            : "No split is open: a stratified one is made from the seed and "
                                              "saved beside the checkpoint"));
    } else {
        datasetLabel_->setText("No data set is open: open one first (File > Open data set).");
    }
    updateEnabled();
}

void TrainingDialog::setOutputFolder(const fs::path& folder) {
    outputFolder_ = folder;
    suggestOutput();
}

void TrainingDialog::suggestOutput() {
    if (outputEdited_ || outputFolder_.empty())
        return;
    const QString stem =
        architecture_->currentText() + "-" + QDateTime::currentDateTime().toString("yyyyMMdd-HHmmss");
    output_->setText(QString::fromStdString((outputFolder_ / (stem.toStdString() + ".pt")).string()));
}

TrainConfig TrainingDialog::config() const {
    TrainConfig c = base_;
    c.resume = false;
    c.architecture = architecture_->currentText().toStdString();
    c.weights = weights_->text().trimmed().toStdString();
    c.freezeBackbone = freeze_->isChecked();
    c.epochs = epochs_->value();
    c.batchSize = batch_->value();
    c.learningRate = learningRate_->value();
    c.optimiser = parseOptimiser(optimiser_->currentText().toStdString());
    c.schedule = parseSchedule(schedule_->currentText().toStdString());
    c.augment.enabled = augment_->isChecked();
    c.imageSize = imageSize_->value();
    c.device = parseDevice(device_->currentData().toString().toStdString());
    c.seed = seed_->text().toULongLong();
    c.patience = patience_->value();
    c.output = output_->text().trimmed().toStdString();
    c.command = "saliency-studio: Train a network";
    return c;
}

void TrainingDialog::setConfig(const TrainConfig& c) {
    base_ = c;
    architecture_->setCurrentText(QString::fromStdString(c.architecture));
    weights_->setText(QString::fromStdString(c.weights.string()));
    freeze_->setChecked(c.freezeBackbone);
    epochs_->setValue(c.epochs);
    batch_->setValue(c.batchSize);
    learningRate_->setValue(c.learningRate);
    optimiser_->setCurrentText(QString::fromStdString(toString(c.optimiser)));
    schedule_->setCurrentText(QString::fromStdString(toString(c.schedule)));
    augment_->setChecked(c.augment.enabled);
    imageSize_->setValue(c.imageSize);
    const int device = device_->findData(QString::fromStdString(toString(c.device)));
    device_->setCurrentIndex(device >= 0 ? device : 0);
    seed_->setText(QString::number(c.seed));
    patience_->setValue(c.patience);
    if (!c.output.empty()) {
        output_->setText(QString::fromStdString(c.output.string()));
        outputEdited_ = true;
    }
}

Split TrainingDialog::splitFor(const TrainConfig& config) {
    fs::path file = config.output;
    file += ".split.json";
    // A resumed run goes on with the split it started with, whatever is open now: another split
    // would move test scans into training.
    if (config.resume && fs::exists(file)) {
        log("split: the run's own " + QString::fromStdString(file.string()));
        return loadSplit(file);
    }
    // The open split, or (the CLI's rule) a new stratified one; saved beside the checkpoint either
    // way, so the run can be repeated and resumed.
    Split split = split_ ? *split_ : makeStratifiedSplit(*dataset_, {}, config.seed);
    saveSplit(split, file);
    log(QString("split: %1 saved as %2")
            .arg(split_ ? "the open split" : "a new stratified split",
                 QString::fromStdString(file.string())));
    return split;
}

bool TrainingDialog::startTraining(bool resume) {
    if (job_->isRunning())
        return false;
    if (!dataset_) {
        QMessageBox::warning(this, "Cannot train", "Open a data set first (File > Open data set).");
        return false;
    }
    TrainConfig c = config();
    c.resume = resume;
    try {
        if (c.output.empty())
            throw Error("choose where the checkpoint goes");
        validate(c);
        if (resume && !fs::exists(trainingStatePath(c.output)))
            throw Error("there is nothing to resume: no epoch of a run to " + c.output.string() +
                        " has finished");
        if (outputGuard_)
            if (const QString why = outputGuard_(c.output); !why.isEmpty())
                throw Error("cannot write " + c.output.string() + ": " + why.toStdString());
        if (!resume && fs::exists(c.output) &&
            QMessageBox::question(this, "Replace the checkpoint?",
                                  QString::fromStdString(c.output.string()) +
                                      " exists. A new run replaces it as soon as its first epoch ends.") !=
                QMessageBox::Yes)
            return false;
        std::error_code ec;
        fs::create_directories(c.output.parent_path(), ec);
        const auto split = splitFor(c);
        if (!resume)
            curves_->clear();
        results_->clear();
        log(QString("%1 %2 for %3 epochs (batch %4, lr %5, %6 px) -> %7")
                .arg(resume ? "resuming" : "training", QString::fromStdString(c.architecture))
                .arg(c.epochs)
                .arg(c.batchSize)
                .arg(c.learningRate)
                .arg(c.imageSize)
                .arg(QString::fromStdString(c.output.string())));
        // The folder a run wrote to is where the next run's checkpoint goes too (not back to a default).
        QSettings().setValue("training/checkpointFolder",
                             QString::fromStdString(c.output.parent_path().string()));
        job_->start({dataset_, split, c});
    } catch (const std::exception& e) {
        QMessageBox::warning(this, "Cannot train", QString::fromStdString(e.what()));
        return false;
    }
    progressLabel_->setText(QString("%1 %2 into %3")
                                .arg(resume ? "Resuming" : "Training", QString::fromStdString(c.architecture),
                                     QString::fromStdString(c.output.string())));
    statusLabel_->setText("starting...");
    pages_->setCurrentIndex(ProgressPage);
    updateEnabled();
    return true;
}

void TrainingDialog::cancelTraining() {
    if (!job_->isRunning())
        return;
    job_->cancel();
    progressLabel_->setText("Cancelling at the next batch...");
    cancel_->setEnabled(false);
}

bool TrainingDialog::isRunning() const {
    return job_->isRunning();
}

void TrainingDialog::onBatch(const TrainProgress& p) {
    const auto total = static_cast<int>(std::min<std::int64_t>(p.batches * p.epochs, INT32_MAX));
    bar_->setRange(0, std::max(1, total));
    bar_->setValue(static_cast<int>((p.epoch - 1) * p.batches + p.batch));
    // The line under the bar is the trainer's own (TrainingJob::status: epoch, batch, loss,
    // accuracy, images/s, ETA; validation and testing too).
    curves_->addBatch(p);
}

void TrainingDialog::onEpoch(const EpochResult& epoch) {
    curves_->addEpoch(epoch);
    log(epochLine(epoch));
}

void TrainingDialog::onFinished(std::shared_ptr<const TrainResult> result, const QString& error) {
    // finished() is the thread's last act: it has returned from the trainer, so this wait is short.
    job_->wait(5000);
    updateEnabled();
    if (!result) {
        progressLabel_->setText("Stopped: " + error);
        log("error: " + error);
        QMessageBox::warning(this, "Training stopped", error);
        Q_EMIT runEnded(false, error);
        return;
    }
    lastResult_ = result;
    curves_->setHistory(result->history);
    const std::vector<std::string> classes = dataset_ ? dataset_->classes : std::vector<std::string>{};
    results_->setResult(*result, classes);
    QString message;
    if (result->cancelled)
        message =
            result->bestEpoch > 0
                ? QString("Cancelled; the best checkpoint so far (epoch %1) is kept.").arg(result->bestEpoch)
                : QString("Cancelled before the first epoch ended: no checkpoint was written.");
    else
        message = "Finished. " + describeTraining(*result, classes) + ".";
    progressLabel_->setText(message);
    log(message);
    if (!result->cancelled) {
        pages_->setCurrentIndex(ResultsPage);
        // The next Start makes a new model; "Continue a run..." goes back to this one.
        outputEdited_ = false;
        suggestOutput();
    }
    if (!result->checkpoint.empty())
        Q_EMIT modelTrained(QString::fromStdString(result->checkpoint.string()));
    Q_EMIT runEnded(true, message);
}

void TrainingDialog::log(const QString& line) {
    log_->appendPlainText(QDateTime::currentDateTime().toString("HH:mm:ss  ") + line);
}

void TrainingDialog::updateEnabled() {
    const bool running = job_->isRunning();
    start_->setEnabled(!running && dataset_);
    cancel_->setEnabled(running);
    resume_->setEnabled(!running && dataset_);
    continueRun_->setEnabled(!running);
    pages_->widget(SetupPage)->setEnabled(!running);
}

void TrainingDialog::chooseWeights() {
    const QString file = QFileDialog::getOpenFileName(this, "Torchvision weights to import", {},
                                                      "PyTorch weights (*.pt *.pth);;All files (*)");
    if (!file.isEmpty())
        weights_->setText(file);
}

void TrainingDialog::chooseOutput() {
    const QString file =
        QFileDialog::getSaveFileName(this, "Save the checkpoint as", output_->text(), "Checkpoint (*.pt)");
    if (file.isEmpty())
        return;
    output_->setText(file.endsWith(".pt") ? file : file + ".pt");
    outputEdited_ = true;
}

void TrainingDialog::chooseRun() {
    const QString file = QFileDialog::getOpenFileName(this, "Continue the run of a checkpoint",
                                                      output_->text(), "Checkpoint (*.pt)");
    if (!file.isEmpty())
        loadRun(file.toStdString());
}

bool TrainingDialog::loadRun(const fs::path& checkpoint) {
    fs::path cardFile = checkpoint;
    cardFile += ".json";
    QFile file(QString::fromStdString(cardFile.string()));
    try {
        if (!file.open(QIODevice::ReadOnly))
            throw Error("cannot read its model card " + cardFile.string() + ": " +
                        file.errorString().toStdString());
        const auto card = parseBoundedJson(file.readAll().toStdString());  // Error on bad JSON
        if (!card.is_object() || !card.contains("training"))
            throw Error(cardFile.string() +
                        " has no training record: the model was not trained by this tool");
        TrainConfig c = trainConfigFromJson(card["training"]);
        c.output = checkpoint;
        setConfig(c);
    } catch (const std::exception& e) {
        QMessageBox::warning(this, "Cannot continue the run", QString::fromStdString(e.what()));
        return false;
    }
    log("loaded the run of " + QString::fromStdString(checkpoint.string()) +
        (fs::exists(trainingStatePath(checkpoint)) ? ": Resume continues it" : ": it has no resume state"));
    pages_->setCurrentIndex(SetupPage);
    return true;
}

void TrainingDialog::closeEvent(QCloseEvent* event) {
    // Closing hides the window; a run goes on in the background and the window shows it again.
    event->accept();
}

}  // namespace saliency::ui
