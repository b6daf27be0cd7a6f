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
#include <ATen/core/ivalue.h>

namespace saliency::models {

using TensorDict = std::vector<std::pair<std::string, at::Tensor>>;  // in file order

TensorDict readTensorDict(const std::filesystem::path& path);

// What torch.save / pickle_save wrote to `path` (a zip archive of a pickle and tensor records),
// read with every check a hostile or damaged file needs before a tensor is touched: the file fits
// memory limits, every zip record passes its CRC-32, every tensor's shape fits inside the bytes
// its record holds (a record cut short would otherwise be read past its end), and floating-point
// tensors hold no NaN or infinity. `what` names the kind of file in messages ("checkpoint").
// Throws FileError.
c10::IValue readVerifiedPickle(const std::filesystem::path& path, std::vector<char> bytes, const char* what);

// Writes `tensors` (detached, on the CPU) so that readTensorDict and Python's torch.load read
// them back; written to a temporary name first and renamed, so a failure leaves no partial file.
void writeTensorDict(const std::filesystem::path& path, const TensorDict& tensors);

std::string shapeString(const at::Tensor& tensor);  // "[64, 3, 7, 7]"

}  // namespace saliency::models
