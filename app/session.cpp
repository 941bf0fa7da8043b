#include "session.h"

#include <QLoggingCategory>

namespace pinhole::app {

namespace {
Q_LOGGING_CATEGORY(lcSync, "pinhole.sync")

void logToQt(sync::LogLevel level, std::string_view event, std::string_view detail) {
    const auto line = QString::fromUtf8(event.data(), qsizetype(event.size())) + QLatin1Char(' ') +
                      QString::fromUtf8(detail.data(), qsizetype(detail.size()));
    switch (level) {
    case sync::LogLevel::Debug: qCDebug(lcSync).noquote() << line; break;
    case sync::LogLevel::Info: qCInfo(lcSync).noquote() << line; break;
    case sync::LogLevel::Warning: qCWarning(lcSync).noquote() << line; break;
    case sync::LogLevel::Error: qCCritical(lcSync).noquote() << line; break;
    }
}
} // namespace

Session::Session(QObject* parent)
    : QObject(parent), m_thread(new QThread), m_worker(new QObject), m_syncThread(new QThread),
      m_syncWorker(new QObject) {
    m_thread->setObjectName(QStringLiteral("pinhole-library"));
    m_worker->moveToThread(m_thread);
    m_thread->start();
    m_syncThread->setObjectName(QStringLiteral("pinhole-sync"));
    m_syncWorker->moveToThread(m_syncThread);
    m_syncThread->start();
}

Session::~Session() {
    // First the sync thread (a round under way finishes), then the engine on its owner thread.
    QMetaObject::invokeMethod(
        m_syncWorker,
        [this] {
            delete m_syncTimer;
            m_syncTimer = nullptr;
            m_syncEngine = nullptr;
        },
        Qt::BlockingQueuedConnection);
    m_syncThread->quit();
    m_syncThread->wait();
    QMetaObject::invokeMethod(
        m_worker, [this] { m_engine.reset(); }, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
    delete m_syncWorker;
    delete m_syncThread;
    delete m_worker;
    delete m_thread;
}

void Session::open(const QString& storePath) {
    const std::string path = storePath.toStdString();
    QMetaObject::invokeMethod(
        m_worker,
        [this, path] {
            auto engine = sync::Engine::open(path, logToQt);
            if (!engine) {
                const QString error = QString::fromStdString(engine.status().message());
                deliver([this, error] { emit opened(false, error); });
                return;
            }
            m_engine = std::move(*engine);
            {
                QMutexLocker lock(&m_pathsMutex);
                m_media = m_engine->media();
            }
            rememberServer(*m_engine);
            // Both callbacks come on the sync thread: queue them to the GUI thread.
            m_engine->onChange([this](sync::Change change) {
                deliver([this, change] {
                    if (change != sync::Change::Outbox)
                        emit libraryChanged();
                    emit statusChanged();
                });
            });
            m_engine->onUploadProgress([this](const sync::UploadProgress& p) {
                const QString sha = QString::fromStdString(p.sha256);
                const qint64 offset = p.offset, size = p.size;
                deliver([this, sha, offset, size] { emit uploadProgress(sha, offset, size); });
            });
            deliver([this] { emit opened(true, {}); });
        },
        Qt::QueuedConnection);
}

void Session::post(std::function<void(sync::Engine&)> task) {
    QMetaObject::invokeMethod(
        m_worker,
        [this, task = std::move(task)] {
            if (!m_engine)
                return;
            task(*m_engine);
            // Three reads of `meta`: cheaper than making every task that signs in or out, or
            // moves the account, remember to say so.
            rememberServer(*m_engine);
        },
        Qt::QueuedConnection);
}

void Session::deliver(std::function<void()> fn) {
    // `this` lives on the GUI thread and outlives the library thread (see ~Session).
    QMetaObject::invokeMethod(this, std::move(fn), Qt::QueuedConnection);
}

void Session::call(std::function<void(sync::Engine&)> task, QObject* context, std::function<void()> done) {
    QPointer<QObject> guard(context);
    post([this, task = std::move(task), guard, done = std::move(done)](sync::Engine& engine) {
        task(engine);
        deliver([guard, done] {
            if (guard)
                done();
        });
    });
}

void Session::run(std::function<void(sync::Engine&)> task) {
    post([this, task = std::move(task)](sync::Engine& engine) {
        task(engine);
        syncNow();
        deliver([this] {
            emit libraryChanged();
            emit statusChanged();
        });
    });
}

void Session::edit(std::function<sync::Status(sync::Engine&)> task) {
    run([this, task = std::move(task)](sync::Engine& engine) {
        const sync::Status status = task(engine);
        if (!status) {
            const QString message = QString::fromStdString(status.message());
            deliver([this, message] { emit editFailed(message); });
        }
    });
}

void Session::loadAssets(QObject* context, std::function<void(AssetSnapshot)> done) {
    call<AssetSnapshot>(
        [this](sync::Engine& engine) -> AssetSnapshot {
            auto assets = readLibrary(engine);
            if (!assets) {
                qCWarning(lcSync).noquote()
                    << "reading the library:" << QString::fromStdString(assets.status().message());
                return std::make_shared<const std::vector<sync::LocalAsset>>();
            }
            return std::make_shared<const std::vector<sync::LocalAsset>>(std::move(*assets));
        },
        context, std::move(done));
}

void Session::startSync(int intervalMs) {
    // The engine pointer is handed over from the library thread; it stays valid until ~Session,
    // which stops the sync thread before destroying the engine.
    post([this, intervalMs](sync::Engine& engine) {
        QMetaObject::invokeMethod(
            m_syncWorker,
            [this, intervalMs, engine = &engine] {
                m_syncEngine = engine;
                m_syncInterval = intervalMs;
                m_backoff = 0;
                if (!m_syncTimer) {
                    m_syncTimer = new QTimer;
                    m_syncTimer->setSingleShot(true);
                    QObject::connect(m_syncTimer, &QTimer::timeout, m_syncWorker, [this] { round(); });
                }
                scheduleRound(0);
            },
            Qt::QueuedConnection);
    });
}

void Session::stopSync() {
    QMetaObject::invokeMethod(
        m_syncWorker,
        [this] {
            if (m_syncTimer)
                m_syncTimer->stop();
            m_syncEngine = nullptr;
        },
        Qt::QueuedConnection);
}

void Session::syncNow() {
    QMetaObject::invokeMethod(
        m_syncWorker,
        [this] {
            if (m_syncEngine)
                scheduleRound(0);
        },
        Qt::QueuedConnection);
}

void Session::scheduleRound(int delayMs) {
    if (m_syncTimer)
        m_syncTimer->start(delayMs);
}

void Session::round() {
    if (!m_syncEngine)
        return;
    auto report = m_syncEngine->syncOnce();
    const bool ok = report.isOk();
    const bool unreachable = !ok && report.status().code() == sync::Code::Unavailable;
    const QString error = ok ? QString() : QString::fromStdString(report.status().message());
    if (ok) {
        m_backoff = 0;
        scheduleRound(m_syncInterval);
    } else {
        m_backoff = m_backoff == 0 ? 2'000 : std::min(m_backoff * 2, m_syncInterval);
        scheduleRound(m_backoff);
    }
    deliver([this, ok, unreachable, error] {
        emit syncFinished(ok, unreachable, error);
        emit statusChanged();
    });
}

sync::Result<std::vector<sync::LocalAsset>> Session::readLibrary(sync::Engine& engine) {
    auto assets = engine.library().assets();
    if (assets)
        rememberPaths(*assets);
    return assets;
}

void Session::rememberPaths(const std::vector<sync::LocalAsset>& assets) {
    QHash<QString, QString> paths;
    paths.reserve(qsizetype(assets.size()));
    for (const auto& a : assets)
        if (!a.files.empty())
            paths.insert(QString::fromStdString(a.sha256), QString::fromStdString(a.files.front()));
    QMutexLocker lock(&m_pathsMutex);
    m_paths.swap(paths);
}

void Session::rememberServer(sync::Engine& engine) {
    auto& store = engine.store();
    std::optional<ServerAccess> server;
    const auto url = store.meta("server_url");
    const auto token = store.meta("access_token");
    if (url && token)
        server = ServerAccess{*url, *token, store.meta("pinned_key").value_or("")};
    QMutexLocker lock(&m_serverMutex);
    m_server = std::move(server);
}

std::optional<ServerAccess> Session::server() const {
    QMutexLocker lock(&m_serverMutex);
    return m_server;
}

QString Session::localPathOf(const QString& sha256) const {
    QMutexLocker lock(&m_pathsMutex);
    return m_paths.value(sha256);
}

QString Session::mediaFileOf(const QString& sha256, sync::MediaVariant variant,
                             const std::function<bool()>& cancelled) const {
    std::shared_ptr<sync::MediaCache> media;
    {
        QMutexLocker lock(&m_pathsMutex);
        media = m_media;
    }
    if (!media)
        return {};
    auto path = media->fetch(sha256.toStdString(), variant, cancelled);
    if (!path) {
        if (path.status().code() != sync::Code::NotFound)
            qCDebug(lcSync).noquote() << "media" << sha256 << QString::fromStdString(path.status().message());
        return {};
    }
    return QString::fromStdString(*path);
}

} // namespace pinhole::app
