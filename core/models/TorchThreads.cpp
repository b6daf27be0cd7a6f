#include "models/TorchThreads.h"

#include <thread>

#include <ATen/Parallel.h>

#if defined(__linux__)
#include <sched.h>
#endif

namespace saliency::models {

int availableCores() {
#if defined(__linux__)
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof(set), &set) == 0) {
        const int n = CPU_COUNT(&set);
        if (n > 0)
            return n;
    }
#endif
    const unsigned n = std::thread::hardware_concurrency();
    return n > 0 ? static_cast<int>(n) : 1;
}

int configureTorchThreads(int threads) {
    const int wanted = threads > 0 ? threads : availableCores();
    if (at::get_num_threads() != wanted)
        at::set_num_threads(wanted);
    return at::get_num_threads();
}

}  // namespace saliency::models
