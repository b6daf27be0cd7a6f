#pragma once
// Where a run computes: CUDA when asked for or (auto) when available, else the CPU with LibTorch's
// thread pool sized to the cores (models/TorchThreads.h).
#include <string>

#include <c10/core/Device.h>

#include "training/TrainConfig.h"

namespace saliency {

// Auto: CUDA when torch::cuda::is_available(), else the CPU. Cuda without a CUDA build or device
// throws Error saying so. On the CPU, LibTorch's intra-op threads are set: to `threads` when > 0,
// else once per process to the available cores (a later explicit count still wins).
c10::Device resolveDevice(DeviceChoice choice, int threads = 0);

// "cpu (2 threads)", "cuda:0 (NVIDIA H200)".
std::string describeDevice(const c10::Device& device);

}  // namespace saliency
