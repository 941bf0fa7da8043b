// The real pinholed in a child process, on 127.0.0.1 with a port the kernel picks, in a fresh
// temporary data directory. start() returns once the server printed the URL it listens on.
#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

namespace pinhole::test {

class ServerProcess {
public:
    // `configToml` is written to <dataDir>/../pinholed.toml and passed with --config.
    explicit ServerProcess(QString configToml = {}, QStringList extraArgs = {});
    ~ServerProcess();

    bool start();
    // SIGTERM, then wait for a clean exit; returns the exit code (-1 if it had to be killed).
    int stop();
    void kill();
    bool isRunning() const;

    QString baseUrl() const { return m_baseUrl; }
    QString dataDir() const { return m_dir.path() + "/data"; }
    QString configPath() const { return m_dir.path() + "/pinholed.toml"; }
    // Everything the server wrote to stderr (its log) and stdout so far.
    QString log();
    QString stdoutText();
    qint64 pid() const { return m_process.processId(); }

    // Runs `pinholed admin <args>` on this data directory; returns exit code, output in `out`.
    int admin(const QStringList& args, const QByteArray& input = {}, QString* out = nullptr) const;
    // Creates an account with this password (and e-mail <name>@example.org).
    bool createUser(const QString& name, const QString& password, bool isAdmin = false) const;

    static QString binaryPath();

private:
    QTemporaryDir m_dir;
    QString m_configToml;
    QStringList m_extraArgs;
    QProcess m_process;
    QString m_baseUrl;
    QByteArray m_stdout;
    QByteArray m_stderr;
};

} // namespace pinhole::test
