// Resumable uploads of the library's new assets to the server, by tus 1.0.0 (docs/api.md):
// `assets/check` first, so bytes the account already has are never sent; then creation, and
// PATCHes of at most `chunkSize` bytes, each acknowledged offset stored at once, so after a
// crash or a network cut the upload continues (HEAD asks the server where) instead of
// starting over.
//
// Several uploads run at once (setParallelism, default 3 lanes, each with its own connection):
// the server's per-file work (durable write, hashing, storing) of one overlaps the transfer of
// the next, which more than doubles an import's throughput on loopback (bench/ingest.sh).
//
// Threading: run() is called by one thread (the sync worker), with its own store connection
// and HTTP client; it starts the extra lanes itself and joins them before returning. The store
// connection, the report and the progress callback are used under one mutex.
#pragma once

#include "core/log.h"
#include "core/status.h"
#include "net/http.h"
#include "store/localstore.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

namespace pinhole::sync {

// The life of an upload (column uploads.state), one per new asset:
//
//   import        startUpload(): POST    every PATCH acknowledged: offset stored
//  ───────► Pending ────────────────► Uploading ─────────────────────────────► Done
//              │  assets/check: the server has the bytes already ──────────────► Done
//              │                       │ HEAD on resume; an expired upload (404/410)
//              │                       │   goes back to Pending (offset 0)
//              └──── refused for good (415, 413, 460, the file is gone) ───────► Parked(reason)
//                    or kMaxAttempts transient server failures
//
// A network failure changes no state: the upload stays where it was and resumes from the
// stored offset (confirmed by HEAD) on the next run.
enum class UploadState { Pending, Uploading, Done, Parked };

struct UploadProgress {
    std::string sha256;
    std::int64_t offset = 0; // acknowledged by the server
    std::int64_t size = 0;
};

struct UploadReport {
    int uploaded = 0;     // finished by this run
    int alreadyKnown = 0; // skipped: assets/check said the server has them
    int parked = 0;       // refused by this run
    std::int64_t bytesSent = 0;
};

class Uploader {
public:
    static constexpr int kMaxAttempts = 8;
    static constexpr std::int64_t kDefaultChunkSize = 8 << 20;
    static constexpr int kDefaultParallelism = 3;

    Uploader(store::LocalStore& store, net::HttpClient& http, std::string baseUrl, LogSink log = {})
        : m_store(store), m_http(http), m_base(std::move(baseUrl)), m_log(std::move(log)) {}

    void setChunkSize(std::int64_t bytes) { m_chunkSize = bytes; }
    // Uploads at once (1..16).
    void setParallelism(int lanes) { m_parallelism = std::clamp(lanes, 1, 16); }
    // Called after every acknowledged chunk, on one of the uploading threads, never two at once.
    void onProgress(std::function<void(const UploadProgress&)> fn) { m_progress = std::move(fn); }

    // Uploads everything due. Stops early (all lanes, after their current request) with
    // Code::Unavailable when the server can't be reached (progress so far is kept) and
    // Code::Unauthenticated on 401.
    Result<UploadReport> run(std::uint64_t now);

private:
    struct Job {
        std::int64_t assetId = 0;
        std::string sha256;
        std::int64_t size = 0;
        std::string location; // path of the tus upload, empty before creation
        std::int64_t offset = 0;
        int attempts = 0;
        std::string serverId; // from HEAD, when the server finished the upload already
    };
    Result<std::vector<Job>> due(std::uint64_t now);
    Status skipKnown(std::vector<Job>& jobs, UploadReport& report);
    Status upload(Job& job, net::HttpClient& http, UploadReport& report, std::uint64_t now);
    Status create(Job& job, net::HttpClient& http);
    Status resumeOffset(Job& job, net::HttpClient& http);
    Status park(const Job& job, const std::string& reason, UploadReport& report);
    Status failTransiently(const Job& job, const std::string& reason, std::uint64_t now);
    Status finish(const Job& job, const std::string& serverId, UploadReport& report);
    std::string url(const std::string& path) const { return m_base + path; }

    store::LocalStore& m_store;
    net::HttpClient& m_http;
    std::string m_base;
    LogSink m_log;
    std::int64_t m_chunkSize = kDefaultChunkSize;
    int m_parallelism = kDefaultParallelism;
    std::function<void(const UploadProgress&)> m_progress;
    std::mutex m_mutex; // the store connection, the report, the progress callback
};

} // namespace pinhole::sync
