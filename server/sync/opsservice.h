// Batched client operations (docs/protocol.md §3): each op has a UUID and an HLC stamp; each is
// applied at most once (store/syncstore.h remembers applied op ids in the transaction of the
// change), in the order given, through the SAME domain services as the Mastodon API (the op id is
// recorded by the services' AlsoInTransaction hook), and answered individually.
//
// Conflict rules (§4): per-field last-writer-wins by HLC for asset fields (sync_field_stamps);
// likes are an add-wins set (an unlike older than the like it would remove is a conflict);
// follow/unfollow last writer by HLC; an edit of something gone is a conflict with no state.
// Albums: the name last-writer-wins by HLC, membership add-wins (a removal older than the latest
// add of that asset is a conflict). Annotations: a tag is an add-wins set member named by its
// label; a rating is the asset's one `rating` annotation, LWW; any other annotation (a region)
// is named by a client-chosen UUID (store/syncstore.h sync_client_ids) and LWW per id, deletes
// included (an older upsert does not bring a deleted one back).
// Threading: stateless; callable from any handler thread.
#pragma once

#include "annotations/annotationservice.h"
#include "core/ids.h"
#include "core/status.h"
#include "library/albumservice.h"
#include "library/libraryservice.h"
#include "media/library.h"
#include "social/followservice.h"
#include "social/statusservice.h"
#include "store/assetstore.h"
#include "store/store.h"

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pinhole::server::sync {

inline constexpr std::size_t kMaxOpsPerBatch = 500;
inline constexpr std::size_t kMaxOpsBodyBytes = 1024 * 1024;
// How far a client's clock may run ahead of the server's before its stamps are refused: further
// ahead, one device's edits would win every conflict for as long.
inline constexpr std::int64_t kMaxClockAheadMillis = 5 * 60 * 1000;
// Stamps before this are a broken clock (2020-01-01T00:00:00Z).
inline constexpr std::int64_t kMinClockMillis = 1577836800000;

struct Op {
    std::string opId; // a UUID, as sent
    std::uint64_t hlc = 0;
    std::string kind;
    boost::json::object payload;
};

// The body {"ops": [...]}: InvalidArgument (400) for malformed JSON, no ops, an op that is not
// an object or lacks a valid op_id; PayloadTooLarge (413) for more than kMaxOpsPerBatch ops. An
// op's other fields (hlc, kind, payload) are judged one by one by apply(), so a bad one is
// refused alone. Total: any bytes give a value or a Status.
Result<std::vector<Op>> parseOps(std::string_view body);
bool isUuid(std::string_view text);

enum class Outcome { Applied, AlreadyApplied, Conflict, Refused };
std::string_view outcomeName(Outcome outcome);

// The server's state an answer carries (`current`), by kind.
struct CurrentState {
    enum class Kind { None, Gone, Asset, Relationship, Like, Album, Annotation } kind = Kind::None;
    std::optional<store::Asset> asset;
    std::optional<store::Album> album;
    std::optional<std::string> albumClientId;
    std::vector<Id> albumAssetIds;
    std::optional<store::AnnotationRow> annotation;
    std::optional<std::string> annotationClientId;
    std::optional<social::Relationship> relationship;
    bool liked = false;
};

struct OpResult {
    std::string opId;
    Outcome outcome = Outcome::Refused;
    std::optional<Id> id; // what the op created or acted on
    std::string reason;   // Refused
    CurrentState current; // Conflict, and Applied where useful
};

class OpsService {
public:
    // The library's services (not owned; all set).
    struct Services {
        library::LibraryService* library = nullptr;
        library::AlbumService* albums = nullptr;
        annotations::AnnotationService* annotations = nullptr;
    };

    OpsService(store::Store& store, social::StatusService& statuses, social::FollowService& follows,
               media::MediaLibrary& media, Services services)
        : m_store(store), m_statuses(statuses), m_follows(follows), m_media(media), m_services(services) {}

    // Applies `ops` in order. Fails as a whole only for a transient failure (a database error):
    // the ops applied before it are remembered, so the client resends the batch.
    Result<std::vector<OpResult>> apply(Id account, const std::vector<Op>& ops);

private:
    Result<OpResult> applyOne(Id account, const Op& op);
    Result<OpResult> updateAsset(Id account, const Op& op);
    Result<OpResult> createStatus(Id account, const Op& op, bool comment);
    Result<OpResult> deleteStatus(Id account, const Op& op, const char* idField);
    Result<OpResult> like(Id account, const Op& op, bool liked);
    Result<OpResult> follow(Id account, const Op& op, bool follows);
    Result<OpResult> favourite(Id account, const Op& op, Id assetId, bool favourite);
    Result<OpResult> trash(Id account, const Op& op, bool trashed);
    Result<OpResult> album(Id account, const Op& op);
    Result<OpResult> annotation(Id account, const Op& op, bool upsert);
    Result<OpResult> rating(Id account, const Op& op, Id assetId, bool upsert);
    Result<OpResult> tag(Id account, const Op& op, Id assetId, bool upsert);
    Result<OpResult> byClientId(Id account, const Op& op, Id assetId, bool upsert);
    // The album an op names: "album_id" a client UUID (sync_client_ids) or a server id; nullopt:
    // it does not exist (any more). `clientId` is set to the UUID when one was given.
    Result<std::optional<Id>> albumOf(Id account, const Op& op, std::optional<std::string>& clientId);
    Result<OpResult> albumConflict(Id account, const Op& op, std::optional<Id> albumId);
    // An id field of the payload: a decimal id, or "op:<op_id>" of an applied op of `account`.
    Result<Id> idField(Id account, const Op& op, std::string_view name);
    store::AlsoInTransaction recorder(Id account, const Op& op);
    // Records an op that needed no change (its effect was there already), in its own transaction.
    Status recordAlone(Id account, const Op& op, Id subject);

    store::Store& m_store;
    social::StatusService& m_statuses;
    social::FollowService& m_follows;
    media::MediaLibrary& m_media;
    Services m_services;
};

} // namespace pinhole::server::sync
