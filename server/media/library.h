// The media library: takes a complete upload, verifies and deduplicates it, stores the original
// content-addressed, and runs the processing jobs (metadata, derivatives) that make it ready.
//
// Files (under the data directory; every write is temp + fsync + rename + directory fsync):
//   media/originals/ab/cd/<sha256>             the original bytes, shared by owners of equal bytes
//   media/derived/ab/cd/<sha256>/thumb.jpg ... the derivatives (media/derivatives.h)
//   uploads/<id>.part                          tus uploads in progress (media/uploads.h)
//   media/avatars/ab/cd/<sha256>.jpg           account avatars (media/derivatives.h makeAvatar),
//                                              named by the SHA-256 of the avatar's own bytes
// An asset row (store/assetstore.h) is per owner; originals and derivatives are per content.
//
// Threading: every function is thread-safe. ingest() runs on handler threads, the job bodies on
// job workers; waitProcessed() blocks its caller (a handler thread) until a job finishes.
#pragma once

#include "core/ids.h"
#include "core/status.h"
#include "media/derivatives.h"
#include "store/assetstore.h"
#include "store/store.h"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace pinhole::server::media {

// Job queue names of the processing jobs, each keyed by the asset id (exclusivity).
inline constexpr const char* kExtractMetadataQueue = "extract-metadata";
inline constexpr const char* kDeriveQueue = "derive";

// Enqueues a job for `assetId` on `queue` inside the caller's transaction on `db`, so an asset is
// never stored without its jobs (the daemon binds this to the job queue).
using EnqueueAssetJob = std::function<Status(store::Database& db, const std::string& queue, Id assetId)>;

struct IngestResult {
    store::Asset asset;
    bool created = false; // false: the owner had these bytes already (deduplicated)
};

// Where the files of the content `sha256` live under a data directory (the layout above).
std::string originalPathIn(const std::string& dataDir, std::string_view sha256);
std::string derivedDirIn(const std::string& dataDir, std::string_view sha256);
std::string avatarPathIn(const std::string& dataDir, std::string_view sha256);

class MediaLibrary {
public:
    MediaLibrary(store::Store& store, std::string dataDir, EnqueueAssetJob enqueue);

    // Creates the directories. Call once before anything else.
    Status init();

    // Takes ownership of the complete file at `path` (it is moved or deleted whatever happens):
    // checks the declared SHA-256 if any (InvalidArgument "checksum mismatch" otherwise), returns
    // the owner's existing asset for the same bytes, refuses what is not an acceptable image
    // before anything is decoded (media/imageprobe.h), else stores the original and enqueues the
    // processing jobs in the same transaction as the asset.
    // `knownSha256`: the file's hash, computed by the caller from the very bytes it wrote (the
    // file is then not read back to hash it again). `also` runs in the new asset's transaction
    // with its id (not when the owner had the bytes already).
    Result<IngestResult> ingest(Id ownerId, const std::string& path, const std::optional<std::string>& declaredSha256,
                                const std::optional<std::string>& knownSha256 = std::nullopt,
                                const store::AlsoInTransaction& also = {});

    // The asset if `viewer` owns it; NotFound otherwise (others' libraries do not leak).
    Result<store::Asset> ownedAsset(Id viewer, Id assetId);
    Result<std::vector<std::string>> existingSha256s(Id ownerId, const std::vector<std::string>& sha256s);
    // Sets the alt text and focus, with an asset.updated event; `also` joins the transaction.
    Result<store::Asset> describe(Id viewer, Id assetId, const std::string& description, double focusX, double focusY,
                                  const store::AlsoInTransaction& also = {});
    // Called after a commit that appended events (the daemon wakes the event log with it).
    // REQUIRES: before the library is used from several threads.
    void onEventsAppended(std::function<void()> notify) { m_eventsAppended = std::move(notify); }

    // Job bodies. A refusal that retrying cannot fix (corrupt data) is recorded on the asset as
    // `failed` with its reason and the job completes; an I/O failure is returned, to be retried.
    Status extractMetadata(Id assetId);
    Status derive(Id assetId);
    // Records that processing gave up (the derive job's last attempt failed): the asset becomes
    // `failed` with `why` instead of staying `processing` for ever.
    Status giveUp(Id assetId, const std::string& why);

    // Blocks until the asset is no longer 'processing' or `timeout` passes; returns its row.
    Result<store::Asset> waitProcessed(Id assetId, std::chrono::milliseconds timeout);

    // Makes the avatar of the image `bytes` (makeAvatar's refusals) and stores it, crash-safely;
    // returns the SHA-256 that names it. Stored before any account points at it, so a crash in
    // between leaves at most an unused file.
    Result<std::string> storeAvatar(std::span<const unsigned char> bytes);

    std::string originalPath(std::string_view sha256) const;
    std::string avatarPath(std::string_view sha256) const;
    std::string derivedDir(std::string_view sha256) const;
    std::string uploadsDir() const { return m_dataDir + "/uploads"; }

private:
    void notifyProcessed();
    void notifyEvents();

    store::Store& m_store;
    std::string m_dataDir;
    EnqueueAssetJob m_enqueue;
    std::function<void()> m_eventsAppended;

    std::mutex m_mutex; // guards m_generation
    std::condition_variable m_processed;
    std::uint64_t m_generation = 0; // bumped whenever a processing job finishes
};

} // namespace pinhole::server::media
