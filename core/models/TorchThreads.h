#pragma once
// LibTorch's intra-op thread pool. Debian's LibTorch starts with 1 thread on this kind of
// machine (DESIGN.md section 3); the trainer, the CLI and the GUI call this once at start-up.

namespace saliency::models {

// The number of cores this process may run on (its CPU affinity), at least 1.
int availableCores();

// Sets at::set_num_threads to `threads`, or to availableCores() when `threads` <= 0.
// Returns the count now in effect (at::get_num_threads()).
int configureTorchThreads(int threads = 0);

}  // namespace saliency::models
