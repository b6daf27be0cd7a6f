#include "saliency/ModelModeGuard.h"

#include "models/GuidedActivation.h"

namespace saliency::explain {

ModelModeGuard::ModelModeGuard(models::ClassifierImpl& model)
    : model_(model), wasTraining_(model.is_training()), wasGuided_(model.guided()) {
    model_.eval();
}

ModelModeGuard::~ModelModeGuard() {
    try {
        model_.setGuided(wasGuided_);
        if (wasTraining_)
            model_.train(true);
    } catch (...) {  // a destructor must not throw; setGuided/train only flip flags
    }
}

void ModelModeGuard::setGuided(bool on, GuidedRule rule) {
    model_.setGuided(on && rule != GuidedRule::None);
    if (on && rule == GuidedRule::ReluOnly) {
        // The libraries' rule: SiLU keeps its plain backward.
        for (const auto& module : model_.modules(/*include_self=*/false))
            if (auto* activation = dynamic_cast<models::GuidedActivationImpl*>(module.get()))
                if (activation->kind() == models::ActivationKind::SiLU)
                    activation->setGuided(false);
    }
}

}  // namespace saliency::explain
