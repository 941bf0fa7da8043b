#include "export/accountimport.h"

#include "core/digest.h"
#include "export/exportformat.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

namespace fs = std::filesystem;
namespace json = boost::json;

namespace pinhole::sync::exporting {

namespace {

constexpr int kStatusPage = 40;
constexpr std::size_t kAlbumAddBatch = 1000;
constexpr std::size_t kOperationBatch = 1000;
constexpr int kProcessingPollMs = 500;

// A post's identity across servers: its caption and its photos, in order.
std::string postKey(const std::string& text, const std::vector<std::string>& shas) {
    std::string key = text;
    for (const auto& sha : shas)
        key += "\x1f" + sha;
    return key;
}

std::vector<std::string> stringsOf(const json::array& values) {
    std::vector<std::string> out;
    for (const auto& v : values)
        if (v.is_string())
            out.emplace_back(v.as_string());
    return out;
}

json::value valueOr(const json::object& o, std::string_view key, json::value fallback) {
    const auto* v = o.if_contains(key);
    return v ? *v : fallback;
}

} // namespace

void ExportImporter::progress(const std::string& stage, int done, int total, const std::string& detail) {
    if (m_progress)
        m_progress({stage, done, total, detail});
}

Status ExportImporter::loadServerAssets() {
    m_assetBySha.clear();
    for (const char* trashed : {"false", "true"}) {
        auto assets = m_api.allAssets(std::string("trashed=") + trashed);
        if (!assets)
            return assets.status();
        for (const auto& a : *assets)
            m_assetBySha[stringOf(objectOf(a), "sha256")] = objectOf(a);
    }
    return Status::ok();
}

Result<std::string> ExportImporter::upload(const std::string& path, const std::string& sha256, std::int64_t size) {
    // tus 1.0.0 (docs/api.md): create, then PATCH the bytes in chunks; the last answer names
    // the asset (the account's existing one when it has these bytes already).
    net::HttpRequest create{"POST", "/api/pinhole/v1/uploads", {}, {}};
    create.headers = {
        {"Tus-Resumable", "1.0.0"},
        {"Upload-Length", std::to_string(size)},
        {"Upload-Metadata", "filename " + base64(fs::path(path).filename().string()) + ",sha256 " + base64(sha256)}};
    auto created = m_api.send(create);
    if (!created)
        return created.status();
    const auto location = created->header("location");
    if (!location)
        return internalError("POST /api/pinhole/v1/uploads: no Location");
    const std::string uploadPath = net::pathOf(*location);
    if (auto id = created->header("pinhole-asset-id"))
        return *id;

    std::ifstream in(path, std::ios::binary);
    if (!in)
        return internalError("cannot read " + path);
    std::int64_t offset = 0;
    std::string chunk;
    do {
        chunk.resize(static_cast<std::size_t>(std::min<std::int64_t>(kChunkBytes, size - offset)));
        in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
        if (in.gcount() != static_cast<std::streamsize>(chunk.size()))
            return internalError(path + " changed while it was read");
        net::HttpRequest patch{"PATCH", uploadPath, {}, chunk};
        patch.headers = {{"Tus-Resumable", "1.0.0"},
                         {"Content-Type", "application/offset+octet-stream"},
                         {"Upload-Offset", std::to_string(offset)}};
        auto answer = m_api.send(patch);
        if (!answer)
            return answer.status();
        offset += static_cast<std::int64_t>(chunk.size());
        if (auto id = answer->header("pinhole-asset-id"))
            return *id;
    } while (offset < size);
    return internalError("the upload of " + path + " finished without an asset id");
}

Status ExportImporter::importAssets(const std::string& dir, ImportExportReport& report) {
    auto assets = readJsonFile((fs::path(dir) / kAssetsFile).string());
    if (!assets)
        return assets.status();
    PINHOLE_TRY(loadServerAssets());
    const auto& list = arrayOf(objectOf(*assets), "assets");
    const int total = static_cast<int>(list.size());
    for (const auto& value : list) {
        const auto& entry = objectOf(value);
        const std::string sha = stringOf(entry, "sha256");
        progress("originals", report.assets, total, sha.substr(0, 12));
        ++report.assets;
        std::string id;
        if (auto known = m_assetBySha.find(sha); known != m_assetBySha.end()) {
            id = stringOf(known->second, "id");
            ++report.alreadyThere;
            if (optionalStringOf(known->second, "trashed_at")) {
                // In the library in the export, in the trash here: the export wins (a post or an
                // album needs it out of the trash).
                auto restored = m_api.sendJson("POST", "/api/pinhole/v1/assets/" + id + "/restore", json::object{});
                if (!restored)
                    return restored.status();
                known->second = objectOf(*restored);
                ++report.restored;
            }
        } else {
            const std::string file = (fs::path(dir) / stringOf(entry, "file")).string();
            auto hash = sha256OfFile(file);
            if (!hash || *hash != sha) {
                report.errors.push_back(file + ": missing, or its bytes do not hash to " + sha);
                continue;
            }
            std::error_code ec;
            const auto size = fs::file_size(file, ec);
            auto uploaded = upload(file, sha, static_cast<std::int64_t>(size));
            if (!uploaded) {
                const Code code = uploaded.status().code();
                if (code == Code::Unavailable || code == Code::Unauthenticated || code == Code::Untrusted)
                    return uploaded.status();
                report.errors.push_back(file + ": " + uploaded.status().message());
                continue;
            }
            id = *uploaded;
            ++report.uploaded;
            auto fresh = m_api.getJson("/api/pinhole/v1/assets/" + id);
            if (!fresh)
                return fresh.status();
            m_assetBySha[sha] = objectOf(*fresh);
        }

        // The photo's own fields, sent only where they differ (a second run sends nothing).
        const auto& current = m_assetBySha[sha];
        json::object patch;
        for (const char* field : {"title", "description"})
            if (stringOf(entry, field) != stringOf(current, field))
                patch[field] = stringOf(entry, field);
        if (boolOf(entry, "favourite") != boolOf(current, "favourite"))
            patch["favourite"] = boolOf(entry, "favourite");
        if (boolOf(entry, "taken_at_corrected") &&
            (!boolOf(current, "taken_at_corrected") || stringOf(entry, "taken_at") != stringOf(current, "taken_at")))
            patch["taken_at"] = stringOf(entry, "taken_at");
        if (!patch.empty()) {
            auto updated = m_api.sendJson("PATCH", "/api/pinhole/v1/assets/" + id, patch);
            if (!updated)
                return updated.status();
            m_assetBySha[sha] = objectOf(*updated);
        }
    }
    progress("originals", report.assets, total);
    return Status::ok();
}

Status ExportImporter::importAlbums(const std::string& dir, ImportExportReport& report) {
    auto albums = readJsonFile((fs::path(dir) / kAlbumsFile).string());
    if (!albums)
        return albums.status();
    auto existing = m_api.getJson("/api/pinhole/v1/albums");
    if (!existing)
        return existing.status();
    // The account's albums by name, oldest first: the n-th exported album of a name is the n-th
    // one here.
    std::map<std::string, std::vector<json::object>> byName;
    auto serverAlbums = arrayOf(objectOf(*existing), "albums");
    for (auto it = serverAlbums.rbegin(); it != serverAlbums.rend(); ++it)
        byName[stringOf(objectOf(*it), "name")].push_back(objectOf(*it));

    const auto& list = arrayOf(objectOf(*albums), "albums");
    int done = 0;
    for (const auto& value : list) {
        const auto& album = objectOf(value);
        const std::string name = stringOf(album, "name");
        progress("albums", done++, static_cast<int>(list.size()), name);
        json::object current;
        bool changed = false, createdNow = false;
        if (auto& same = byName[name]; !same.empty()) {
            current = same.front();
            same.erase(same.begin());
        } else {
            auto created =
                m_api.sendJson("POST", "/api/pinhole/v1/albums",
                               json::object{{"name", name}, {"description", stringOf(album, "description")}});
            if (!created)
                return created.status();
            current = objectOf(*created);
            ++report.albumsCreated;
            createdNow = true;
        }
        const std::string id = stringOf(current, "id");

        // Members: the exported order first; members added here by hand stay after them.
        auto inAlbum = m_api.allAssets("album=" + id);
        if (!inAlbum)
            return inAlbum.status();
        std::vector<std::string> members;
        for (const auto& a : *inAlbum)
            members.push_back(stringOf(objectOf(a), "id"));
        std::vector<std::string> wanted;
        for (const auto& sha : stringsOf(arrayOf(album, "members")))
            if (auto it = m_assetBySha.find(sha); it != m_assetBySha.end())
                wanted.push_back(stringOf(it->second, "id"));
        std::vector<std::string> missing;
        for (const auto& assetId : wanted)
            if (std::find(members.begin(), members.end(), assetId) == members.end())
                missing.push_back(assetId);
        for (std::size_t i = 0; i < missing.size(); i += kAlbumAddBatch) {
            json::array ids;
            for (std::size_t j = i; j < std::min(missing.size(), i + kAlbumAddBatch); ++j)
                ids.push_back(json::value(missing[j]));
            auto added =
                m_api.sendJson("POST", "/api/pinhole/v1/albums/" + id + "/assets", json::object{{"asset_ids", ids}});
            if (!added)
                return added.status();
            members.insert(members.end(), missing.begin() + static_cast<std::ptrdiff_t>(i),
                           missing.begin() + static_cast<std::ptrdiff_t>(std::min(missing.size(), i + kAlbumAddBatch)));
            changed = true;
        }
        for (std::size_t i = 0; i < wanted.size(); ++i) {
            if (members[i] == wanted[i])
                continue;
            auto moved = m_api.sendJson("PATCH", "/api/pinhole/v1/albums/" + id + "/assets/" + wanted[i],
                                        json::object{{"position", static_cast<std::int64_t>(i)}});
            if (!moved)
                return moved.status();
            members.erase(std::find(members.begin(), members.end(), wanted[i]));
            members.insert(members.begin() + static_cast<std::ptrdiff_t>(i), wanted[i]);
            changed = true;
        }

        json::object patch;
        if (stringOf(album, "description") != stringOf(current, "description"))
            patch["description"] = stringOf(album, "description");
        if (auto cover = optionalStringOf(album, "cover_sha256")) {
            if (auto it = m_assetBySha.find(*cover); it != m_assetBySha.end())
                if (stringOf(it->second, "id") != stringOf(current, "cover_asset_id"))
                    patch["cover_asset_id"] = stringOf(it->second, "id");
        }
        if (!patch.empty()) {
            auto updated = m_api.sendJson("PATCH", "/api/pinhole/v1/albums/" + id, patch);
            if (!updated)
                return updated.status();
            changed = true;
        }
        if (changed && !createdNow)
            ++report.albumsUpdated;
    }
    progress("albums", done, static_cast<int>(list.size()));
    return Status::ok();
}

Status ExportImporter::importAnnotations(const std::string& dir, ImportExportReport& report) {
    auto file = readJsonFile((fs::path(dir) / kAnnotationsFile).string());
    if (!file)
        return file.status();
    const auto& root = objectOf(*file);

    // Custom schemas first, version by version, up to the exported versions (a schema this
    // server has already keeps its versions: a new version never rewrites stored annotations).
    std::map<std::string, std::vector<json::object>> schemas;
    for (const auto& s : arrayOf(root, "schemas"))
        schemas[stringOf(objectOf(s), "name")].push_back(objectOf(s));
    for (auto& [name, versions] : schemas) {
        std::sort(versions.begin(), versions.end(), [](const json::object& a, const json::object& b) {
            return valueOr(a, "version", 0).to_number<std::int64_t>() <
                   valueOr(b, "version", 0).to_number<std::int64_t>();
        });
        std::int64_t have = 0;
        if (auto here = m_api.getJson("/api/pinhole/v1/schemas/" + name); here)
            have = valueOr(objectOf(*here), "version", 0).to_number<std::int64_t>();
        else if (here.status().code() != Code::NotFound)
            return here.status();
        for (const auto& v : versions) {
            if (valueOr(v, "version", 0).to_number<std::int64_t>() <= have)
                continue;
            auto registered = m_api.sendJson("POST", "/api/pinhole/v1/schemas",
                                             json::object{{"name", name},
                                                          {"description", stringOf(v, "description")},
                                                          {"fields", valueOr(v, "fields", json::object{})}});
            if (!registered)
                return registered.status();
        }
    }

    // One batch operation per schema: it replaces what the previous import wrote, atomically.
    // An annotation the photo has here already, written otherwise (by hand, by sync, by an XMP
    // import — say the export is imported into the account it came from), is not added again.
    std::map<std::string, json::array> itemsBySchema;
    std::map<std::string, std::vector<std::pair<std::string, json::value>>> presentByAsset;
    for (const auto& a : arrayOf(root, "annotations")) {
        const auto& row = objectOf(a);
        auto asset = m_assetBySha.find(stringOf(row, "asset_sha256"));
        if (asset == m_assetBySha.end())
            continue; // its photo could not be imported (reported there)
        const std::string assetId = stringOf(asset->second, "id");
        if (!presentByAsset.count(assetId)) {
            auto& present = presentByAsset[assetId];
            auto here = m_api.annotationsOf(assetId);
            if (!here)
                return here.status();
            for (const auto& h : *here)
                if (stringOf(objectOf(h), "writer") != kWriter)
                    present.emplace_back(stringOf(objectOf(h), "schema"), valueOr(objectOf(h), "payload", nullptr));
        }
        auto& present = presentByAsset[assetId];
        const auto same = std::find_if(present.begin(), present.end(), [&](const auto& p) {
            return p.first == stringOf(row, "schema") && p.second == valueOr(row, "payload", json::object{});
        });
        if (same != present.end()) {
            present.erase(same);
            continue;
        }
        itemsBySchema[stringOf(row, "schema")].push_back(json::object{
            {"asset_id", stringOf(asset->second, "id")},
            {"version", valueOr(row, "schema_version", 1)},
            {"payload", valueOr(row, "payload", json::object{})},
        });
    }
    int done = 0;
    for (auto& [schema, items] : itemsBySchema) {
        progress("annotations", done++, static_cast<int>(itemsBySchema.size()), schema);
        auto op = m_api.sendJson("POST", "/api/pinhole/v1/annotations/operations",
                                 json::object{{"schema", schema}, {"writer", kWriter}});
        if (!op)
            return op.status();
        const std::string opPath = "/api/pinhole/v1/annotations/operations/" + stringOf(objectOf(*op), "id");
        for (std::size_t i = 0; i < items.size(); i += kOperationBatch) {
            json::array batch(items.begin() + static_cast<std::ptrdiff_t>(i),
                              items.begin() + static_cast<std::ptrdiff_t>(std::min(items.size(), i + kOperationBatch)));
            auto staged = m_api.sendJson("POST", opPath + "/items", json::object{{"items", std::move(batch)}});
            if (!staged) {
                (void)m_api.send({"DELETE", opPath, {}, {}}); // abort; the previous batch stays
                return staged.status();
            }
        }
        auto committed = m_api.sendJson("POST", opPath + "/commit", json::object{});
        if (!committed)
            return committed.status();
        report.annotations += static_cast<int>(items.size());
    }
    progress("annotations", done, static_cast<int>(itemsBySchema.size()));
    return Status::ok();
}

Status ExportImporter::waitUntilProcessed(const std::vector<std::string>& assetIds) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(kProcessingWaitSeconds);
    for (const auto& id : assetIds) {
        for (;;) {
            auto asset = m_api.getJson("/api/pinhole/v1/assets/" + id);
            if (!asset)
                return asset.status();
            const std::string state = stringOf(objectOf(*asset), "state");
            if (state != "processing")
                break;
            if (std::chrono::steady_clock::now() > deadline)
                return Status(Code::Unavailable, "the server has not processed photo " + id + " yet; run again later");
            std::this_thread::sleep_for(std::chrono::milliseconds(kProcessingPollMs));
        }
    }
    return Status::ok();
}

