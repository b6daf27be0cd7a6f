#include "ReaderStudyWindow.h"

#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPainter>
#include <QProgressBar>
#include <QPushButton>
#include <QScreen>
#include <QShortcut>
#include <QSpinBox>
#include <QVBoxLayout>

#include "CellRendering.h"
#include "ProjectSession.h"
#include "presenters/ReaderSessionPresenter.h"

namespace saliency::ui {

// The map on screen, as large as the window allows.
class ReaderMapView : public QWidget {
  public:
    explicit ReaderMapView(const ReaderSessionPresenter& presenter, QWidget* parent)
        : QWidget(parent), presenter_(presenter) {
        setMinimumSize(320, 320);
        setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    }

  protected:
    void paintEvent(QPaintEvent*) override {
        QPainter painter(this);
        painter.fillRect(rect(), palette().window());
        if (presenter_.current())
            paintCell(painter, QRectF(rect()).adjusted(4, 4, -4, -4), presenter_.content());
    }

  private:
    const ReaderSessionPresenter& presenter_;
};

namespace {

// "pilot - ann (12 of 31 judged)": the session chooser's entry.
QString chooserText(const study::ReaderSessionRecord& s, std::size_t judged, std::size_t items) {
    return QString::fromStdString(s.study) + " - " + QString::fromStdString(s.reader) + " (" +
           QString::number(judged) + " of " + QString::number(items) + " judged)";
}

QStringList splitNames(const QString& text) {
    QStringList out;
    for (const QString& part : text.split(',', Qt::SkipEmptyParts))
        if (!part.trimmed().isEmpty())
            out << part.trimmed();
    return out;
}

std::vector<std::string> toStrings(const QStringList& list) {
    std::vector<std::string> out;
    for (const auto& s : list)
        out.push_back(s.toStdString());
    return out;
}

}  // namespace

ReaderStudyWindow::ReaderStudyWindow(ProjectSession& project, ExplanationService& service,
                                     const DisplayOptions& display, QStringList methods, QWidget* parent)
    : QWidget(parent, Qt::Window),
      project_(project),
      methods_(std::move(methods)),
      presenter_(std::make_unique<ReaderSessionPresenter>(project, service)) {
    setWindowTitle("Reader study");
    presenter_->setDisplay(display);

    sessions_ = new QComboBox;
    sessions_->setObjectName("readerSessions");
    sessions_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    auto* start = new QPushButton("&Start or resume");
    auto* create = new QPushButton("&New study...");
    connect(start, &QPushButton::clicked, this, &ReaderStudyWindow::startChosen);
    connect(create, &QPushButton::clicked, this, &ReaderStudyWindow::newStudy);
    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel("Session:"));
    top->addWidget(sessions_, 1);
    top->addWidget(start);
    top->addWidget(create);

    view_ = new ReaderMapView(*presenter_, this);
    hint_ = new QLabel("Choose a session and start. Judge each map: C correct, X incorrect, then 1-5 "
                       "confidence (1 a guess, 5 certain), in either order; the next map follows.");
    hint_->setWordWrap(true);

    correct_ = new QPushButton("Correct (C)");
    incorrect_ = new QPushButton("Incorrect (X)");
    for (auto* b : {correct_, incorrect_})
        b->setCheckable(true);
    connect(correct_, &QPushButton::clicked, this, [this] { presenter_->chooseVerdict(study::Verdict::Correct); });
    connect(incorrect_, &QPushButton::clicked, this,
            [this] { presenter_->chooseVerdict(study::Verdict::Incorrect); });
    auto* judge = new QHBoxLayout;
    judge->addWidget(correct_);
    judge->addWidget(incorrect_);
    judge->addSpacing(16);
    judge->addWidget(new QLabel("Confidence:"));
    for (int c = 1; c <= 5; ++c) {
        auto* b = new QPushButton(QString::number(c));
        b->setCheckable(true);
        b->setFixedWidth(b->fontMetrics().horizontalAdvance("  5  ") + 12);
        connect(b, &QPushButton::clicked, this, [this, c] { presenter_->chooseConfidence(c); });
        confidence_ << b;
        judge->addWidget(b);
    }
    judge->addSpacing(16);
    note_ = new QLineEdit;
    note_->setPlaceholderText("Note (optional)");
    connect(note_, &QLineEdit::textChanged, this, [this](const QString& text) { presenter_->setNote(text); });
    judge->addWidget(note_, 1);

