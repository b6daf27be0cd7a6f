#include "ModelRegistry.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include "ProjectSession.h"

namespace saliency::ui {

namespace {

enum Column {
    Name,
    Architecture,
    Input,
    TestAccuracy,
    MacroF1,
    Auc,
    ValidationLoss,
    BestEpoch,
    Training,
    InGrid,
    Added,
    Checkpoint,
    Columns
};

QString percentOf(const QJsonValue& share) {
    return share.isDouble() ? QString::number(100.0 * share.toDouble(), 'f', 1) + "%" : "–";
}

QString numberOf(const QJsonValue& value, int digits) {
    return value.isDouble() ? QString::number(value.toDouble(), 'f', digits) : "–";
}

// The first class's one-vs-rest AUC (for two classes both are equal).
QString aucOf(const QJsonObject& card, const QJsonObject& test) {
    const auto classes = card["classes"].toArray();
    if (classes.isEmpty())
        return "–";
    return numberOf(test["per_class"].toObject()[classes.first().toString()].toObject()["auc"], 3);
}

QString trainingOf(const QJsonObject& card) {
    const QJsonObject t = card["training"].toObject();
    if (t.isEmpty())
        return "imported";
    QString text = QString("%1 epochs, batch %2, lr %3")
                       .arg(t["epochs"].toInt())
                       .arg(t["batch_size"].toInt())
                       .arg(t["learning_rate"].toDouble());
    if (t["freeze_backbone"].toBool())
        text += ", frozen backbone";
    return text;
}

QTableWidgetItem* cell(const QString& text, bool number = false) {
    auto* item = new QTableWidgetItem(text);
    item->setFlags(item->flags() & ~Qt::ItemIsEditable);
    if (number)
        item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

}  // namespace

ModelRegistry::ModelRegistry(QWidget* parent) : QDialog(parent) {
    setWindowTitle("Model registry");
    setObjectName("modelRegistry");
    header_ = new QLabel(this);
    header_->setWordWrap(true);
    table_ = new QTableWidget(0, Columns, this);
    table_->setObjectName("registryTable");
    table_->setHorizontalHeaderLabels({"name", "architecture", "input", "test accuracy", "macro F1", "AUC",
                                       "validation loss", "best epoch", "training", "in grid", "added",
                                       "checkpoint"});
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->setSortingEnabled(false);
    table_->verticalHeader()->hide();
    table_->setWordWrap(false);
    table_->horizontalHeader()->setStretchLastSection(true);
    connect(table_, &QTableWidget::itemSelectionChanged, this, &ModelRegistry::updateButtons);
    connect(table_, &QTableWidget::cellDoubleClicked, this,
            [this](int row) { Q_EMIT showRequested(table_->item(row, Checkpoint)->text()); });

    add_ = new QPushButton("&Add checkpoint...", this);
    show_ = new QPushButton("&Show in grid", this);
    rename_ = new QPushButton("Re&name...", this);
    remove_ = new QPushButton("Re&move", this);
    auto* close = new QPushButton("Close", this);
    connect(add_, &QPushButton::clicked, this, &ModelRegistry::addRequested);
    connect(show_, &QPushButton::clicked, this, [this] {
        if (const int row = table_->currentRow(); row >= 0)
            Q_EMIT showRequested(table_->item(row, Checkpoint)->text());
    });
    connect(rename_, &QPushButton::clicked, this, &ModelRegistry::renameSelected);
    connect(remove_, &QPushButton::clicked, this, &ModelRegistry::removeSelected);
    connect(close, &QPushButton::clicked, this, &QDialog::close);
    auto* buttons = new QHBoxLayout;
    for (auto* b : {add_, show_, rename_, remove_})
        buttons->addWidget(b);
    buttons->addStretch(1);
    buttons->addWidget(close);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(header_);
    layout->addWidget(table_, 1);
    layout->addLayout(buttons);
    resize(1100, 380);
    refresh();
}

void ModelRegistry::setProject(ProjectSession* project) {
    if (project_)
        disconnect(project_, nullptr, this, nullptr);
    project_ = project;
    if (project_) {
        // Every network loaded changes the project's models: re-read them only while shown (the
        // registry re-reads when it is opened again).
        connect(project_, &ProjectSession::modelsChanged, this, [this] {
            if (isVisible())
                refresh();
        });
        connect(project_, &QObject::destroyed, this, &ModelRegistry::refresh, Qt::QueuedConnection);
    }
    refresh();
}

void ModelRegistry::refresh() {
    table_->setRowCount(0);
    if (!project_) {
        header_->setText(
            "No project is open: a project keeps the registry of its networks (File > New project).");
        updateButtons();
        return;
    }
    const auto models = project_->storedModels();
    header_->setText(QString("%1 network(s) in <b>%2</b>. Metrics come from each checkpoint's model card "
                             "(its test part). Double-click a row to show it in the grid.")
                         .arg(models.size())
                         .arg(QFileInfo(project_->file()).fileName().toHtmlEscaped()));
    table_->setRowCount(static_cast<int>(models.size()));
    for (int row = 0; row < static_cast<int>(models.size()); ++row) {
        const auto& m = models[static_cast<size_t>(row)];
        const QJsonObject card = QJsonDocument::fromJson(QByteArray::fromStdString(m.cardJson)).object();
        const QJsonObject metrics = card["metrics"].toObject();
        const QJsonObject test = metrics["test"].toObject();
        auto* name = cell(QString::fromStdString(m.name));
        name->setData(Qt::UserRole, static_cast<qlonglong>(m.id));
        table_->setItem(row, Name, name);
        table_->setItem(row, Architecture, cell(QString::fromStdString(m.architecture)));
        table_->setItem(
            row, Input,
            cell(card["input_size"].isDouble() ? QString("%1 px").arg(card["input_size"].toInt()) : "–",
                 true));
        table_->setItem(row, TestAccuracy, cell(percentOf(test["accuracy"]), true));
        table_->setItem(row, MacroF1, cell(numberOf(test["macro_f1"], 3), true));
        table_->setItem(row, Auc, cell(aucOf(card, test), true));
        table_->setItem(row, ValidationLoss,
                        cell(numberOf(metrics["validation"].toObject()["loss"], 4), true));
        table_->setItem(
            row, BestEpoch,
            cell(metrics["epoch"].isDouble() ? QString::number(metrics["epoch"].toInt()) : "–", true));
        table_->setItem(row, Training, cell(trainingOf(card)));
        const bool loaded = project_->serviceIdOf(m.id) >= 0;
        table_->setItem(row, InGrid, cell(loaded ? "yes" : "no"));
        table_->setItem(row, Added, cell(QString::fromStdString(m.added).left(16).replace('T', ' ')));
        table_->setItem(row, Checkpoint, cell(QString::fromStdString(m.checkpointPath)));
    }
    table_->resizeColumnsToContents();
    updateButtons();
}

int ModelRegistry::rowOf(const QString& name) const {
    for (int row = 0; row < table_->rowCount(); ++row)
        if (table_->item(row, Name)->text() == name)
            return row;
    return -1;
}

std::int64_t ModelRegistry::modelIdAt(int row) const {
    return table_->item(row, Name)->data(Qt::UserRole).toLongLong();
}

void ModelRegistry::updateButtons() {
    const bool selected = project_ && table_->currentRow() >= 0 && !table_->selectedItems().isEmpty();
    add_->setEnabled(project_ != nullptr);
    show_->setEnabled(selected);
    rename_->setEnabled(selected);
    remove_->setEnabled(selected);
}

bool ModelRegistry::renameRow(int row, const QString& name) {
    if (!project_ || row < 0 || row >= table_->rowCount())
        return false;
    const std::int64_t id = modelIdAt(row);
    try {
        const auto record = project_->renameModel(id, name);
        for (const int service : project_->serviceIdsOf(id))
            Q_EMIT modelRenamed(service, QString::fromStdString(record.name));
        return true;
    } catch (const std::exception& e) {
        QMessageBox::warning(this, "Cannot rename", QString::fromStdString(e.what()));
        return false;
    }
}

bool ModelRegistry::removeRow(int row) {
    if (!project_ || row < 0 || row >= table_->rowCount())
        return false;
    const std::int64_t id = modelIdAt(row);
    const auto services = project_->serviceIdsOf(id);
    try {
        project_->removeModel(id);
    } catch (const std::exception& e) {
        QMessageBox::warning(this, "Cannot remove", QString::fromStdString(e.what()));
        return false;
    }
    for (const int service : services)
        Q_EMIT modelRemoved(service);
    return true;
}

void ModelRegistry::renameSelected() {
    const int row = table_->currentRow();
    if (row < 0)
        return;
    bool ok = false;
    const QString name = QInputDialog::getText(this, "Rename network", "New name:", QLineEdit::Normal,
                                               table_->item(row, Name)->text(), &ok);
    if (ok)
        renameRow(row, name);
}

void ModelRegistry::removeSelected() {
    const int row = table_->currentRow();
    if (row < 0)
        return;
    const QString name = table_->item(row, Name)->text();
    const auto answer = QMessageBox::question(
        this, "Remove network",
        QString("Remove %1 from the project, with its stored maps and statistics? The checkpoint file stays "
                "on disk.")
            .arg(name));
    if (answer == QMessageBox::Yes)
        removeRow(row);
}

}  // namespace saliency::ui
