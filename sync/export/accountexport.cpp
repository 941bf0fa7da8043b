#include "export/accountexport.h"

#include "core/digest.h"
#include "export/exportformat.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

#include <unistd.h>

namespace fs = std::filesystem;
namespace json = boost::json;

namespace pinhole::sync::exporting {

namespace {

constexpr int kStatusPage = 40;

std::int64_t fileSize(const fs::path& path) {
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    return ec ? -1 : static_cast<std::int64_t>(size);
}

Status appendToFile(const fs::path& path, std::string_view bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::app);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    return out ? Status::ok() : internalError("cannot write " + path.string());
}

std::string readHead(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::string head(16, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    return head;
}

// "bytes 0-8388607/12345678" -> 12345678
std::int64_t totalOfContentRange(const std::string& value) {
    const auto slash = value.rfind('/');
    if (slash == std::string::npos || value.compare(slash + 1, std::string::npos, "*") == 0)
        return -1;
    try {
        return std::stoll(value.substr(slash + 1));
    } catch (const std::exception&) {
        return -1;
    }
}

json::array shasOf(const json::array& media, const std::map<std::string, std::string>& shaById) {
    json::array out;
    for (const auto& m : media) {
        const auto it = shaById.find(stringOf(objectOf(m), "id"));
        if (it != shaById.end())
            out.push_back(json::value(it->second));
    }
    return out;
}

} // namespace

void AccountExporter::progress(const std::string& stage, int done, int total, const std::string& detail) {
    if (m_progress)
        m_progress({stage, done, total, detail});
}

Result<std::string> AccountExporter::fetchOriginal(const std::string& dir, const json::object& asset,
                                                   ExportReport& report) {
    const std::string sha = stringOf(asset, "sha256");
    const std::string id = stringOf(asset, "id");
    const fs::path originals = fs::path(dir) / kOriginalsDir;

    // A previous run's original: kept if its bytes still hash right.
    for (const char* const* ext = knownExtensions(); *ext; ++ext) {
        const fs::path done = originals / (sha + "." + *ext);
        if (!fs::exists(done))
            continue;
        auto hash = sha256OfFile(done.string());
        if (hash && *hash == sha) {
            ++report.alreadyPresent;
            return std::string(kOriginalsDir) + "/" + done.filename().string();
        }
        std::error_code ec;
        fs::remove(done, ec); // damaged: fetched again below
    }

    // The rest of a partial download, range by range; each range appended as it arrives.
    const fs::path part = originals / (sha + ".part");
    std::int64_t offset = std::max<std::int64_t>(fileSize(part), 0);
    std::int64_t total = -1;
    while (total < 0 || offset < total) {
        net::HttpRequest request{"GET", "/media/" + id + "/original", {}, {}};
        request.headers.emplace_back("Range", "bytes=" + std::to_string(offset) + "-" +
                                                  std::to_string(offset + kRangeBytes - 1));
        auto response = m_api.exchange(request);
        if (!response)
            return response.status();
        if (response->status == 416) {
            total = offset; // the part file is whole already
            break;
        }
        if (response->status != 200 && response->status != 206)
            return net::errorOf(*response, "GET /media/" + id + "/original");
        if (response->status == 200) { // no range support: the whole file
            std::error_code ec;
            fs::remove(part, ec);
            offset = 0;
            total = static_cast<std::int64_t>(response->body.size());
        } else {
            total = totalOfContentRange(response->header("content-range").value_or(""));
            if (total < 0)
                return internalError("GET /media/" + id + "/original: no Content-Range in a 206");
        }
        PINHOLE_TRY(appendToFile(part, response->body));
        offset += static_cast<std::int64_t>(response->body.size());
        report.bytesDownloaded += static_cast<std::int64_t>(response->body.size());
        if (response->body.empty())
            break;
    }

    auto hash = sha256OfFile(part.string());
    if (!hash)
        return hash.status();
    if (*hash != sha) {
        std::error_code ec;
        fs::remove(part, ec);
        return Status(Code::ChecksumMismatch, "the original of photo " + id + " does not hash to its SHA-256 " + sha);
    }
    const std::string name = sha + "." + imageExtension(readHead(part));
    // The part file was appended range by range; flush it and rename it into place atomically.
    if (auto fd = std::fopen(part.c_str(), "rb+")) {
        ::fsync(::fileno(fd));
        std::fclose(fd);
    }
    std::error_code ec;
    fs::rename(part, originals / name, ec);
    if (ec)
        return internalError("cannot rename " + part.string() + ": " + ec.message());
    ++report.downloaded;
    return std::string(kOriginalsDir) + "/" + name;
}

Result<json::array> AccountExporter::albums(const std::map<std::string, std::string>& shaById) {
    auto list = m_api.getJson("/api/pinhole/v1/albums");
    if (!list)
        return list.status();
    json::array out;
    const auto& albums = arrayOf(objectOf(*list), "albums");
    int done = 0;
    for (const auto& value : albums) {
        const auto& album = objectOf(value);
        const std::string id = stringOf(album, "id");
        auto inAlbum = m_api.allAssets("album=" + id);
        if (!inAlbum)
            return inAlbum.status();
        json::array members;
        for (const auto& a : *inAlbum)
            members.push_back(json::value(stringOf(objectOf(a), "sha256")));
        const auto cover = shaById.find(stringOf(album, "cover_asset_id"));
        out.push_back(json::object{
            {"name", stringOf(album, "name")},
            {"description", stringOf(album, "description")},
            {"cover_sha256", cover != shaById.end() ? json::value(cover->second) : json::value(nullptr)},
            {"created_at", stringOf(album, "created_at")},
            {"members", std::move(members)},
            {"source_id", id},
        });
        progress("albums", ++done, static_cast<int>(albums.size()), stringOf(album, "name"));
    }
    // The server lists albums newest first; the export keeps them oldest first, the order an
    // import creates them in.
    std::reverse(out.begin(), out.end());
    return out;
}

Result<json::array> AccountExporter::posts(const std::string& accountId,
                                           const std::map<std::string, std::string>& shaById, ExportReport& report) {
    // Every status of the account, newest first, page by page.
    auto all = m_api.allPagedById("/api/v1/accounts/" + accountId + "/statuses?limit=" + std::to_string(kStatusPage),
                                  "max_id");
    if (!all)
        return all.status();
    std::vector<json::object> statuses;
    for (const auto& s : *all)
        statuses.push_back(objectOf(s));
    std::reverse(statuses.begin(), statuses.end()); // oldest first

    json::array out;
    int done = 0;
    const int total = static_cast<int>(std::count_if(statuses.begin(), statuses.end(), [](const json::object& s) {
        return !optionalStringOf(s, "in_reply_to_id");
    }));
    for (const auto& s : statuses) {
        if (optionalStringOf(s, "in_reply_to_id"))
            continue; // a comment: kept with its post below, or (on someone else's post) in "comments_elsewhere"
        const std::string id = stringOf(s, "id");
        auto context = m_api.getJson("/api/v1/statuses/" + id + "/context");
        if (!context)
            return context.status();
        json::array comments;
        for (const auto& d : arrayOf(objectOf(*context), "descendants")) {
            const auto& c = objectOf(d);
            const auto& account = fieldObject(c, "account");
            comments.push_back(json::object{
                {"source_id", stringOf(c, "id")},
                {"created_at", stringOf(c, "created_at")},
                {"author", stringOf(account, "acct")},
                {"own", stringOf(account, "id") == accountId},
                {"in_reply_to_source_id", stringOf(c, "in_reply_to_id")},
                {"visibility", stringOf(c, "visibility")},
                {"text", stringOf(c, "text")},
                {"media", shasOf(arrayOf(c, "media_attachments"), shaById)},
            });
            ++report.comments;
        }
        out.push_back(json::object{
            {"source_id", id},
            {"created_at", stringOf(s, "created_at")},
            {"visibility", stringOf(s, "visibility")},
            {"text", stringOf(s, "text")},
            {"media", shasOf(arrayOf(s, "media_attachments"), shaById)},
            {"comments", std::move(comments)},
        });
        progress("posts", ++done, total);
    }
    return out;
}

Result<ExportReport> AccountExporter::run(const std::string& dir) {
    ExportReport report;
    std::error_code ec;
    fs::create_directories(fs::path(dir) / kOriginalsDir, ec);
    if (ec)
        return internalError("cannot create " + dir + ": " + ec.message());

    auto me = m_api.getJson("/api/v1/accounts/verify_credentials");
    if (!me)
        return me.status();
    const auto& account = objectOf(*me);
    const std::string accountId = stringOf(account, "id");
    const auto& source = fieldObject(account, "source");
    PINHOLE_TRY(writeJsonAtomically((fs::path(dir) / kAccountFile).string(),
                                    json::object{
                                        {"username", stringOf(account, "username")},
                                        {"display_name", stringOf(account, "display_name")},
                                        {"note", stringOf(source, "note")},
                                        {"locked", boolOf(account, "locked")},
                                        {"hide_collections", boolOf(source, "hide_collections")},
                                        {"created_at", stringOf(account, "created_at")},
                                    }));

    // Photos: originals and sidecars first (the bulk of the work, resumable), then annotations.
    auto assets = m_api.allAssets("");
    if (!assets)
        return assets.status();
    std::map<std::string, std::string> shaById;
    json::array assetsOut, annotationsOut;
    std::set<std::string> schemasUsed;
    const int total = static_cast<int>(assets->size());
    for (const auto& value : *assets) {
        const auto& asset = objectOf(value);
        const std::string id = stringOf(asset, "id"), sha = stringOf(asset, "sha256");
        progress("originals", report.assets, total, sha.substr(0, 12));
        ++report.assets;
        shaById[id] = sha;
        auto file = fetchOriginal(dir, asset, report);
        if (!file) {
            if (file.status().code() == Code::Unavailable || file.status().code() == Code::Unauthenticated)
                return file.status();
            report.errors.push_back(file.status().message());
            continue;
        }
        // The sidecar: the server's XMP rendering of the photo's annotations.
        // The server answers an empty body for a photo without annotations XMP can hold.
        std::string sidecar = *file + ".xmp";
        auto xmp = m_api.send({"GET", "/api/pinhole/v1/assets/" + id + "/xmp", {}, {}});
        if (xmp && xmp->body.empty()) {
            fs::remove(fs::path(dir) / sidecar, ec);
            sidecar.clear();
        } else if (xmp) {
            PINHOLE_TRY(writeFileAtomically((fs::path(dir) / sidecar).string(), xmp->body));
            ++report.sidecars;
        } else if (xmp.status().code() == Code::Unprocessable) {
            // XMP cannot hold it (a tag level with '|'): annotations.json still does.
            report.warnings.push_back("no XMP sidecar for " + *file + ": " + xmp.status().message());
            sidecar.clear();
        } else {
            return xmp.status();
        }

        auto annotations = m_api.annotationsOf(id);
        if (!annotations)
            return annotations.status();
        for (const auto& a : *annotations) {
            const auto& row = objectOf(a);
            const auto* version = row.if_contains("schema_version");
            annotationsOut.push_back(json::object{
                {"asset_sha256", sha},
                {"schema", stringOf(row, "schema")},
                {"schema_version", version ? *version : json::value(1)},
                {"payload", row.contains("payload") ? row.at("payload") : json::value(json::object{})},
                {"writer", row.contains("writer") ? row.at("writer") : json::value(nullptr)},
                {"created_at", stringOf(row, "created_at")},
                {"updated_at", stringOf(row, "updated_at")},
            });
            ++report.annotations;
            schemasUsed.insert(stringOf(row, "schema"));
        }

        json::object entry{
            {"sha256", sha},
            {"file", *file},
            {"sidecar", sidecar.empty() ? json::value(nullptr) : json::value(sidecar)},
            {"title", stringOf(asset, "title")},
            {"description", stringOf(asset, "description")},
            {"favourite", boolOf(asset, "favourite")},
            {"taken_at", asset.contains("taken_at") ? asset.at("taken_at") : json::value(nullptr)},
            {"taken_at_corrected", boolOf(asset, "taken_at_corrected")},
            {"width", asset.contains("width") ? asset.at("width") : json::value(nullptr)},
            {"height", asset.contains("height") ? asset.at("height") : json::value(nullptr)},
            {"source_id", id},
        };
        assetsOut.push_back(std::move(entry));
    }
    progress("originals", report.assets, total);
    PINHOLE_TRY(writeJsonAtomically((fs::path(dir) / kAssetsFile).string(), json::object{{"assets", assetsOut}}));

    // The custom (non built-in) schemas the annotations use, every version, so an import can
    // register them before it writes annotations of theirs.
    json::array schemasOut;
    auto schemas = m_api.getJson("/api/pinhole/v1/schemas");
    if (!schemas)
        return schemas.status();
    if (schemas->is_array())
        for (const auto& s : schemas->as_array())
            if (!boolOf(objectOf(s), "builtin") && schemasUsed.count(stringOf(objectOf(s), "name")))
                schemasOut.push_back(s);
    PINHOLE_TRY(writeJsonAtomically((fs::path(dir) / kAnnotationsFile).string(),
                                    json::object{{"schemas", schemasOut}, {"annotations", annotationsOut}}));

    auto albumsOut = albums(shaById);
    if (!albumsOut)
        return albumsOut.status();
    report.albums = static_cast<int>(albumsOut->size());
    PINHOLE_TRY(writeJsonAtomically((fs::path(dir) / kAlbumsFile).string(), json::object{{"albums", *albumsOut}}));

    auto postsOut = posts(accountId, shaById, report);
    if (!postsOut)
        return postsOut.status();
    report.posts = static_cast<int>(postsOut->size());
    PINHOLE_TRY(writeJsonAtomically((fs::path(dir) / kPostsFile).string(), json::object{{"posts", *postsOut}}));

    PINHOLE_TRY(writeJsonAtomically((fs::path(dir) / kManifestFile).string(),
                                    json::object{
                                        {"format", std::string(kFormatName)},
                                        {"version", kFormatVersion},
                                        {"exported_at_ms", wallMillis()},
                                        {"server", m_api.baseUrl()},
                                        {"username", stringOf(account, "username")},
                                        {"complete", report.errors.empty()},
                                        {"counts", json::object{{"assets", assetsOut.size()},
                                                                {"annotations", report.annotations},
                                                                {"albums", report.albums},
                                                                {"posts", report.posts},
                                                                {"comments", report.comments}}},
                                    }));
    return report;
}

} // namespace pinhole::sync::exporting
