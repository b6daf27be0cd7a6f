#include "ModelPanel.h"

#include <QHBoxLayout>
#include <QJsonDocument>
#include <QJsonObject>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace saliency::ui {

namespace {
constexpr int kIdRole = Qt::UserRole + 1;
}

QString describeModel(const explain::ModelInfo& info) {
    QStringList classes;
    for (const auto& c : info.classes)
        classes << QString::fromStdString(c);
    QString text =
        QString(
            "%1\narchitecture: %2 (%3 parameters)\nclasses: %4\ninput: %5 px, target layer %6\nfile: %7\n")
            .arg(QString::fromStdString(info.name), QString::fromStdString(info.architecture))
            .arg(QLocale().toString(info.parameters))
            .arg(classes.join(", "))
            .arg(info.inputSize)
            .arg(QString::fromStdString(info.targetLayer), QString::fromStdString(info.source.string()));
    const QJsonObject card = QJsonDocument::fromJson(QByteArray::fromStdString(info.cardJson)).object();
    const QJsonObject test = card.value("metrics").toObject().value("test").toObject();
    if (!test.isEmpty())
        text += QString("test accuracy: %1 on %2 images\n")
                    .arg(test.value("accuracy").toDouble(), 0, 'f', 3)
                    .arg(test.value("images").toInt());
    if (!card.value("command").toString().isEmpty())
        text += "made by: " + card.value("command").toString() + "\n";
    return text + "\nmodel card:\n" + QString::fromStdString(info.cardJson);
}

ModelPanel::ModelPanel(QWidget* parent) : QWidget(parent) {
    list_ = new QListWidget;
    list_->setToolTip("The loaded networks, one grid row each");
    card_ = new QPlainTextEdit;
    card_->setReadOnly(true);
    card_->setPlaceholderText("Open a checkpoint (Ctrl+M) or import torchvision weights.");
    auto* open = new QPushButton("Open...");
    open->setToolTip("Open a checkpoint with its model card (Ctrl+M)");
    auto* import = new QPushButton("Import...");
    import->setToolTip("Import torchvision weights saved as a plain dict with torch.save");
    remove_ = new QPushButton("Remove");
    remove_->setEnabled(false);
    for (auto* button : {open, import, remove_}) {
        // Let a narrow panel squeeze the buttons rather than the comparison grid.
        button->setMinimumWidth(40);
        button->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
    }
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(open);
    buttons->addWidget(import);
    buttons->addWidget(remove_);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(list_, 1);
    layout->addLayout(buttons);
    layout->addWidget(card_, 2);

    connect(open, &QPushButton::clicked, this, &ModelPanel::openRequested);
    connect(import, &QPushButton::clicked, this, &ModelPanel::importRequested);
    connect(remove_, &QPushButton::clicked, this, [this] {
        if (selectedModel() >= 0)
            Q_EMIT removeRequested(selectedModel());
    });
    connect(list_, &QListWidget::currentRowChanged, this, [this] { showSelected(); });
}

void ModelPanel::addModel(int id, const explain::ModelInfo& info) {
    auto* item = new QListWidgetItem(
        QString("%1  (%2)")
            .arg(QString::fromStdString(info.name), QString::fromStdString(info.architecture)));
    item->setData(kIdRole, id);
    item->setData(Qt::UserRole + 2, describeModel(info));
    item->setToolTip(QString::fromStdString(info.source.string()));
    list_->addItem(item);
    list_->setCurrentItem(item);
}

void ModelPanel::removeModel(int id) {
    for (int i = 0; i < list_->count(); ++i)
        if (list_->item(i)->data(kIdRole).toInt() == id)
            delete list_->takeItem(i);
    showSelected();
}

void ModelPanel::renameModel(int id, const QString& name) {
    for (int i = 0; i < list_->count(); ++i) {
        auto* item = list_->item(i);
        if (item->data(kIdRole).toInt() == id) {
            const QString text = item->text();
            item->setText(name + text.mid(text.lastIndexOf("  (")));
        }
    }
}

void ModelPanel::clear() {
    list_->clear();
    showSelected();
}

int ModelPanel::selectedModel() const {
    const auto* item = list_->currentItem();
    return item ? item->data(kIdRole).toInt() : -1;
}

int ModelPanel::count() const {
    return list_->count();
}

void ModelPanel::showSelected() {
    const auto* item = list_->currentItem();
    remove_->setEnabled(item != nullptr);
    card_->setPlainText(item ? item->data(Qt::UserRole + 2).toString() : QString());
}

}  // namespace saliency::ui