Status ExportImporter::importPosts(const std::string& dir, ImportExportReport& report) {
    auto file = readJsonFile((fs::path(dir) / kPostsFile).string());
    if (!file)
        return file.status();
    std::map<std::string, std::string> shaById;
    for (const auto& [sha, asset] : m_assetBySha)
        shaById[stringOf(asset, "id")] = sha;

    // The account's posts here already, by caption and photos.
    auto mine = m_api.allPagedById("/api/v1/accounts/" + m_accountId +
                                       "/statuses?exclude_replies=true&limit=" + std::to_string(kStatusPage),
                                   "max_id");
    if (!mine)
        return mine.status();
    std::map<std::string, std::string> existing;
    for (const auto& s : *mine) {
        std::vector<std::string> shas;
        for (const auto& m : arrayOf(objectOf(s), "media_attachments"))
            shas.push_back(shaById[stringOf(objectOf(m), "id")]);
        existing[postKey(stringOf(objectOf(s), "text"), shas)] = stringOf(objectOf(s), "id");
    }

    const auto& posts = arrayOf(objectOf(*file), "posts");
    int done = 0;
    for (const auto& value : posts) {
        const auto& post = objectOf(value);
        progress("posts", done++, static_cast<int>(posts.size()));
        const auto shas = stringsOf(arrayOf(post, "media"));
        std::string postId;
        if (auto it = existing.find(postKey(stringOf(post, "text"), shas)); it != existing.end()) {
            postId = it->second;
            ++report.postsExisting;
        } else {
            json::array mediaIds;
            std::vector<std::string> ids;
            for (const auto& sha : shas)
                if (auto asset = m_assetBySha.find(sha); asset != m_assetBySha.end())
                    ids.push_back(stringOf(asset->second, "id"));
            if (ids.size() != shas.size() || ids.empty()) {
                report.errors.push_back("post " + stringOf(post, "source_id") + ": a photo of it is missing");
                continue;
            }
            PINHOLE_TRY(waitUntilProcessed(ids));
            for (const auto& id : ids)
                mediaIds.push_back(json::value(id));
            // The key makes a retry after a lost answer (within the server's 24 hours) answer
            // the post the first request created.
            const std::string key = "pinhole-import-" + sha256Hex(m_source + "/" + stringOf(post, "source_id"));
            auto created = m_api.sendJson("POST", "/api/v1/statuses",
                                          json::object{{"status", stringOf(post, "text")},
                                                       {"media_ids", std::move(mediaIds)},
                                                       {"visibility", stringOf(post, "visibility")}},
                                          {{"Idempotency-Key", key}});
            if (!created)
                return created.status();
            postId = stringOf(objectOf(*created), "id");
            existing[postKey(stringOf(post, "text"), shas)] = postId;
            ++report.postsCreated;
        }

        // The account's own comments on it (others' comments cannot be written in their name).
        const auto& comments = arrayOf(post, "comments");
        if (comments.empty())
            continue;
        std::map<std::string, std::string> idBySource{{stringOf(post, "source_id"), postId}};
        std::multiset<std::string> present; // own comments here already: "<parent>\x1f<text>"
        auto context = m_api.getJson("/api/v1/statuses/" + postId + "/context");
        if (!context)
            return context.status();
        for (const auto& d : arrayOf(objectOf(*context), "descendants")) {
            const auto& c = objectOf(d);
            const auto& account = fieldObject(c, "account");
            if (stringOf(account, "id") == m_accountId)
                present.insert(stringOf(c, "in_reply_to_id") + "\x1f" + stringOf(c, "text"));
        }
        for (const auto& cv : comments) {
            const auto& comment = objectOf(cv);
            if (!boolOf(comment, "own")) {
                ++report.commentsSkipped;
                continue;
            }
            auto parent = idBySource.find(stringOf(comment, "in_reply_to_source_id"));
            if (parent == idBySource.end()) {
                ++report.commentsSkipped; // a reply to someone else's comment
                continue;
            }
            const std::string key = parent->second + "\x1f" + stringOf(comment, "text");
            if (auto it = present.find(key); it != present.end()) {
                present.erase(it);
                continue;
            }
            auto created = m_api.sendJson(
                "POST", "/api/v1/statuses",
                json::object{{"status", stringOf(comment, "text")},
                             {"in_reply_to_id", parent->second},
                             {"visibility", stringOf(comment, "visibility")}},
                {{"Idempotency-Key", "pinhole-import-" + sha256Hex(m_source + "/" + stringOf(comment, "source_id"))}});
            if (!created)
                return created.status();
            idBySource[stringOf(comment, "source_id")] = stringOf(objectOf(*created), "id");
            ++report.commentsCreated;
        }
    }
    progress("posts", done, static_cast<int>(posts.size()));
    return Status::ok();
}

