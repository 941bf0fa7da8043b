// pinhole-cli export DIR: the signed-in account, whole, into a folder another Pinhole server
// (import-export) or a person can read — originals byte for byte (SHA-256 checked), an XMP
// sidecar per photo, and the profile, albums, posts, comments and annotations as JSON
// (export/exportformat.h, docs/export-format.md).
//
// Resumable: originals are fetched in ranges into `<sha256>.part` and renamed into place once
// their SHA-256 matches; a second run after a kill keeps every finished original (re-checking
// its hash) and continues a partial one where it stopped. The JSON files are rewritten each
// run (they are small), the manifest last.
//
// Threading: one thread; the progress callback is called on it.
#pragma once

#include "core/status.h"
#include "export/apiclient.h"

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace pinhole::sync::exporting {

struct ExportProgress {
    std::string stage; // "originals", "annotations", "albums", "posts"
    int done = 0;
    int total = 0;
    std::string detail;
};

struct ExportReport {
    int assets = 0;
    int downloaded = 0;     // originals fetched (in full or the rest of a partial one) by this run
    int alreadyPresent = 0; // originals a previous run finished (hash re-checked)
    std::int64_t bytesDownloaded = 0;
    int sidecars = 0;
    int annotations = 0;
    int albums = 0;
    int posts = 0;
    int comments = 0;
    std::vector<std::string> errors;   // per photo; the export goes on without it
    std::vector<std::string> warnings; // exported, but not everything in every form
};

class AccountExporter {
public:
    static constexpr std::int64_t kRangeBytes = 8 << 20; // one request per 8 MiB of an original

    explicit AccountExporter(ApiClient& api) : m_api(api) {}
    void onProgress(std::function<void(const ExportProgress&)> fn) { m_progress = std::move(fn); }

    // Creates `dir` if needed. Fails (Unavailable etc.) when the server stops answering; the
    // work done so far stays and the next run continues it.
    Result<ExportReport> run(const std::string& dir);

private:
    // Fetches the original of `asset` into `dir`/originals unless a checked copy is there;
    // answers its file name relative to `dir`.
    Result<std::string> fetchOriginal(const std::string& dir, const boost::json::object& asset, ExportReport& report);
    Result<boost::json::array> albums(const std::map<std::string, std::string>& shaById);
    Result<boost::json::array> posts(const std::string& accountId, const std::map<std::string, std::string>& shaById,
                                     ExportReport& report);
    void progress(const std::string& stage, int done, int total, const std::string& detail = {});

    ApiClient& m_api;
    std::function<void(const ExportProgress&)> m_progress;
};

} // namespace pinhole::sync::exporting
