#include "upload/uploader.h"

#include "core/digest.h"
#include "outbox/outbox.h"

#include <boost/json.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

namespace json = boost::json;

namespace pinhole::sync {

namespace {
std::int64_t i64(std::uint64_t v) {
    return static_cast<std::int64_t>(v);
}

const std::vector<std::pair<std::string, std::string>> kTus = {{"Tus-Resumable", "1.0.0"}};

std::string fileName(const std::string& path) {
    return std::filesystem::path(path).filename().string();
}
} // namespace

Result<std::vector<Uploader::Job>> Uploader::due(std::uint64_t now) {
    auto q = m_store.db().prepare("SELECT u.asset_id, a.sha256, a.size, u.location, u.upload_offset, u.attempts "
                                  "FROM uploads u JOIN assets a ON a.id = u.asset_id "
                                  "WHERE u.state IN ('pending', 'uploading') AND u.next_attempt_at <= ? "
                                  "ORDER BY u.asset_id");
    q.bind(1, i64(now));
    std::vector<Job> jobs;
    for (;;) {
        auto row = q.step();
        if (!row)
            return row.status();
        if (!*row)
            return jobs;
        Job j;
        j.assetId = q.int64(0);
        j.sha256 = q.text(1);
        j.size = q.int64(2);
        j.location = q.isNull(3) ? std::string() : q.text(3);
        j.offset = q.int64(4);
        j.attempts = static_cast<int>(q.int64(5));
        jobs.push_back(std::move(j));
    }
}

Result<UploadReport> Uploader::run(std::uint64_t now) {
    auto jobs = due(now);
    if (!jobs)
        return jobs.status();
    UploadReport report;
    PINHOLE_TRY(skipKnown(*jobs, report));

    // Lanes take the next due upload until none is left or one fails: a failure (the server is
    // gone, we're signed out, the store failed) stops every lane; what is done stays done.
    std::atomic<std::size_t> next{0};
    std::atomic<bool> stopped{false};
    Status failure;
    const auto lane = [&](net::HttpClient& http) {
        while (!stopped) {
            const std::size_t i = next++;
            if (i >= jobs->size())
                return;
            Status s = upload((*jobs)[i], http, report, now);
            if (!s) {
                std::lock_guard lock(m_mutex);
                if (!stopped.exchange(true))
                    failure = std::move(s);
            }
        }
    };
    const int lanes = static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(m_parallelism), jobs->size()));
    std::vector<std::unique_ptr<net::HttpClient>> clients;
    std::vector<std::thread> threads;
    for (int i = 1; i < lanes; ++i) {
        clients.push_back(m_http.withSameSettings());
        threads.emplace_back(lane, std::ref(*clients.back()));
    }
    lane(m_http);
    for (auto& t : threads)
        t.join();
    if (!failure)
        return failure;
    return report;
}

// One assets/check for up to 1000 new uploads: what the account has already is never sent.
// (Uploads already started are not asked about: their bytes are half on the server anyway.)
Status Uploader::skipKnown(std::vector<Job>& jobs, UploadReport& report) {
    std::vector<Job*> fresh;
    json::array hashes;
    for (auto& job : jobs)
        if (job.location.empty() && fresh.size() < 1000) {
            fresh.push_back(&job);
            hashes.emplace_back(job.sha256);
        }
    if (fresh.empty())
        return Status::ok();
    auto r = m_http.send({"POST",
                          url("/api/pinhole/v1/assets/check"),
                          {{"Content-Type", "application/json"}},
                          json::serialize(json::object{{"sha256", hashes}})});
    if (!r)
        return r.status();
    if (r->status != 200)
        return net::errorOf(*r, "assets/check");
    boost::system::error_code ec;
    auto body = json::parse(r->body, ec);
    if (ec || !body.is_object() || !body.as_object().contains("existing"))
        return Status(Code::Unavailable, "assets/check: an answer without \"existing\"");
    std::set<std::string> existing;
    for (const auto& h : body.as_object().at("existing").as_array())
        if (h.is_string())
            existing.insert(std::string(h.as_string()));
    std::vector<Job> rest;
    for (auto& job : jobs) {
        if (job.location.empty() && existing.count(job.sha256)) {
            // The server id arrives with the asset in the change stream (matched by SHA-256).
            PINHOLE_TRY(m_store.db()
                            .prepare("UPDATE uploads SET state = 'done', reason = 'already on the server', "
                                     "updated_at = ? WHERE asset_id = ?")
                            .bind(1, i64(wallMillis()))
                            .bind(2, job.assetId)
                            .run());
            ++report.alreadyKnown;
        } else {
            rest.push_back(std::move(job));
        }
    }
    jobs = std::move(rest);
    return Status::ok();
}

