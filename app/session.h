// The one bridge between Qt and pinhole_sync. A Session owns the sync::Engine on its own worker
// QThread, the "library thread", which is the engine's owner thread (engine/engine.h): every
// engine and library call runs there, in the order it was asked for, so the GUI thread never
// touches disk or network. Results come back to the GUI thread as queued calls.
//
// Threading rules:
// - A Session lives on the GUI thread; call(), run(), open() and the signals are GUI-thread API.
// - The engine exists only on the library thread (m_engine); tasks get it by reference and must
//   not keep it. Sync rounds run on the engine's own watcher thread (startWatching); its change
//   and upload callbacks are queued onto the GUI thread as the signals below.
// - localPathOf(), mediaFileOf() and server() are thread-safe (the image providers call them
//   from their pool threads); mediaFileOf() may block on the network, so never call it on the
//   GUI thread.
#pragma once

#include "engine/engine.h"

#include <QHash>
#include <QMutex>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QThread>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace pinhole::app {

// The library's assets as the worker read them: one immutable snapshot, shared by the models.
using AssetSnapshot = std::shared_ptr<const std::vector<sync::LocalAsset>>;

// The signed-in account's server as the store has it: what a thread other than the library
// thread needs to fetch from it (image://remote) with the account's token and pinned key.
struct ServerAccess {
    std::string baseUrl;   // "https://host:port", no trailing slash
    std::string token;     // the bearer
    std::string pinnedKey; // "sha256//..." for a self-signed server the user trusted, else ""
    bool operator==(const ServerAccess&) const = default;
};

class Session : public QObject {
    Q_OBJECT

public:
    explicit Session(QObject* parent = nullptr);
    // Stops the watcher and closes the engine on the library thread, then joins it.
    ~Session() override;
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    // Opens (creating) the local store at `storePath` on the library thread; then `opened`.
    // Tasks asked for before it finishes run after it; if it failed they are dropped.
    void open(const QString& storePath);

    // Runs `task` on the library thread; then `done(result)` on `context`'s thread (the GUI
    // thread), unless `context` was destroyed meanwhile. Usage: call<int>(task, this, done).
    template <typename T>
    void call(std::function<T(sync::Engine&)> task, QObject* context, std::function<void(T)> done) {
        QPointer<QObject> guard(context);
        post([this, task = std::move(task), guard, done = std::move(done)](sync::Engine& engine) {
            auto result = std::make_shared<T>(task(engine));
            deliver([guard, done, result] {
                if (guard)
                    done(std::move(*result));
            });
        });
    }
    // The same for a task with no result.
    void call(std::function<void(sync::Engine&)> task, QObject* context, std::function<void()> done);
    // Fire and forget (edits): runs `task` on the library thread, then emits libraryChanged and
    // nudges the watcher so the edit is pushed soon.
    void run(std::function<void(sync::Engine&)> task);
    // The same for an edit that can fail: a failure is announced as editFailed(message).
    void edit(std::function<sync::Status(sync::Engine&)> task);

    // Reads every asset on the library thread (as Library::assets() orders them) and hands the
    // snapshot to `done` on `context`'s thread. Also refreshes localPathOf's cache.
    void loadAssets(QObject* context, std::function<void(AssetSnapshot)> done);

    // On the library thread: every asset (Library::assets()), refreshing localPathOf's cache on
    // the way (the image providers find files through it). The one way tasks read the library.
    sync::Result<std::vector<sync::LocalAsset>> readLibrary(sync::Engine& engine);

    // For a change made through call() that the views must re-read (an import batch).
    void announceLibraryChanged() { emit libraryChanged(); }

    // Starts sync rounds on the sync thread: every `intervalMs`, at once after syncNow(), and
    // after a failed round again in 2 s, doubling up to the interval. Rounds never overlap.
    // A round while not signed in fails with Unauthenticated (see syncFinished).
    void startSync(int intervalMs = 30'000);
    void stopSync();
    // Asks for a round now (after an edit, or the user's "sync now"); coalesced.
    void syncNow();

    // The local file of an asset, for image loading off the GUI thread: from a cache the library
    // thread fills whenever it reads the assets; empty if none is on this computer.
    QString localPathOf(const QString& sha256) const;

    // The file of a photo's server variant from the engine's media cache (sync/media), fetched
    // first if need be: BLOCKS on the network, for the image providers' pool threads only.
    // Empty when the photo is not on the server, the server is unreachable, `cancelled()`
    // became true, or the store is not open yet.
    QString mediaFileOf(const QString& sha256, sync::MediaVariant variant,
                        const std::function<bool()>& cancelled = {}) const;
    // The signed-in server, nullopt when signed out. Thread-safe: a copy the library thread
    // refreshes after every task, so a sign-in, sign-out or new address applies at once.
    std::optional<ServerAccess> server() const;

    // The library thread, for tests that check where a task ran.
    QThread* libraryThread() const { return m_thread; }

signals:
    void opened(bool ok, const QString& error);
    void editFailed(const QString& message);
    // A local edit or a sync round changed what the library shows.
    void libraryChanged();
    // A sync round changed the outbox or uploads (the status bar re-reads Engine::status()).
    void statusChanged();
    // An acknowledged upload chunk of the asset `sha256`.
    void uploadProgress(const QString& sha256, qint64 offset, qint64 size);
    // A sync round ended: ok, or why not (`unreachable`: the server could not be reached, so the
    // app is offline; everything stays queued).
    void syncFinished(bool ok, bool unreachable, const QString& error);

private:
    void post(std::function<void(sync::Engine&)> task);
    void deliver(std::function<void()> fn);
    void rememberPaths(const std::vector<sync::LocalAsset>& assets); // library thread
    void rememberServer(sync::Engine& engine);                       // library thread

    void scheduleRound(int delayMs); // sync thread
    void round();                    // sync thread

    QThread* m_thread = nullptr;
    QObject* m_worker = nullptr;            // lives on m_thread; tasks are queued to it
    std::unique_ptr<sync::Engine> m_engine; // library thread only (created and destroyed there)

    // Sync rounds run on their own thread (Engine::syncOnce on its own store connection), so a
    // long upload never delays an edit on the library thread.
    QThread* m_syncThread = nullptr;
    QObject* m_syncWorker = nullptr;      // lives on m_syncThread
    QTimer* m_syncTimer = nullptr;        // sync thread only
    sync::Engine* m_syncEngine = nullptr; // sync thread only; the engine outlives the sync thread
    int m_syncInterval = 30'000;          // sync thread only
    int m_backoff = 0;                    // sync thread only: the next delay after a failure

    mutable QMutex m_pathsMutex;               // guards m_paths and m_media
    QHash<QString, QString> m_paths;           // sha256 -> a local file
    std::shared_ptr<sync::MediaCache> m_media; // the engine's, once it is open

    mutable QMutex m_serverMutex; // guards m_server
    std::optional<ServerAccess> m_server;
};

} // namespace pinhole::app
