#include "PythonReference.h"

#include <QFileInfo>
#include <QProcess>

#include <chrono>

namespace saliency::test {

namespace {

QString checkTorchImports() {
    QProcess probe;
    probe.start(kPython, {"-c", "import torch, torchvision"});
    const bool started = probe.waitForStarted(10000);
    probe.waitForFinished(120000);
    if (started && probe.exitStatus() == QProcess::NormalExit && probe.exitCode() == 0)
        return {};
    return QString(
               "%1 cannot import torch and torchvision (python3-torch, python3-torchvision): "
               "run scripts/setup.sh. %2")
        .arg(kPython, QString::fromLocal8Bit(probe.readAllStandardError()));
}

}  // namespace

PythonRun runPythonReference(const QString& script, const QStringList& arguments) {
    PythonRun run;
    run.error = checkTorchImports();
    if (!run.error.isEmpty())
        return run;
    const QString path = QStringLiteral(SALIENCY_SOURCE_DIR "/tests/python/") + script;
    if (!QFileInfo::exists(path)) {
        run.error = path + " is missing";
        return run;
    }
    QProcess python;
    python.setProcessChannelMode(QProcess::MergedChannels);
    const auto start = std::chrono::steady_clock::now();
    python.start(kPython, QStringList{path} + arguments);
    if (!python.waitForStarted(10000)) {
        run.error = "cannot start " + QString(kPython);
        return run;
    }
    if (!python.waitForFinished(300000)) {
        python.kill();
        run.error = script + " took over 5 minutes";
        return run;
    }
    run.output = QString::fromLocal8Bit(python.readAll());
    run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (python.exitStatus() != QProcess::NormalExit || python.exitCode() != 0)
        run.error = script + " failed:\n" + run.output;
    return run;
}

}  // namespace saliency::test