Status Uploader::create(Job& job, net::HttpClient& http) {
    auto headers = kTus;
    headers.emplace_back("Upload-Length", std::to_string(job.size));
    headers.emplace_back("Upload-Metadata", "filename " + base64(job.sha256.substr(0, 16) + ".jpg") + ",sha256 " +
                                                base64(hexToBytes(job.sha256)));
    auto r = http.send({"POST", url("/api/pinhole/v1/uploads"), headers, {}});
    if (!r)
        return r.status();
    if (r->status != 201 || !r->header("location"))
        return net::errorOf(*r, "creating the upload");
    job.location = net::pathOf(*r->header("location"));
    job.offset = 0;
    std::lock_guard lock(m_mutex);
    return m_store.db()
        .prepare("UPDATE uploads SET state = 'uploading', location = ?, upload_offset = 0, updated_at = ? "
                 "WHERE asset_id = ?")
        .bind(1, job.location)
        .bind(2, i64(wallMillis()))
        .bind(3, job.assetId)
        .run();
}

Status Uploader::resumeOffset(Job& job, net::HttpClient& http) {
    auto r = http.send({"HEAD", url(job.location), kTus, {}});
    if (!r)
        return r.status();
    if (r->status == 404 || r->status == 410) { // expired or removed: start over
        logTo(m_log, LogLevel::Info, "upload_expired", job.sha256);
        job.location.clear();
        return create(job, http);
    }
    if (r->status != 200 || !r->header("upload-offset"))
        return net::errorOf(*r, "asking where the upload stands");
    job.offset = std::stoll(*r->header("upload-offset"));
    job.serverId = r->header("pinhole-asset-id").value_or(""); // complete before we recorded it
    return Status::ok();
}

Status Uploader::park(const Job& job, const std::string& reason, UploadReport& report) {
    std::lock_guard lock(m_mutex);
    logTo(m_log, LogLevel::Warning, "upload_parked", job.sha256 + ": " + reason);
    ++report.parked;
    return m_store.db()
        .prepare("UPDATE uploads SET state = 'parked', reason = ?, updated_at = ? WHERE asset_id = ?")
        .bind(1, reason)
        .bind(2, i64(wallMillis()))
        .bind(3, job.assetId)
        .run();
}

Status Uploader::failTransiently(const Job& job, const std::string& reason, std::uint64_t now) {
    std::lock_guard lock(m_mutex);
    logTo(m_log, LogLevel::Warning, "upload_retry", job.sha256 + ": " + reason);
    return m_store.db()
        .prepare("UPDATE uploads SET attempts = attempts + 1, next_attempt_at = ?1, reason = ?2, updated_at = ?3, "
                 "state = CASE WHEN attempts + 1 >= ?4 THEN 'parked' ELSE state END WHERE asset_id = ?5")
        .bind(1, i64(now + backoffDelayMs(job.attempts)))
        .bind(2, reason)
        .bind(3, i64(wallMillis()))
        .bind(4, kMaxAttempts)
        .bind(5, job.assetId)
        .run();
}

Status Uploader::finish(const Job& job, const std::string& serverId, UploadReport& report) {
    std::lock_guard lock(m_mutex);
    store::Transaction tx(m_store.db());
    PINHOLE_TRY(tx.status());
    PINHOLE_TRY(m_store.db()
                    .prepare("UPDATE uploads SET state = 'done', upload_offset = ?, reason = NULL, updated_at = ? "
                             "WHERE asset_id = ?")
                    .bind(1, job.size)
                    .bind(2, i64(wallMillis()))
                    .bind(3, job.assetId)
                    .run());
    PINHOLE_TRY(m_store.db()
                    .prepare("UPDATE assets SET server_id = ? WHERE id = ?")
                    .bind(1, serverId)
                    .bind(2, job.assetId)
                    .run());
    PINHOLE_TRY(tx.commit());
    ++report.uploaded;
    return Status::ok();
}

