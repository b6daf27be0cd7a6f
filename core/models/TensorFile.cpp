#include "models/TensorFile.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <string_view>

#include <ATen/Functions.h>
#include <ATen/core/Dict.h>
#include <ATen/core/ivalue.h>
#include <c10/util/Exception.h>
#include <caffe2/serialize/inline_container.h>
#include <caffe2/serialize/read_adapter_interface.h>
#include <torch/csrc/jit/serialization/import_read.h>
#include <torch/csrc/jit/serialization/pickle.h>
#include <torch/csrc/jit/serialization/storage_context.h>

#include "common/AtomicFile.h"
#include "common/Error.h"
#include "models/ZipRecords.h"

namespace saliency::models {

namespace {

std::string firstLine(const std::string& text) {
    const auto end = text.find('\n');
    return end == std::string::npos ? text : text.substr(0, end);
}

// LibTorch reads the archive from memory we already hold (and have verified).
class BytesAdapter final : public caffe2::serialize::ReadAdapterInterface {
  public:
    explicit BytesAdapter(const std::vector<char>& bytes) : bytes_(bytes) {}
    size_t size() const override { return bytes_.size(); }
    size_t read(uint64_t pos, void* buf, size_t n, const char*) const override {
        if (pos >= bytes_.size())
            return 0;
        const size_t count = std::min<size_t>(n, bytes_.size() - pos);
        std::copy_n(bytes_.data() + pos, count, static_cast<char*>(buf));
        return count;
    }

  private:
    const std::vector<char>& bytes_;
};

// LibTorch's unpickler makes each storage as large as the pickle says and hands it the record's
// bytes, however few there are. Giving it storages made from the records instead keeps every
// storage's size honest, so that the shape check below can catch a record cut short.
std::shared_ptr<torch::jit::DeserializationStorageContext> storagesOf(
    caffe2::serialize::PyTorchStreamReader& reader) {
    auto storages = std::make_shared<torch::jit::DeserializationStorageContext>();
    constexpr std::string_view prefix = "data/";
    for (const std::string& name : reader.getAllRecords()) {
        if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0)
            continue;
        auto [data, size] = reader.getRecord(name);
        storages->addStorage(name.substr(prefix.size()),
                             c10::Storage(c10::Storage::use_byte_size_t(), size, std::move(data),
                                          /*allocator=*/nullptr, /*resizable=*/false));
    }
    return storages;
}

// The bytes a tensor's view reaches: offset plus the farthest element, in bytes.
std::uint64_t bytesReached(const at::Tensor& tensor) {
    if (tensor.numel() == 0)
        return 0;
    std::uint64_t last = static_cast<std::uint64_t>(tensor.storage_offset());
    for (std::int64_t d = 0; d < tensor.dim(); ++d) {
        if (tensor.stride(d) < 0)
            return UINT64_MAX;  // never written by torch.save: refuse
        last += static_cast<std::uint64_t>(tensor.size(d) - 1) * static_cast<std::uint64_t>(tensor.stride(d));
    }
    return (last + 1) * tensor.element_size();
}

void checkTensor(const std::filesystem::path& path, const std::string& name, const at::Tensor& tensor,
                 const char* what) {
    if (tensor.device().type() != c10::DeviceType::CPU)
        return;  // moved to another device by the unpickler: it was complete to get there
    const std::uint64_t reached = bytesReached(tensor);
    const std::uint64_t held = tensor.numel() == 0 ? 0 : tensor.storage().nbytes();
    if (reached > held || (held > 0 && tensor.storage().data() == nullptr)) {
        throw FileError(path, std::string("truncated or damaged ") + what + ": tensor \"" + name +
                                  "\" of shape " + shapeString(tensor) + " needs " + std::to_string(reached) +
                                  " bytes, its record holds " + std::to_string(held));
    }
    if (tensor.is_floating_point() && tensor.numel() > 0 && !at::isfinite(tensor).all().item<bool>()) {
        throw FileError(path, std::string("damaged ") + what + ": tensor \"" + name +
                                  "\" holds NaN or infinite values (a diverged training run?)");
    }
}

// Every tensor in the loaded value, however deeply it sits in dicts, lists and tuples.
void checkTensors(const std::filesystem::path& path, const c10::IValue& value, const std::string& name,
                  const char* what) {
    if (value.isTensor()) {
        checkTensor(path, name, value.toTensor(), what);
    } else if (value.isGenericDict()) {
        for (const auto& entry : value.toGenericDict()) {
            const std::string key = entry.key().isString() ? entry.key().toStringRef() : "?";
            checkTensors(path, entry.value(), name.empty() ? key : name + "." + key, what);
        }
    } else if (value.isList()) {
        const auto list = value.toListRef();
        for (std::size_t i = 0; i < list.size(); ++i)
            checkTensors(path, list[i], name + "[" + std::to_string(i) + "]", what);
    } else if (value.isTuple()) {
        const auto& elements = value.toTupleRef().elements();
        for (std::size_t i = 0; i < elements.size(); ++i)
            checkTensors(path, elements[i], name + "[" + std::to_string(i) + "]", what);
    }
}

}  // namespace

c10::IValue readVerifiedPickle(const std::filesystem::path& path, std::vector<char> bytes, const char* what) {
    verifiedZipRecords(path, bytes);
    c10::IValue value;
    try {
        caffe2::serialize::PyTorchStreamReader reader(std::make_shared<BytesAdapter>(bytes));
        value = torch::jit::readArchiveAndTensors(
            "data", "", "", c10::nullopt, c10::nullopt, at::Device(at::kCPU), reader,
            torch::jit::Unpickler::defaultTypeParser, storagesOf(reader));
    } catch (const c10::Error& e) {
        throw FileError(path, std::string("cannot read the ") + what +
                                  " (truncated or damaged?): " + firstLine(e.what_without_backtrace()));
    } catch (const std::exception& e) {
        throw FileError(path, std::string("cannot read the ") + what +
                                  " (truncated or damaged?): " + firstLine(e.what()));
    }
    checkTensors(path, value, "", what);
    return value;
}

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

    const c10::IValue value = readVerifiedPickle(path, std::move(bytes), "PyTorch file");
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
