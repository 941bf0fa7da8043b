#include "annotations/xmpexport.h"

#include "annotations/xmpsidecar.h"
#include "media/atomicwrite.h"
#include "store/assetstore.h"

#include <boost/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace json = boost::json;
namespace fs = std::filesystem;

namespace pinhole::server::annotations {

namespace {

constexpr int kPage = 200;
constexpr const char* kProgressFile = "progress.json";

std::span<const unsigned char> bytesOf(std::string_view text) {
    return {reinterpret_cast<const unsigned char*>(text.data()), text.size()};
}

bool sameContent(const fs::path& path, std::string_view bytes) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return false;
    std::ostringstream current;
    current << in.rdbuf();
    return current.str() == bytes;
}

Status writeProgress(const std::string& dir, const XmpExportProgress& p, bool finished) {
    const std::string text = json::serialize(json::object{{"done", p.done},
                                                          {"total", p.total},
                                                          {"written", p.written},
                                                          {"unchanged", p.unchanged},
                                                          {"skipped", p.skipped},
                                                          {"finished", finished}});
    return media::writeFileAtomically(dir, kProgressFile, bytesOf(text));
}

} // namespace

std::string xmpExportPayload(const XmpExportRequest& request) {
    return json::serialize(json::object{{"account_id", idToString(request.accountId)}, {"dir", request.dir}});
}

Result<XmpExportRequest> xmpExportRequestOf(const std::string& payload) {
    boost::system::error_code ec;
    auto value = json::parse(payload, ec);
    const auto* object = ec ? nullptr : value.if_object();
    XmpExportRequest request;
    const auto* account = object ? object->if_contains("account_id") : nullptr;
    const auto* dir = object ? object->if_contains("dir") : nullptr;
    if (!account || !account->is_string() || !idFromString(account->get_string()))
        return invalidArgument("export-xmp payload: account_id: required, an id");
    if (!dir || !dir->is_string() || dir->get_string().empty())
        return invalidArgument("export-xmp payload: dir: required, a folder");
    request.accountId = *idFromString(account->get_string());
    request.dir = std::string(dir->get_string());
    return request;
}

Result<XmpExportProgress> exportAccountXmp(store::Store& store, AnnotationService& annotations,
                                           const XmpExportRequest& request) {
    std::error_code ec;
    fs::create_directories(request.dir, ec);
    if (ec)
        return internalError("export-xmp: cannot create " + request.dir + ": " + ec.message());

    // The account's photos, page by page, on a connection held only while a page is read.
    std::vector<store::Asset> assets;
    store::AssetQuery query;
    query.ownerId = request.accountId;
    query.limit = kPage;
    for (;;) {
        auto db = store.connection();
        if (!db)
            return db.status();
        auto page = store::listAssets(**db, query);
        if (!page)
            return page.status();
        assets.insert(assets.end(), page->assets.begin(), page->assets.end());
        if (page->assets.size() < static_cast<std::size_t>(kPage))
            break;
        query.after = store::AssetQuery::Cursor{page->keys.back(), page->assets.back().id};
    }

    XmpExportProgress progress;
    progress.total = static_cast<int>(assets.size());
    PINHOLE_TRY(writeProgress(request.dir, progress, false));
    for (const auto& asset : assets) {
        auto xmp = exportXmp(annotations, request.accountId, asset);
        if (!xmp && xmp.status().code() == Code::Unprocessable) {
            ++progress.skipped;
            ++progress.done;
            continue;
        }
        if (!xmp)
            return xmp.status();
        const std::string name = asset.sha256 + ".xmp";
        if (sameContent(fs::path(request.dir) / name, *xmp)) {
            ++progress.unchanged;
        } else {
            PINHOLE_TRY(media::writeFileAtomically(request.dir, name, bytesOf(*xmp)));
            ++progress.written;
        }
        ++progress.done;
        PINHOLE_TRY(writeProgress(request.dir, progress, false));
    }
    PINHOLE_TRY(writeProgress(request.dir, progress, true));
    PINHOLE_TRY(media::syncDirectory(request.dir));
    return progress;
}

} // namespace pinhole::server::annotations
