// The local media cache: the server's files of photos that are not on this computer (imported on
// another device), under <profile>/media/<variant>/<aa>/<sha256>, with a byte budget for previews
// and originals, and albums pinned for offline use.
//
// - Files are fetched with the one HTTP client (net/http.h, so the pinned TLS key holds), streamed
//   to <profile>/media/tmp/, checked (an original must hash to its SHA-256), fsynced and renamed
//   into place; only then is its row (size, last access) written. A fetch stopped part way, or a
//   process killed during one, never leaves a file at a cache path; open() sweeps tmp/ (so a
//   second process opening the same profile at that moment fails a fetch under way, which is
//   asked again later). `cancelled` is checked as bytes arrive; a stalled server is cut off by
//   the client's stall timeout.
// - Thumbnails are fetched lazily, when a view first asks for one, and then kept for good (they are
//   small: ~30 KB each): neither counted in the budget nor evicted. Not all at sync time, because a
//   first sync of a 50 000-photo library would download ~1.5 GB before anything else, and a sync
//   round stays the protocol's few requests.
// - Previews, large images and originals are kept under the budget (meta `media_budget_bytes`,
//   kDefaultBudget): after each fetch, the least recently used are evicted until the rest fits.
// - A pinned album (a local setting of this computer, never synced) has its photos' originals and
//   thumbnails fetched by fetchPinned() (the engine calls it at the end of every sync round, so a
//   photo added to a pinned album later arrives with the next round); every cached file of a
//   pinned album's photo is exempt from eviction. Photos whose file is on this computer are not
//   fetched: they are offline already.
//
// Threading: thread-safe. One mutex guards the store connection (short statements only); network
// and file work run outside it, on the caller's thread, so fetch() blocks that thread (never call
// it on a GUI thread). Two fetches of one file at once both succeed, the last rename winning with
// the same bytes.
#pragma once

#include "core/log.h"
#include "core/status.h"
#include "net/http.h"
#include "store/localstore.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace pinhole::sync {

// The server's files of a photo (docs/api.md, "Media bytes").
enum class MediaVariant {
    Thumb,    // 360 px square, smart-cropped JPEG
    Preview,  // 1080 px wide JPEG
    Large,    // 2048 px on the long edge JPEG
    Original, // the bytes uploaded (owner only)
};
const char* variantName(MediaVariant variant);

struct CacheUsage {
    std::int64_t thumbBytes = 0;     // thumbnails: kept, outside the budget
    std::int64_t pinnedBytes = 0;    // other files of pinned albums' photos: outside the budget
    std::int64_t evictableBytes = 0; // the rest: kept under the budget
    std::int64_t budgetBytes = 0;
    int files = 0;
};

// A pinned album's state: how many of its photos can be shown offline at full size.
struct PinState {
    bool pinned = false;
    int photos = 0;    // members shown
    int available = 0; // with a local file or a cached original
};

class MediaCache {
public:
    static constexpr std::int64_t kDefaultBudget = std::int64_t(2) << 30; // 2 GiB
    // After a fetch found the server unreachable, fetches fail at once for this long, so an
    // offline grid does not wait a connect timeout per thumbnail.
    static constexpr std::uint64_t kOfflineBackoffMs = 15'000;

    using Cancelled = std::function<bool()>;

    // Opens its own connection to the store at `storePath`; files go under <its folder>/media.
    static Result<std::unique_ptr<MediaCache>> open(const std::string& storePath, LogSink log = {});

    // The cached file of `sha256`'s `variant`, if it is here (its last access is refreshed); no
    // network.
    std::optional<std::string> cached(const std::string& sha256, MediaVariant variant);
    // The cached file, fetched from the server first if needed (blocking). NotFound when the
    // photo is not on the server (not uploaded yet, or unknown); Unavailable when the server is
    // unreachable or `cancelled()` answered true during the transfer (no file is left then).
    Result<std::string> fetch(const std::string& sha256, MediaVariant variant, const Cancelled& cancelled = {});

    Status pinAlbum(const std::string& albumId);
    Status unpinAlbum(const std::string& albumId);
    Result<PinState> pinState(const std::string& albumId);
    // Fetches what pinned albums lack (originals and thumbnails of photos with no local file);
    // answers how many files it fetched. Stops at the first failure other than NotFound.
    Result<int> fetchPinned();

    std::int64_t budget();
    // Sets the budget (bytes, at least 0) and evicts down to it.
    Status setBudget(std::int64_t bytes);
    Result<CacheUsage> usage();
    // Removes every cached file except those of pinned albums' photos.
    Status clear();

    // The path a variant's file has in the cache (whether or not it is there).
    std::string pathFor(const std::string& sha256, MediaVariant variant) const;
    const std::string& root() const { return m_root; }

private:
    MediaCache(std::unique_ptr<store::LocalStore> store, std::string root, LogSink log);
    // REQUIRES: m_mutex held.
    Status evictLocked();
    Status removeLocked(const std::string& sha256, const std::string& variant);
    std::unique_ptr<net::HttpClient> takeClient(std::string& baseUrl, Status& status);
    void returnClient(std::unique_ptr<net::HttpClient> client);

    std::mutex m_mutex; // guards m_store and m_idleClients
    std::unique_ptr<store::LocalStore> m_store;
    std::vector<std::unique_ptr<net::HttpClient>> m_idleClients; // kept for their connections
    std::string m_root;
    LogSink m_log;
    std::atomic<std::uint64_t> m_offlineUntil = 0; // Unix ms
};

} // namespace pinhole::sync