    progress_ = new QProgressBar;
    progressLabel_ = new QLabel;
    auto* bottom = new QHBoxLayout;
    bottom->addWidget(progressLabel_);
    bottom->addWidget(progress_, 1);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(hint_);
    layout->addWidget(view_, 1);
    layout->addLayout(judge);
    layout->addLayout(bottom);

    // Single keys, as in the grid; a note being typed keeps its letters (QLineEdit overrides shortcuts).
    auto key = [this](Qt::Key k, auto f) {
        connect(new QShortcut(QKeySequence(k), this), &QShortcut::activated, this, f);
    };
    key(Qt::Key_C, [this] { presenter_->chooseVerdict(study::Verdict::Correct); });
    key(Qt::Key_X, [this] { presenter_->chooseVerdict(study::Verdict::Incorrect); });
    for (int c = 1; c <= 5; ++c)
        key(static_cast<Qt::Key>(Qt::Key_0 + c), [this, c] { presenter_->chooseConfidence(c); });

    connect(presenter_.get(), &ReaderSessionPresenter::itemChanged, this, &ReaderStudyWindow::showItem);
    connect(presenter_.get(), &ReaderSessionPresenter::finished, this, &ReaderStudyWindow::showFinished);
    connect(presenter_.get(), &ReaderSessionPresenter::failed, this,
            [this](const QString& message) { QMessageBox::warning(this, "Reader study", message); });
    refreshSessions();
    showItem();
    // Large for reading, but within the screen (at 1280x720 the judging row would fall off otherwise).
    const QSize available = screen() ? screen()->availableGeometry().size() * 0.9 : QSize(900, 860);
    resize(QSize(900, 860).boundedTo(available));
}

ReaderStudyWindow::~ReaderStudyWindow() = default;

void ReaderStudyWindow::refreshSessions() {
    const QVariant chosen = sessions_->currentData();
    sessions_->clear();
    for (const auto& s : project_.readerSessions()) {
        sessions_->addItem(chooserText(s, s.judged, s.items), QVariant::fromValue<qlonglong>(s.id));
    }
    const int again = sessions_->findData(chosen);
    if (again >= 0)
        sessions_->setCurrentIndex(again);
    // The reader named in Mark > Annotator name first.
    for (int i = 0; again < 0 && i < sessions_->count(); ++i)
        if (!project_.annotator().isEmpty() && sessions_->itemText(i).contains(" - " + project_.annotator() + " ("))
            sessions_->setCurrentIndex(i);
}

int ReaderStudyWindow::sessionCount() const {
    return sessions_->count();
}

QString ReaderStudyWindow::sessionLabel(int index) const {
    return sessions_->itemText(index);
}

bool ReaderStudyWindow::startSession(std::int64_t sessionId) {
    const int index = sessions_->findData(QVariant::fromValue<qlonglong>(sessionId));
    if (index >= 0)
        sessions_->setCurrentIndex(index);
    return presenter_->start(sessionId);
}

void ReaderStudyWindow::startChosen() {
    if (sessions_->currentIndex() < 0) {
        QMessageBox::information(this, "Reader study", "The project has no reader study yet: make one with New study.");
        return;
    }
    presenter_->start(sessions_->currentData().toLongLong());
    // Over the whole screen while the reader judges: the map as large as it goes, and the main
    // window's grid (network and method names, and the marks the judgements become) out of sight.
    showMaximized();
    raise();
    view_->setFocus();
}

