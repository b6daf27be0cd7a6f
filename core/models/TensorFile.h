#pragma once
// A file of named tensors in PyTorch's format: what Python writes with
//   torch.save(dict(model.state_dict()), path)
// (a plain dict; an OrderedDict state_dict() does not load in LibTorch), read here with
// torch::pickle_load. Failures (missing, empty, not a torch.save zip file, truncated, a pickle
// of something other than a dict of tensors) throw saliency::FileError with the reason.
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include <ATen/core/Tensor.h>

namespace saliency::models {

using TensorDict = std::vector<std::pair<std::string, at::Tensor>>;  // in file order

TensorDict readTensorDict(const std::filesystem::path& path);

// Writes `tensors` (detached, on the CPU) so that readTensorDict and Python's torch.load read
// them back; written to a temporary name first and renamed, so a failure leaves no partial file.
void writeTensorDict(const std::filesystem::path& path, const TensorDict& tensors);

std::string shapeString(const at::Tensor& tensor);  // "[64, 3, 7, 7]"

}  // namespace saliency::models
