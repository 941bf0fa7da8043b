// The app's image:// providers, all asynchronous (QQuickAsyncImageProvider): decoding runs on
// QThreadPools, never the GUI thread.
//   image://thumb/<sha256>        grid thumbnail, upright, shorter side 128/256/512 (the
//                                 smallest that covers the requested size), cached on disk
//   image://preview/<sha256>      upright, at most 2048 px on the longer side (or the request)
//   image://original/<sha256>     upright, full size (the viewer at 100% zoom)
//   image://placeholder/<hash>    a ThumbHash (base64url) decoded: instant, blurred
//   image://remote/<encoded URL>  a picture on the signed-in server, fetched with the account's
//                                 token and pinned key (images/remoteimage.h), fit to the request
// A photo with no file on this computer (imported on another device) is shown from the media
// cache (sync/media/mediacache.h), fetched from the server on the pool thread if need be: the
// thumb from the server's thumbnail (its preview for the 512 side), the preview from its large
// image, the original from the original.
// Threading: providers are created on the GUI thread and called by the QML engine from any
// thread; a response's work runs on the pool (remote's on a second one: it waits on the
// network); everything shared is immutable or thread-safe (the lookups must be, as
// Session::localPathOf, Session::mediaFileOf and Session::server are).
#pragma once

#include "images/thumbnailcache.h"
#include "media/mediacache.h"
#include "session.h"

#include <QQuickAsyncImageProvider>
#include <QThreadPool>

#include <functional>
#include <memory>
#include <optional>

class QQmlEngine;

namespace pinhole::app {

// sha256 -> the asset's local file ("" if none on this computer). Called on pool threads.
using PathLookup = std::function<QString(const QString& sha256)>;

// sha256 -> the file of the server's `variant` in the media cache, fetched first if need be
// (blocking; "" if it cannot be had). Called on pool threads; stops early once `cancelled()`.
using MediaLookup =
    std::function<QString(const QString& sha256, sync::MediaVariant variant, const std::function<bool()>& cancelled)>;

// What each provider needs; shared by them all.
struct ImageServices {
    PathLookup pathOf;
    std::shared_ptr<ThumbnailCache> thumbnails;
    QThreadPool* pool = nullptr; // not owned; outlives the providers' responses
    MediaLookup mediaFileOf;     // may be empty: local files only
};

class ThumbProvider : public QQuickAsyncImageProvider {
public:
    explicit ThumbProvider(ImageServices services) : m_services(std::move(services)) {}
    QQuickImageResponse* requestImageResponse(const QString& id, const QSize& requestedSize) override;
    // The cached side for a requested size: the smallest of 128, 256, 512 covering it.
    static int sideFor(const QSize& requestedSize);

private:
    ImageServices m_services;
};

class PreviewProvider : public QQuickAsyncImageProvider {
public:
    static constexpr int kMaxSide = 2048;
    // `maxSide` 0: the original size (the `original` provider).
    PreviewProvider(ImageServices services, int maxSide) : m_services(std::move(services)), m_maxSide(maxSide) {}
    QQuickImageResponse* requestImageResponse(const QString& id, const QSize& requestedSize) override;

private:
    ImageServices m_services;
    int m_maxSide;
};

class PlaceholderProvider : public QQuickAsyncImageProvider {
public:
    explicit PlaceholderProvider(QThreadPool* pool) : m_pool(pool) {}
    QQuickImageResponse* requestImageResponse(const QString& id, const QSize& requestedSize) override;

private:
    QThreadPool* m_pool;
};

// image://remote (images/remoteimage.h); `serverOf` is called on pool threads.
class RemoteProvider : public QQuickAsyncImageProvider {
public:
    using ServerLookup = std::function<std::optional<ServerAccess>()>;
    RemoteProvider(ServerLookup serverOf, QThreadPool* pool) : m_serverOf(std::move(serverOf)), m_pool(pool) {}
    QQuickImageResponse* requestImageResponse(const QString& id, const QSize& requestedSize) override;

private:
    ServerLookup m_serverOf;
    QThreadPool* m_pool;
};

// Registers thumb, preview, original, placeholder and remote on `engine`, finding files through
// `session.localPathOf`, else `session.mediaFileOf`, the server through `session.server`, and
// caching thumbnails under `thumbCacheDir` (the profile's thumbs/ folder; default: the user's
// cache folder). `session` must outlive the engine; it also becomes the engine's session for
// pages that are not given one (sessionFor below).
void registerImageProviders(QQmlEngine& engine, Session& session, const QString& thumbCacheDir = {});

// The session registerImageProviders() was given for `engine`; nullptr if none. The viewer
// page, pushed with only a model and an index, finds its session here.
Session* sessionFor(const QQmlEngine* engine);

} // namespace pinhole::app
