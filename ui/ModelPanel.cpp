#include "ModelPanel.h"

#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QListWidget>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStackedWidget>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace saliency::ui {

namespace {
constexpr int kIdRole = Qt::UserRole + 1;
}

namespace {

QString escaped(const QString& text) {
    return text.toHtmlEscaped();
}

QString row(const QString& label, const QString& value) {
    return value.isEmpty()
               ? QString()
               : "<tr><td style='color:#666;padding-right:8px'>" + label + "</td><td>" + value + "</td></tr>";
}

QString percent(const QJsonValue& v) {
    return v.isDouble() ? QString::number(100.0 * v.toDouble(), 'f', 1) + " %" : QString();
}

QString numbers(const QJsonArray& values, int decimals) {
    QStringList out;
    for (const auto& v : values)
        out << QString::number(v.toDouble(), 'f', decimals);
    return out.join(", ");
}

// What the network was trained on and with: the card's "training" object.
QString trainingText(const QJsonObject& t) {
    if (t.isEmpty())
        return {};
    QString text = QString("%1 epochs, batch %2, %3 lr %4")
                       .arg(t.value("epochs").toInt())
                       .arg(t.value("batch_size").toInt())
                       .arg(escaped(t.value("optimiser").toString()))
                       .arg(t.value("learning_rate").toDouble());
    if (!t.value("schedule").toString().isEmpty())
        text += ", " + escaped(t.value("schedule").toString()) + " schedule";
    if (t.value("freeze_backbone").toBool())
        text += ", frozen backbone";
    const QJsonObject split = t.value("split").toObject();
    if (!split.isEmpty())
        text += QString("<br>split %1 / %2 / %3 (train / validation / test), seed %4")
                    .arg(split.value("train").toInt())
                    .arg(split.value("validation").toInt())
                    .arg(split.value("test").toInt())
                    .arg(split.value("seed").toInt());
    return text;
}

}  // namespace

QString describeModel(const explain::ModelInfo& info) {
    QStringList classes;
    for (const auto& c : info.classes)
        classes << QString::fromStdString(c);
    const QJsonObject card = QJsonDocument::fromJson(QByteArray::fromStdString(info.cardJson)).object();
    const QJsonObject metrics = card.value("metrics").toObject();
    const QJsonObject test = metrics.value("test").toObject();
    const QJsonObject normalisation = card.value("normalisation").toObject();
    QString testText;
    if (!test.isEmpty()) {
        testText = QString("accuracy %1, macro F1 %2 on %3 images")
                       .arg(percent(test.value("accuracy")))
                       .arg(test.value("macro_f1").toDouble(), 0, 'f', 3)
                       .arg(test.value("images").toInt());
        QStringList auc;
        const QJsonObject perClass = test.value("per_class").toObject();
        for (auto it = perClass.begin(); it != perClass.end(); ++it)
            if (it.value().toObject().contains("auc"))
                auc << escaped(it.key()) + " " +
                           QString::number(it.value().toObject().value("auc").toDouble(), 'f', 3);
        if (!auc.isEmpty())
            testText += "<br>AUC: " + auc.join(", ");
    }
    QString html = "<h3 style='margin:2px 0'>" + escaped(QString::fromStdString(info.name)) + "</h3><table>";
    html += row("Architecture", escaped(QString::fromStdString(info.architecture)));
    html += row("Parameters", QLocale().toString(info.parameters));
    html += row("Classes", escaped(classes.join(", ")));
    html += row("Input", QString("%1 x %1 px, %2")
                             .arg(info.inputSize)
                             .arg(escaped(card.value("channel_order").toString("RGB"))));
    if (!normalisation.isEmpty())
        html += row("Normalisation", "mean " + numbers(normalisation.value("mean").toArray(), 3) +
                                         "<br>std " + numbers(normalisation.value("std").toArray(), 3));
    html += row("Target layer", escaped(QString::fromStdString(info.targetLayer)));
    html += row("Test", testText);
    html += row("Training", trainingText(card.value("training").toObject()));
    html += row("Weights from", escaped(card.value("weights_source").toString()));
    html += row("Made by", "<code>" + escaped(card.value("command").toString()) + "</code>");
    html += row("Created", escaped(card.value("created").toString()));
    html += row("File", escaped(QString::fromStdString(info.source.string())));
    return html + "</table>";
}

ModelPanel::ModelPanel(QWidget* parent) : QWidget(parent) {
    list_ = new QListWidget;
    list_->setToolTip("The loaded networks, one grid row each");
    card_ = new QTextBrowser;
    card_->setObjectName("modelCard");
    card_->setPlaceholderText("Open a checkpoint (Ctrl+M) or import torchvision weights.");
    json_ = new QPlainTextEdit;
    json_->setObjectName("modelCardJson");
    json_->setReadOnly(true);
    cardStack_ = new QStackedWidget;
    cardStack_->addWidget(card_);
    cardStack_->addWidget(json_);
    showJson_ = new QPushButton("Show the card's JSON");
    showJson_->setCheckable(true);
    showJson_->setEnabled(false);
    connect(showJson_, &QPushButton::toggled, this, [this](bool on) {
        cardStack_->setCurrentIndex(on ? 1 : 0);
        showJson_->setText(on ? "Show the card as a form" : "Show the card's JSON");
    });
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
    layout->addWidget(cardStack_, 2);
    layout->addWidget(showJson_);

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
    item->setData(Qt::UserRole + 3, QString::fromStdString(info.cardJson));
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
    card_->setHtml(item ? item->data(Qt::UserRole + 2).toString() : QString());
    json_->setPlainText(item ? item->data(Qt::UserRole + 3).toString() : QString());
    showJson_->setEnabled(item != nullptr);
}

}  // namespace saliency::ui
