#pragma once
// The model options every inference command shares:
//   --model CKPT                                  a checkpoint with its model card, or
//   --arch ARCH --weights FILE [--classes a,b]    torchvision weights (ImageNet normalisation)
//        [--image-size PX]                        input size for imported weights (default 224)
#include <string>

#include "cli/Arguments.h"
#include "models/Checkpoint.h"

namespace saliency::cli {

struct LoadedModel {
    models::Classifier model;
    models::ModelCard card;
    std::string source;  // the file it came from, for messages
};

// Throws UsageError for wrong combinations and FileError for unreadable files.
LoadedModel loadModelFromArguments(Arguments& args);

}  // namespace saliency::cli
