#include <iostream>

#include "cli/Commands.h"

namespace saliency::cli {

int runStudy(const std::vector<std::string>&) {
    std::cerr << "saliency-cli: not built yet\n";
    return 1;
}

}  // namespace saliency::cli
