#pragma once
// The loaded networks: a list (the grid's rows, in order) and the selected one's model card.
// Thin: buttons emit requests; MainWindow opens files and talks to the ExplanationService.
#include <QWidget>

#include "saliency/ModelSession.h"

class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QStackedWidget;
class QTextBrowser;

namespace saliency::ui {

class ModelPanel : public QWidget {
    Q_OBJECT
  public:
    explicit ModelPanel(QWidget* parent = nullptr);

    void addModel(int id, const explain::ModelInfo& info);
    void removeModel(int id);
    void renameModel(int id, const QString& name);
    void clear();
    int selectedModel() const;  // -1 when none
    int count() const;

    Q_SIGNAL void openRequested();
    Q_SIGNAL void importRequested();
    Q_SIGNAL void removeRequested(int id);

  private:
    void showSelected();

    QListWidget* list_ = nullptr;
    QTextBrowser* card_ = nullptr;    // the card as a form
    QPlainTextEdit* json_ = nullptr;  // the card as it is stored, one click away
    QStackedWidget* cardStack_ = nullptr;
    QPushButton* showJson_ = nullptr;
    QPushButton* remove_ = nullptr;
};

// A model card for people, as an HTML form: architecture, classes, input and normalisation, target
// layer, test metrics, training, provenance. Card text is escaped.
QString describeModel(const explain::ModelInfo& info);

}  // namespace saliency::ui
