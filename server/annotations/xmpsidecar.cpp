#include "annotations/xmpsidecar.h"

#include "media/xmp.h"

#include <boost/json.hpp>

#include <map>

namespace json = boost::json;

namespace pinhole::server::annotations {

namespace {

constexpr char kTagSeparator = '/';
constexpr int kPageSize = 500;

std::vector<std::string> tagPath(std::string_view label) {
    std::vector<std::string> levels;
    std::size_t start = 0;
    while (start <= label.size()) {
        const std::size_t at = std::min(label.find(kTagSeparator, start), label.size());
        if (at > start)
            levels.emplace_back(label.substr(start, at - start));
        start = at + 1;
    }
    return levels;
}

std::string tagLabel(const std::vector<std::string>& path) {
    std::string label;
    for (const std::string& level : path)
        label += (label.empty() ? "" : std::string(1, kTagSeparator)) + level;
    return label;
}

std::string mwgType(std::string_view kind) {
    if (kind == "face")
        return "Face";
    if (kind == "pet")
        return "Pet";
    return "";
}

std::string regionKind(std::string_view mwgType) {
    if (mwgType == "Face")
        return "face";
    if (mwgType == "Pet")
        return "pet";
    return "object";
}

double number(const json::object& o, const char* key) {
    const auto* v = o.if_contains(key);
    return v && v->is_number() ? v->to_number<double>() : 0.0;
}

// Every annotation of the asset the viewer may read.
Result<std::vector<store::AnnotationRow>> allAnnotations(AnnotationService& annotations, std::optional<Id> viewer,
                                                         Id assetId) {
    std::vector<store::AnnotationRow> all;
    for (Id after = 0;;) {
        auto page = annotations.list(viewer, assetId, std::nullopt, after, kPageSize);
        if (!page)
            return page.status();
        all.insert(all.end(), page->begin(), page->end());
        if (page->size() < static_cast<std::size_t>(kPageSize))
            return all;
        after = page->back().id;
    }
}

// The writer of an asset's imports: a batch replaces its key's annotations on every asset, so
// the key names the asset.
std::string writerOf(Id assetId) { return std::string(kXmpWriterPrefix) + idToString(assetId); }

// Replaces, schema by schema, the annotations the asset's previous import wrote with `items`:
// every batch is staged first and committed only when all were accepted, so a value no schema
// accepts changes nothing.
Status replaceImported(AnnotationService& annotations, Id account, Id assetId,
                       const std::map<std::string, std::vector<NewItem>>& items) {
    std::vector<Id> staged;
    const auto abortAll = [&] {
        for (Id op : staged)
            (void)annotations.abort(account, op);
    };
    for (const auto& [schema, batch] : items) {
        auto op = annotations.openOperation(account, schema, writerOf(assetId));
        if (!op) {
            abortAll();
            return op.status();
        }
        staged.push_back(op->id);
        for (std::size_t from = 0; from < batch.size(); from += kMaxItemsPerRequest) {
            const auto to = std::min(batch.size(), from + kMaxItemsPerRequest);
            if (auto added = annotations.addItems(account, op->id, {batch.begin() + long(from), batch.begin() + long(to)});
                !added) {
                abortAll();
                return added.status();
            }
        }
    }
    for (Id op : staged)
        if (auto committed = annotations.commit(account, op); !committed)
            return committed.status();
    return Status::ok();
}

} // namespace

Result<std::string> exportXmp(AnnotationService& annotations, std::optional<Id> viewer, const store::Asset& asset) {
    auto rows = allAnnotations(annotations, viewer, asset.id);
    if (!rows)
        return rows.status();
    media::XmpSidecar sidecar;
    sidecar.width = asset.width.value_or(0);
    sidecar.height = asset.height.value_or(0);
    // One caption and one rating in a sidecar: the most recently updated wins.
    std::int64_t captionAt = -1, ratingAt = -1;
    for (const auto& row : *rows) {
        boost::system::error_code ec;
        const json::value parsed = json::parse(row.payload, ec);
        if (ec || !parsed.is_object())
            continue;
        const json::object& p = parsed.get_object();
        const auto text = [&](const char* key) {
            const auto* v = p.if_contains(key);
            return v && v->is_string() ? std::string(v->get_string()) : std::string();
        };
        if (row.schemaName == "tag") {
            if (auto path = tagPath(text("label")); !path.empty())
                sidecar.tags.push_back(std::move(path));
        } else if (row.schemaName == "caption" && row.updatedAt > captionAt) {
            captionAt = row.updatedAt;
            sidecar.caption = text("text");
        } else if (row.schemaName == "rating" && row.updatedAt > ratingAt) {
            ratingAt = row.updatedAt;
            const auto value = static_cast<int>(number(p, "value"));
            sidecar.rating = value == 0 ? -1 : value;
        } else if (row.schemaName == "region") {
            const auto* box = p.if_contains("box");
            if (!box || !box->is_object())
                continue;
            const json::object& b = box->get_object();
            sidecar.regions.push_back(
                {text("label"), mwgType(text("kind")), {number(b, "x"), number(b, "y"), number(b, "w"), number(b, "h")}});
        }
    }
    auto packet = media::writeXmp(sidecar);
    if (!packet && packet.status().code() == Code::InvalidArgument)
        return unprocessable("the photo's annotations cannot be written as XMP: " + packet.status().message());
    return packet;
}

Result<XmpImportSummary> importXmp(AnnotationService& annotations, Id account, const store::Asset& asset,
                                   std::string_view packet) {
    auto sidecar = media::readXmp(packet);
    if (!sidecar)
        return unprocessable("the XMP sidecar cannot be imported: " + sidecar.status().message());
    XmpImportSummary summary;
    std::map<std::string, std::vector<NewItem>> items{{"tag", {}}, {"caption", {}}, {"rating", {}}, {"region", {}}};
    const auto item = [&](json::object payload) { return NewItem{asset.id, std::nullopt, std::move(payload)}; };
    for (const auto& path : sidecar->tags)
        items["tag"].push_back(item({{"label", tagLabel(path)}}));
    summary.tags = static_cast<int>(items["tag"].size());
    if (sidecar->caption) {
        items["caption"].push_back(item({{"text", *sidecar->caption}}));
        summary.caption = true;
    }
    // xmp:Rating 0 means "not rated": no annotation.
    if (sidecar->rating && *sidecar->rating != 0) {
        const int value = *sidecar->rating < 0 ? 0 : *sidecar->rating;
        items["rating"].push_back(item({{"value", value}}));
        summary.rating = value;
    }
    for (const auto& r : sidecar->regions) {
        if (r.area.w <= 0 || r.area.h <= 0) {
            ++summary.skippedRegions;
            continue;
        }
        json::object payload{{"box", {{"x", r.area.x}, {"y", r.area.y}, {"w", r.area.w}, {"h", r.area.h}}},
                             {"kind", regionKind(r.type)}};
        if (!r.name.empty())
            payload["label"] = r.name;
        items["region"].push_back(item(std::move(payload)));
    }
    summary.regions = static_cast<int>(items["region"].size());
    PINHOLE_TRY(replaceImported(annotations, account, asset.id, items));
    return summary;
}

} // namespace pinhole::server::annotations
