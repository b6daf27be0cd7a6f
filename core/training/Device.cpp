#include "training/Device.h"

#include <mutex>

#include <ATen/Parallel.h>
#include <torch/cuda.h>

#include "common/Error.h"
#include "models/TorchThreads.h"

namespace saliency {

c10::Device resolveDevice(DeviceChoice choice, int threads) {
    const bool cuda = torch::cuda::is_available();
    if (choice == DeviceChoice::Cuda && !cuda)
        throw Error(
            "CUDA was asked for but is not available (this LibTorch has no CUDA support or no GPU was "
            "found); use --device cpu or auto");
    if (cuda && choice != DeviceChoice::Cpu)
        return c10::Device(c10::DeviceType::CUDA, 0);
    if (threads > 0) {
        models::configureTorchThreads(threads);
    } else {
        static std::once_flag once;
        std::call_once(once, [] { models::configureTorchThreads(); });
    }
    return c10::Device(c10::DeviceType::CPU);
}

bool cudaAvailable() {
    return torch::cuda::is_available();
}

std::string describeDevice(const c10::Device& device) {
    if (device.is_cuda())
        return device.str();
    return "cpu (" + std::to_string(at::get_num_threads()) + " threads)";
}

}  // namespace saliency
