#pragma once
// Runs a reference script of tests/python with Debian's /usr/bin/python3 (python3-torch and
// python3-torchvision; the python3 first on PATH may be a shim without torch). Never skips: a
// machine without them fails with a message that says to run scripts/setup.sh.
#include <QString>
#include <QStringList>

namespace saliency::test {

inline constexpr const char* kPython = "/usr/bin/python3";

struct PythonRun {
    QString error;   // empty on success
    QString output;  // stdout and stderr, merged
    double seconds = 0.0;
};

// script: a file name under tests/python. Waits at most five minutes.
PythonRun runPythonReference(const QString& script, const QStringList& arguments);

}  // namespace saliency::test
