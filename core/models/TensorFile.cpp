#include "models/TensorFile.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <string_view>

#include <ATen/core/Dict.h>
#include <ATen/core/ivalue.h>
#include <c10/util/Exception.h>
#include <torch/csrc/jit/serialization/pickle.h>

#include "common/AtomicFile.h"
#include "common/Error.h"

namespace saliency::models {

namespace {

std::string firstLine(const std::string& text) {
    const auto end = text.find('\n');
    return end == std::string::npos ? text : text.substr(0, end);
}

}  // namespace

std::string shapeString(const at::Tensor& tensor) {
    std::string s = "[";
    for (std::int64_t i = 0; i < tensor.dim(); ++i)
        s += (i ? ", " : "") + std::to_string(tensor.size(i));
    return s + "]";
}

TensorDict readTensorDict(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        throw FileError(path, "no such file");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw FileError(path, "cannot open for reading");
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad())
        throw FileError(path, "read error");
    if (bytes.empty())
        throw FileError(path, "empty file");
    // torch.save (PyTorch >= 1.6) writes a zip archive; anything else is not a weights file.
    if (static_cast<unsigned char>(bytes[0]) == 0x80)  // a bare pickle: torch.save's old format
        throw FileError(path,
                        "saved in PyTorch's legacy format (_use_new_zipfile_serialization=False), "
                        "which LibTorch cannot read; save it again with a plain torch.save");
    if (bytes.size() < 4 || bytes[0] != 'P' || bytes[1] != 'K' || bytes[2] != 3 || bytes[3] != 4)
        throw FileError(path,
                        "not a PyTorch weights file (expected the zip format torch.save writes: "
                        "torch.save(dict(model.state_dict()), path))");

    // model.state_dict() is an OrderedDict, which LibTorch's unpickler turns into None and then
    // fails on with an internal assertion: say what to do instead. torch.save stores the pickle
    // uncompressed, so a pickle whose top object is an OrderedDict starts with these bytes (PROTO 2,
    // GLOBAL); tensors' own empty OrderedDicts of hooks come later in the stream, never first.
    static constexpr std::string_view orderedDict =
        "\x80\x02"
        "ccollections\nOrderedDict\n";
    if (std::search(bytes.begin(), bytes.end(), orderedDict.begin(), orderedDict.end()) != bytes.end())
        throw FileError(path,
                        "holds an OrderedDict (what model.state_dict() returns), which LibTorch cannot read; "
                        "save a plain dict instead: torch.save(dict(model.state_dict()), path)");

    c10::IValue value;
    try {
        value = torch::jit::pickle_load(bytes);
    } catch (const c10::Error& e) {
        throw FileError(path, "cannot read the PyTorch file (truncated or damaged?): " +
                                  firstLine(e.what_without_backtrace()));
    } catch (const std::exception& e) {
        throw FileError(path, std::string("cannot read the PyTorch file (truncated or damaged?): ") +
                                  firstLine(e.what()));
    }
    if (!value.isGenericDict())
        throw FileError(path, std::string("holds a ") + value.tagKind() +
                                  ", not a dict of tensors (save dict(model.state_dict()))");

    TensorDict out;
    for (const auto& entry : value.toGenericDict()) {
        if (!entry.key().isString())
            throw FileError(
                path, std::string("a key of the dict is a ") + entry.key().tagKind() + ", not a tensor name");
        const std::string name = entry.key().toStringRef();
        if (!entry.value().isTensor())
            throw FileError(path,
                            "entry \"" + name + "\" is a " + entry.value().tagKind() + ", not a tensor");
        out.emplace_back(name, entry.value().toTensor());
    }
    if (out.empty())
        throw FileError(path, "the dict holds no tensors");
    return out;
}

void writeTensorDict(const std::filesystem::path& path, const TensorDict& tensors) {
    c10::Dict<std::string, at::Tensor> dict;
    for (const auto& [name, tensor] : tensors)
        dict.insert(name, tensor.detach().cpu());
    std::vector<char> bytes;
    try {
        bytes = torch::jit::pickle_save(c10::IValue(dict));
    } catch (const c10::Error& e) {
        throw FileError(path, "cannot serialise the tensors: " + firstLine(e.what_without_backtrace()));
    }
    writeFileAtomically(path, std::string_view(bytes.data(), bytes.size()));
}

}  // namespace saliency::models
