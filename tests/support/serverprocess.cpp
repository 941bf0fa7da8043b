#include "serverprocess.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QRegularExpression>

#include <sys/prctl.h>

#include <csignal>

namespace pinhole::test {

ServerProcess::ServerProcess(QString configToml, QStringList extraArgs)
    : m_configToml(std::move(configToml)), m_extraArgs(std::move(extraArgs)) {
    // If the test dies without running its destructors (a fatal failure, a timeout), the server
    // goes with it instead of lingering.
    m_process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
}

ServerProcess::~ServerProcess() {
    if (isRunning())
        stop();
}

QString ServerProcess::binaryPath() {
    return QStringLiteral(PINHOLED_PATH);
}

bool ServerProcess::isRunning() const {
    return m_process.state() != QProcess::NotRunning;
}

bool ServerProcess::start() {
    QStringList args{"serve", "--listen", "127.0.0.1:0", "--data-dir", dataDir()};
    if (!m_configToml.isEmpty()) {
        QFile f(configPath());
        if (!f.open(QIODevice::WriteOnly))
            return false;
        f.write(m_configToml.toUtf8());
        args << "--config" << configPath();
    }
    args << m_extraArgs;
    m_stdout.clear();
    m_baseUrl.clear();
    m_process.start(binaryPath(), args);
    if (!m_process.waitForStarted(10000))
        return false;
    static const QRegularExpression listening(QStringLiteral("listening on (\\S+)"));
    QDeadlineTimer deadline(60000); // generous: sanitizer builds start slowly
    while (!deadline.hasExpired()) {
        m_stdout += m_process.readAllStandardOutput();
        const auto match = listening.match(QString::fromUtf8(m_stdout));
        if (match.hasMatch()) {
            m_baseUrl = match.captured(1);
            return true;
        }
        if (!m_process.waitForReadyRead(static_cast<int>(deadline.remainingTime())))
            break;
    }
    m_stderr += m_process.readAllStandardError();
    qWarning("pinholed did not start: %s", m_stderr.constData());
    return false;
}

int ServerProcess::stop() {
    if (!isRunning())
        return m_process.exitCode();
    ::kill(static_cast<pid_t>(m_process.processId()), SIGTERM);
    if (!m_process.waitForFinished(60000)) {
        m_process.kill();
        m_process.waitForFinished();
        return -1;
    }
    return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
}

void ServerProcess::kill() {
    m_process.kill();
    m_process.waitForFinished();
}

QString ServerProcess::log() {
    m_stderr += m_process.readAllStandardError();
    return QString::fromUtf8(m_stderr);
}

QString ServerProcess::stdoutText() {
    m_stdout += m_process.readAllStandardOutput();
    return QString::fromUtf8(m_stdout);
}

int ServerProcess::admin(const QStringList& args, const QByteArray& input, QString* out) const {
    QProcess p;
    QStringList all{"admin"};
    all << args << "--data-dir" << dataDir();
    p.start(binaryPath(), all);
    p.waitForStarted();
    p.write(input);
    p.closeWriteChannel();
    p.waitForFinished(60000);
    if (out)
        *out = QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError());
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

bool ServerProcess::createUser(const QString& name, const QString& password, bool isAdmin) const {
    QStringList args{"create-user", name, "--email", name + "@example.org", "--password-stdin"};
    if (isAdmin)
        args << "--admin";
    return admin(args, password.toUtf8() + "\n") == 0;
}

} // namespace pinhole::test
