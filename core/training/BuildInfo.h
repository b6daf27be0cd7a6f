#pragma once
// What a build is: the project's version, the LibTorch it runs on and whether CUDA is usable, for
// `--version` of both programs. This header carries no LibTorch, so the GUI can include it.
#include <string>
#include <string_view>

namespace saliency {

// The project's version, from CMake's project(VERSION): the one place it is written.
const char* projectVersion();

// LibTorch's version as compiled against, e.g. "1.13.0".
const char* libtorchVersion();

// The text `PROGRAM --version` prints, one fact a line:
//   saliency-cli 0.2.0
//   commit 725b973a1b2c
//   LibTorch 1.13.0
//   CUDA not available
// `commit` is the git commit the program was built from ("unknown" outside git). Asking about CUDA
// starts its driver on a CUDA build, so only call this when the answer is wanted.
std::string versionReport(std::string_view program, std::string_view commit);

}  // namespace saliency
