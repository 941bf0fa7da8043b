#include "images/providers.h"

#include "images/imagedecode.h"
#include "images/remoteimage.h"
#include "images/thumbhash.h"
#include "session.h"

#include <QPointer>
#include <QQmlEngine>
#include <QRunnable>
#include <QStandardPaths>

#include <atomic>

namespace pinhole::app {

namespace {

// One request. The engine owns the response (and may delete it once finished); the job runs on
// the pool and owns only the shared state, so neither outlives what it touches. cancel() is
// honoured before the decode starts and before a result is stored; a cancelled response still
// emits finished() (the engine waits for it to clean up).
struct ResponseState {
    std::atomic_bool cancelled = false;
};

class Response : public QQuickImageResponse {
    Q_OBJECT
public:
    Response() : m_state(std::make_shared<ResponseState>()) {}
    std::shared_ptr<ResponseState> state() const { return m_state; }

    QQuickTextureFactory* textureFactory() const override {
        return QQuickTextureFactory::textureFactoryForImage(m_image);
    }
    QString errorString() const override { return m_error; }
    void cancel() override {
        if (m_state->cancelled.exchange(true) || m_done)
            return;
        m_error = QStringLiteral("cancelled");
        m_done = true;
        emit finished();
    }

public slots:
    // Queued from the pool onto the response's thread.
    void complete(const QImage& image, const QString& error) {
        if (m_done)
            return;
        m_image = image;
        m_error = error;
        m_done = true;
        emit finished();
    }

private:
    std::shared_ptr<ResponseState> m_state;
    QImage m_image;
    QString m_error;
    bool m_done = false;
};

// The pool's half of a request. Its `done` is connected to the response's `complete` (queued
// to the response's thread); if the engine deletes the response first, the connection goes
// with it and the result is dropped.
class Job : public QObject, public QRunnable {
    Q_OBJECT
public:
    Job(std::shared_ptr<ResponseState> state, std::function<DecodedImage(const ResponseState&)> work)
        : m_state(std::move(state)), m_work(std::move(work)) {}
    void run() override {
        if (m_state->cancelled)
            return;
        DecodedImage result = m_work(*m_state);
        if (!m_state->cancelled)
            emit done(result.image, result.error);
    }

signals:
    void done(const QImage& image, const QString& error);

private:
    std::shared_ptr<ResponseState> m_state;
    std::function<DecodedImage(const ResponseState&)> m_work;
};

// Runs `work` on `pool` and hands its result to a new response.
Response* startResponse(QThreadPool* pool, std::function<DecodedImage(const ResponseState&)> work) {
    auto* response = new Response;
    auto* job = new Job(response->state(), std::move(work)); // the pool deletes it after run()
    QObject::connect(job, &Job::done, response, &Response::complete, Qt::QueuedConnection);
    pool->start(job);
    return response;
}

// Ties a session to an engine: a child of the engine, found by type.
class EngineSession : public QObject {
    Q_OBJECT
public:
    EngineSession(Session* session, QObject* engine) : QObject(engine), session(session) {}
    QPointer<Session> session;
};

DecodedImage notFound(const QString& id) {
    return {{}, QStringLiteral("no local or cached file for %1").arg(id)};
}

// The photo's local file, else the media cache's file of `variant` (fetched if need be).
QString fileFor(const ImageServices& services, const QString& id, sync::MediaVariant variant,
                const ResponseState& state) {
    QString path = services.pathOf(id);
    if (path.isEmpty() && services.mediaFileOf)
        path = services.mediaFileOf(id, variant, [&state] { return state.cancelled.load(); });
    return path;
}

} // namespace

int ThumbProvider::sideFor(const QSize& requestedSize) {
    const int wanted = requestedSize.isValid() ? std::max(requestedSize.width(), requestedSize.height()) : 0;
    for (int side : {128, 256})
        if (wanted <= side)
            return wanted > 0 ? side : 256;
    return 512;
}

QQuickImageResponse* ThumbProvider::requestImageResponse(const QString& id, const QSize& requestedSize) {
    const int side = sideFor(requestedSize);
    return startResponse(m_services.pool, [services = m_services, id, side](const ResponseState& state) {
        if (!ThumbnailCache::isSha256(id))
            return DecodedImage{{}, QStringLiteral("not an asset hash: %1").arg(id)};
        if (QImage cached = services.thumbnails->load(id, side); !cached.isNull())
            return DecodedImage{cached, {}};
        // The server's thumbnail is 360 px: enough for 128 and 256, not for 512.
        const auto variant = side <= 256 ? sync::MediaVariant::Thumb : sync::MediaVariant::Preview;
        const QString path = fileFor(services, id, variant, state);
        if (path.isEmpty())
            return notFound(id);
        DecodedImage decoded = decodeUpright(path, side, DecodeBound::Cover);
        // A cancelled request stores nothing: its decode may have been cut short by no one, but
        // the contract is that a cancelled response leaves no trace.
        if (!decoded.image.isNull() && !state.cancelled)
            services.thumbnails->store(id, side, decoded.image);
        return decoded;
    });
}

QQuickImageResponse* PreviewProvider::requestImageResponse(const QString& id, const QSize& requestedSize) {
    int side = m_maxSide;
    if (requestedSize.isValid() && requestedSize.width() > 0 && requestedSize.height() > 0) {
        const int wanted = std::max(requestedSize.width(), requestedSize.height());
        side = side > 0 ? std::min(side, wanted) : wanted;
    }
    // The preview (at most 2048 px) from the server's large image (2048 px), the original from
    // the original.
    const auto variant = m_maxSide > 0 ? sync::MediaVariant::Large : sync::MediaVariant::Original;
    return startResponse(m_services.pool, [services = m_services, id, side, variant](const ResponseState& state) {
        if (!ThumbnailCache::isSha256(id))
            return DecodedImage{{}, QStringLiteral("not an asset hash: %1").arg(id)};
        const QString path = fileFor(services, id, variant, state);
        if (path.isEmpty())
            return notFound(id);
        return decodeUpright(path, side, DecodeBound::Fit);
    });
}

QQuickImageResponse* PlaceholderProvider::requestImageResponse(const QString& id, const QSize&) {
    return startResponse(m_pool, [id](const ResponseState&) {
        QImage image = decodeThumbHash(thumbHashFromText(id));
        if (image.isNull())
            return DecodedImage{{}, QStringLiteral("not a ThumbHash: %1").arg(id)};
        return DecodedImage{image, {}};
    });
}

QQuickImageResponse* RemoteProvider::requestImageResponse(const QString& id, const QSize& requestedSize) {
    const int side = requestedSize.isValid() ? std::max(requestedSize.width(), requestedSize.height()) : 0;
    return startResponse(m_pool, [serverOf = m_serverOf, id, side](const ResponseState& state) {
        return fetchRemoteImage(id, serverOf(), side, state.cancelled);
    });
}

void registerImageProviders(QQmlEngine& engine, Session& session, const QString& thumbCacheDir) {
    const QString root = thumbCacheDir.isEmpty() ? QStandardPaths::writableLocation(QStandardPaths::CacheLocation) +
                                                       QStringLiteral("/thumbs")
                                                 : thumbCacheDir;
    // The pool belongs to the engine: it is destroyed (waiting for running jobs) with it.
    auto* pool = new QThreadPool(&engine);
    pool->setMaxThreadCount(std::max(2, QThread::idealThreadCount() - 1));
    ImageServices services{
        [&session](const QString& sha) { return session.localPathOf(sha); }, std::make_shared<ThumbnailCache>(root),
        pool,
        [&session](const QString& sha, sync::MediaVariant variant, const std::function<bool()>& cancelled) {
            return session.mediaFileOf(sha, variant, cancelled);
        }};
    engine.addImageProvider(QStringLiteral("thumb"), new ThumbProvider(services));
    engine.addImageProvider(QStringLiteral("preview"), new PreviewProvider(services, PreviewProvider::kMaxSide));
    engine.addImageProvider(QStringLiteral("original"), new PreviewProvider(services, 0));
    engine.addImageProvider(QStringLiteral("placeholder"), new PlaceholderProvider(pool));
    // Server pictures on a pool of their own, as they mostly wait on the network:
    // an unreachable server must not hold up the library's thumbnails behind it.
    auto* remotePool = new QThreadPool(&engine);
    remotePool->setMaxThreadCount(4);
    engine.addImageProvider(QStringLiteral("remote"),
                            new RemoteProvider([&session] { return session.server(); }, remotePool));
    new EngineSession(&session, &engine);
}

Session* sessionFor(const QQmlEngine* engine) {
    if (!engine)
        return nullptr;
    const auto* link = engine->findChild<EngineSession*>(QString(), Qt::FindDirectChildrenOnly);
    return link ? link->session.data() : nullptr;
}

} // namespace pinhole::app

#include "providers.moc"