Status Uploader::upload(Job& job, net::HttpClient& http, UploadReport& report, std::uint64_t now) {
    // Any of the places the bytes were imported from will do, if it still holds them.
    std::string source;
    {
        std::lock_guard lock(m_mutex);
        auto q = m_store.db().prepare("SELECT path FROM asset_files WHERE asset_id = ? ORDER BY path");
        q.bind(1, job.assetId);
        for (;;) {
            auto row = q.step();
            if (!row)
                return row.status();
            if (!*row)
                break;
            std::error_code ec;
            if (std::filesystem::file_size(q.text(0), ec) == static_cast<std::uintmax_t>(job.size) && !ec) {
                source = q.text(0);
                break;
            }
        }
    }
    if (source.empty())
        return park(job, "the file is no longer where it was imported from", report);

    Status s = job.location.empty() ? create(job, http) : resumeOffset(job, http);
    if (s && job.offset >= job.size && !job.serverId.empty()) // we died after the last PATCH
        return finish(job, job.serverId, report);
    std::ifstream in(source, std::ios::binary);
    std::string chunk;
    // Every byte acknowledged but no asset named (HEAD during, or after a crash in, the server's
    // storing of the file): one more, empty PATCH at the end waits for that or finishes it.
    while (s && (job.offset < job.size || job.serverId.empty())) {
        const std::int64_t n = std::min(m_chunkSize, job.size - job.offset);
        chunk.resize(static_cast<std::size_t>(n));
        in.seekg(job.offset);
        if (n > 0 && !in.read(chunk.data(), n))
            return park(job, "cannot read " + source, report);
        auto headers = kTus;
        headers.emplace_back("Content-Type", "application/offset+octet-stream");
        headers.emplace_back("Upload-Offset", std::to_string(job.offset));
        // A chunk that is the whole file has the hash the import computed: not hashed again (if
        // the file changed since, the server answers a checksum mismatch either way).
        const bool wholeFile = job.offset == 0 && n == job.size;
        headers.emplace_back("Upload-Checksum",
                             "sha256 " + base64(hexToBytes(wholeFile ? job.sha256 : sha256Hex(chunk))));
        auto r = http.send({"PATCH", url(job.location), headers, chunk});
        if (!r) {
            s = r.status();
            break;
        }
        if (r->status == 409) { // another offset on the server: ask it, then go on from there
            s = resumeOffset(job, http);
            continue;
        }
        if (r->status != 204 || !r->header("upload-offset")) {
            s = net::errorOf(*r, "uploading " + fileName(source));
            break;
        }
        job.offset = std::stoll(*r->header("upload-offset"));
        {
            std::lock_guard lock(m_mutex);
            report.bytesSent += n;
            if (job.offset < job.size) // the last offset is not stored: finish() records the upload done
                PINHOLE_TRY(m_store.db()
                                .prepare("UPDATE uploads SET upload_offset = ?, updated_at = ? WHERE asset_id = ?")
                                .bind(1, job.offset)
                                .bind(2, i64(wallMillis()))
                                .bind(3, job.assetId)
                                .run());
            if (m_progress)
                m_progress({job.sha256, job.offset, job.size});
        }
        if (job.offset >= job.size) {
            auto id = r->header("pinhole-asset-id");
            if (!id)
                return park(job, "the server finished the upload without naming the asset", report);
            return finish(job, *id, report);
        }
    }
    if (s) // a HEAD after a 409 found the upload finished and named its asset
        return finish(job, job.serverId, report);
    switch (s.code()) {
    case Code::Unavailable: return s; // no answer at all: nothing to count, resume next time
    case Code::Internal:              // a 5xx
        return failTransiently(job, s.message(), now);
    case Code::TooManyRequests:
        return failTransiently(job, s.message(),
                               now + 1000ull * static_cast<unsigned>(s.retryAfterSeconds().value_or(1)));
    case Code::Unauthenticated:
    case Code::Untrusted: return s;
    case Code::ChecksumMismatch:
        return park(job, "the file changed since it was imported (" + s.message() + ")", report);
    default: return park(job, s.message(), report);
    }
}

} // namespace pinhole::sync
