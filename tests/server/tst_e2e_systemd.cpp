// pinholed as a systemd Type=notify service (packaging/systemd/pinholed.service): the test owns
// $NOTIFY_SOCKET, the Unix datagram socket a service manager listens on, and reads what the real
// server tells it: READY=1 once /readyz answers, RELOADING=1 then READY=1 around a SIGHUP that
// applies the configuration's log level, and STOPPING=1 when SIGTERM starts the shutdown.
#include "httpclient.h"
#include "serverprocess.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <csignal>
#include <cstring>

using pinhole::test::HttpClient;
using pinhole::test::ServerProcess;

namespace {

// Starts at "warn": the access log ("request" lines, at info) is silent until a reload says "info".
const QString kWarnConfig = QStringLiteral("[log]\nlevel = \"warn\"\n");
const QString kInfoConfig = QStringLiteral("[log]\nlevel = \"info\"\n");

// A bound AF_UNIX datagram socket: what systemd passes in $NOTIFY_SOCKET.
class NotifySocket {
public:
    explicit NotifySocket(const QString& path) : m_path(path) {
        m_fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        const QByteArray p = path.toLocal8Bit();
        std::strncpy(addr.sun_path, p.constData(), sizeof(addr.sun_path) - 1);
        m_bound = m_fd >= 0 && ::bind(m_fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
    }
    ~NotifySocket() {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    bool isBound() const { return m_bound; }
    QString path() const { return m_path; }

    // The next datagram, or empty if none arrives within `timeoutMs`.
    QByteArray next(int timeoutMs) {
        pollfd p{m_fd, POLLIN, 0};
        if (::poll(&p, 1, timeoutMs) != 1)
            return {};
        char buffer[4096];
        const ssize_t n = ::recv(m_fd, buffer, sizeof(buffer), 0);
        return n > 0 ? QByteArray(buffer, static_cast<int>(n)) : QByteArray();
    }

    // Reads datagrams until one has `line` as one of its lines; returns that datagram (empty on
    // timeout). Every datagram read on the way is appended to `seen`.
    QByteArray waitFor(const QByteArray& line, QByteArrayList& seen, int timeoutMs = 60000) {
        for (QByteArray d = next(timeoutMs); !d.isEmpty(); d = next(timeoutMs)) {
            seen << d;
            if (d.split('\n').contains(line))
                return d;
        }
        return {};
    }

private:
    QString m_path;
    int m_fd = -1;
    bool m_bound = false;
};

bool writeFile(const QString& path, const QString& text) {
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(text.toUtf8()) == text.toUtf8().size();
}

} // namespace

class TestSystemd : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    NotifySocket m_notify{m_dir.path() + "/notify.sock"};
    ServerProcess m_server{kWarnConfig};

private slots:
    void initTestCase() {
        QVERIFY(m_notify.isBound());
        // The child inherits the environment at start(); nothing else in this process uses it.
        qputenv("NOTIFY_SOCKET", m_notify.path().toLocal8Bit());
        QVERIFY(m_server.start());
        qunsetenv("NOTIFY_SOCKET");
    }

    void readyIsSentOnceReadyzAnswers() {
        QByteArrayList seen;
        const QByteArray ready = m_notify.waitFor("READY=1", seen);
        QVERIFY2(!ready.isEmpty(), seen.join(" | ").constData());
        // Nothing else was announced before it, and by now the server answers as ready.
        QCOMPARE(seen.size(), 1);
        QVERIFY(ready.split('\n').contains("STATUS=Serving on " + m_server.baseUrl().toUtf8()));
        const auto readyz = HttpClient(m_server.baseUrl()).get("/readyz");
        QCOMPARE(readyz.status, 200);
        QCOMPARE(readyz.json()["status"].toString(), QString("ready"));
    }

    void sighupAppliesTheLogLevel() {
        HttpClient http(m_server.baseUrl());
        QCOMPARE(http.get("/readyz").status, 200); // at warn: not in the access log
        QVERIFY(writeFile(m_server.configPath(), kInfoConfig));
        ::kill(static_cast<pid_t>(m_server.pid()), SIGHUP);

        QByteArrayList seen;
        QVERIFY(!m_notify.waitFor("RELOADING=1", seen).isEmpty());
        QVERIFY(!m_notify.waitFor("READY=1", seen).isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(m_server.log().contains("\"event\":\"config_reloaded\""), 30000);
        QVERIFY(m_server.log().contains("\"log_level\":\"info\""));

        QCOMPARE(http.get("/healthz").status, 200); // at info: logged
        QTRY_VERIFY_WITH_TIMEOUT(m_server.log().contains("\"route\":\"/healthz\""), 30000);
        QVERIFY(!m_server.log().contains("\"route\":\"/readyz\""));
    }

    void sighupWithABadConfigurationKeepsTheRunningOne() {
        QVERIFY(writeFile(m_server.configPath(), QStringLiteral("[log]\nlevel = \"loud\"\n")));
        ::kill(static_cast<pid_t>(m_server.pid()), SIGHUP);
        QTRY_VERIFY_WITH_TIMEOUT(m_server.log().contains("\"event\":\"config_reload_failed\""), 30000);
        QVERIFY(m_server.log().contains("log level must be debug, info, warn or error"));

        // Still serving, still at info.
        HttpClient http(m_server.baseUrl());
        QCOMPARE(http.get("/api/v1/instance").status, 200);
        QTRY_VERIFY_WITH_TIMEOUT(m_server.log().contains("\"route\":\"/api/v1/instance\""), 30000);
    }

    void sigtermSendsStoppingThenExitsCleanly() {
        QCOMPARE(m_server.stop(), 0);
        QByteArrayList seen;
        // The server has exited: every datagram it sent is already queued on the socket.
        QVERIFY2(!m_notify.waitFor("STOPPING=1", seen, 0).isEmpty(), seen.join(" | ").constData());
    }
};

QTEST_GUILESS_MAIN(TestSystemd)
#include "tst_e2e_systemd.moc"
