#pragma once
// The git commit the programs were built from, for --version: defined in a file written at build
// time (cmake/WriteBuildCommit.cmake), so a new commit relinks only the two programs.

namespace saliency {

// "725b973a1b2c", with "-dirty" for uncommitted changes, or "unknown" outside git.
const char* buildCommit();

}  // namespace saliency