Result<ImportExportReport> ExportImporter::run(const std::string& dir) {
    auto manifest = readJsonFile((fs::path(dir) / kManifestFile).string());
    if (!manifest)
        return Status(manifest.status().code(),
                      manifest.status().message() + " (is " + dir + " a finished `pinhole-cli export`?)");
    const auto& m = objectOf(*manifest);
    if (stringOf(m, "format") != kFormatName)
        return invalidArgument(dir + ": manifest.json format: not a pinhole export");
    if (const auto* version = m.if_contains("version");
        !version || !version->is_number() || version->to_number<std::int64_t>() > kFormatVersion)
        return invalidArgument(dir + ": manifest.json version: this pinhole-cli reads version " +
                               std::to_string(kFormatVersion) + " and older");
    m_source = stringOf(m, "server") + "/" + stringOf(m, "username");

    auto me = m_api.getJson("/api/v1/accounts/verify_credentials");
    if (!me)
        return me.status();
    m_accountId = stringOf(objectOf(*me), "id");

    ImportExportReport report;
    // The profile: sent every run, it is idempotent.
    auto account = readJsonFile((fs::path(dir) / kAccountFile).string());
    if (!account)
        return account.status();
    const auto& profile = objectOf(*account);
    auto updated = m_api.sendJson("PATCH", "/api/v1/accounts/update_credentials",
                                  json::object{{"display_name", stringOf(profile, "display_name")},
                                               {"note", stringOf(profile, "note")},
                                               {"locked", boolOf(profile, "locked")},
                                               {"hide_collections", boolOf(profile, "hide_collections")}});
    if (!updated)
        return updated.status();

    PINHOLE_TRY(importAssets(dir, report));
    PINHOLE_TRY(importAlbums(dir, report));
    PINHOLE_TRY(importAnnotations(dir, report));
    PINHOLE_TRY(importPosts(dir, report));
    return report;
}

} // namespace pinhole::sync::exporting