void ReaderStudyWindow::showItem() {
    const auto& p = *presenter_;
    const bool running = p.current().has_value();
    progress_->setRange(0, static_cast<int>(std::max<std::size_t>(1, p.items().size())));
    progress_->setValue(static_cast<int>(p.judged()));
    progressLabel_->setText(p.active() ? p.progressText() : "No session started");
    correct_->setChecked(p.chosenVerdict() == study::Verdict::Correct);
    incorrect_->setChecked(p.chosenVerdict() == study::Verdict::Incorrect);
    for (int c = 0; c < confidence_.size(); ++c)
        confidence_[c]->setChecked(p.chosenConfidence() == c + 1);
    for (auto* b : {correct_, incorrect_})
        b->setEnabled(running);
    for (auto* b : confidence_)
        b->setEnabled(running);
    note_->setEnabled(running);
    if (p.current() != shownItem_) {
        shownItem_ = p.current();
        note_->clear();  // a new item: its own note
    }
    if (p.session()) {
        setWindowTitle("Reader study " + QString::fromStdString(p.session()->study) + " - reader " +
                       QString::fromStdString(p.session()->reader));
        // The chooser's count follows the judgements (it was read when the window opened).
        const int index = sessions_->findData(QVariant::fromValue<qlonglong>(p.session()->id));
        if (index >= 0)
            sessions_->setItemText(index, chooserText(*p.session(), p.judged(), p.items().size()));
    }
    view_->update();
}

void ReaderStudyWindow::showFinished() {
    refreshSessions();
    showItem();
    if (!isVisible())
        return;
    QMessageBox::information(this, "Reader study complete",
                             "Every map of this session is judged; thank you.\n\nThe key:\n" + presenter_->keyText());
}

void ReaderStudyWindow::newStudy() {
    QDialog dialog(this);
    dialog.setWindowTitle("New reader study");
    auto* name = new QLineEdit("study " + QString::number(project_.readerSessions().size() + 1));
    auto* readers = new QLineEdit(project_.annotator());
    readers->setPlaceholderText("ana, ben, ...");
    auto* networks = new QLineEdit;
    networks->setPlaceholderText("all with maps in the project");
    auto* methods = new QLineEdit(methods_.join(","));
    methods->setPlaceholderText("all with maps in the project");
    auto* scans = new QSpinBox;
    scans->setRange(0, 1'000'000);
    scans->setSpecialValueText("all");
    auto* repeat = new QDoubleSpinBox;
    repeat->setRange(0.0, 0.5);
    repeat->setSingleStep(0.05);
    repeat->setValue(0.1);
    auto* seed = new QSpinBox;
    seed->setRange(1, 1'000'000'000);
    seed->setValue(1);
    auto* form = new QFormLayout(&dialog);
    form->addRow("Name:", name);
    form->addRow("Readers (comma-separated):", readers);
    form->addRow("Networks:", networks);
    form->addRow("Methods:", methods);
    form->addRow("Scans:", scans);
    form->addRow("Share shown again:", repeat);
    form->addRow("Order seed:", seed);
    form->addRow(new QLabel("Each reader gets the maps in their own random order; names of networks and "
                            "methods are hidden behind letters until the session ends."));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    form->addRow(buttons);
    if (dialog.exec() != QDialog::Accepted)
        return;
    study::ReaderStudyPlan plan;
    plan.name = name->text().trimmed().toStdString();
    plan.readers = toStrings(splitNames(readers->text()));
    plan.models = toStrings(splitNames(networks->text()));
    plan.methods = toStrings(splitNames(methods->text()));
    plan.scans = static_cast<std::size_t>(scans->value());
    plan.repeatShare = repeat->value();
    plan.seed = static_cast<std::uint64_t>(seed->value());
    try {
        project_.createReaderStudy(plan);
    } catch (const std::exception& e) {
        QMessageBox::warning(this, "New reader study", QString::fromStdString(e.what()));
        return;
    }
    refreshSessions();
}

QStringList ReaderStudyWindow::visibleTexts() const {
    QStringList out;
    for (const QWidget* w : findChildren<QWidget*>()) {
        if (!w->isVisibleTo(this))
            continue;
        out << w->toolTip();
        if (const auto* label = qobject_cast<const QLabel*>(w))
            out << label->text();
        if (const auto* button = qobject_cast<const QPushButton*>(w))
            out << button->text();
    }
    const CellContent& c = presenter_->content();
    out << c.title << c.caption << c.message << windowTitle();
    return out;
}

}  // namespace saliency::ui
