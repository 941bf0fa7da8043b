// pinhole-cli import-export DIR: an export (export/accountexport.h) into the signed-in account,
// usually on another server: originals uploaded (tus; bytes the account has are not sent again),
// photo titles, descriptions, favourites and time corrections, albums with their order and cover,
// annotations (custom schemas registered first), the profile, and posts in their order with the
// account's own comments on them.
//
// Idempotent: running it twice creates nothing twice. Photos are matched by SHA-256, albums by
// name, posts by caption and photos, comments by text under their post; annotations are written
// as one batch operation per schema under the writer "pinhole-import", and a batch replaces the
// previous import's (docs/annotations.md), so a second run leaves the same set; one the photo
// has already (written by hand, or the export imported into its own account) is not added.
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

struct ImportProgress {
    std::string stage; // "originals", "processing", "albums", "annotations", "posts"
    int done = 0;
    int total = 0;
    std::string detail;
};

struct ImportExportReport {
    int assets = 0;
    int uploaded = 0;     // originals sent by this run
    int alreadyThere = 0; // the account had the bytes already
    int restored = 0;     // of those, taken out of the trash
    int albumsCreated = 0;
    int albumsUpdated = 0; // existing albums whose members, order, cover or description changed
    int annotations = 0;   // written (replacing the previous import's batch)
    int postsCreated = 0;
    int postsExisting = 0;
    int commentsCreated = 0;
    int commentsSkipped = 0; // by other people: an import writes as the signed-in account only
    std::vector<std::string> errors;
};

class ExportImporter {
public:
    static constexpr std::int64_t kChunkBytes = 8 << 20;
    static constexpr const char* kWriter = "pinhole-import";
    // How long to wait for the server to process the photos a post shows.
    static constexpr int kProcessingWaitSeconds = 300;

    explicit ExportImporter(ApiClient& api) : m_api(api) {}
    void onProgress(std::function<void(const ImportProgress&)> fn) { m_progress = std::move(fn); }

    Result<ImportExportReport> run(const std::string& dir);

private:
    Result<std::string> upload(const std::string& path, const std::string& sha256, std::int64_t size);
    Status importAssets(const std::string& dir, ImportExportReport& report);
    Status importAlbums(const std::string& dir, ImportExportReport& report);
    Status importAnnotations(const std::string& dir, ImportExportReport& report);
    Status importPosts(const std::string& dir, ImportExportReport& report);
    Status waitUntilProcessed(const std::vector<std::string>& assetIds);
    Status loadServerAssets();
    void progress(const std::string& stage, int done, int total, const std::string& detail = {});

    ApiClient& m_api;
    std::function<void(const ImportProgress&)> m_progress;
    std::string m_accountId;
    std::string m_source;                                    // the exporting server and user, for idempotency keys
    std::map<std::string, boost::json::object> m_assetBySha; // the account's assets on this server
};

} // namespace pinhole::sync::exporting
