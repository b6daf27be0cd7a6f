#pragma once
// Eval mode for a whole explainer call and guided mode for its guided passes; the model's previous
// state comes back on every exit, exceptions included. Internal to core/saliency (LibTorch).
#include "models/Classifier.h"
#include "saliency/GuidedRule.h"

namespace saliency::explain {

class ModelModeGuard {
  public:
    explicit ModelModeGuard(models::ClassifierImpl& model);
    ~ModelModeGuard();
    ModelModeGuard(const ModelModeGuard&) = delete;
    ModelModeGuard& operator=(const ModelModeGuard&) = delete;

    // on: every GuidedActivation that `rule` covers is guided; off: all plain.
    void setGuided(bool on, GuidedRule rule);

  private:
    models::ClassifierImpl& model_;
    bool wasTraining_;
    bool wasGuided_;
};

}  // namespace saliency::explain
