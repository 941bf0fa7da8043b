// Posts (Mastodon statuses), comments (replies), favourites, and the timelines and searches that
// list them. Each change and its event are written in one transaction; visibility is decided by
// social/visibility.h only. Threading: stateless; callable from any handler thread.
#pragma once

#include "core/ids.h"
#include "core/status.h"
#include "social/eventlog.h"
#include "social/paged.h"
#include "social/visibility.h"
#include "store/accountstore.h"
#include "store/assetstore.h"
#include "store/counterstore.h"
#include "store/page.h"
#include "store/statusstore.h"
#include "store/store.h"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pinhole::server::social {

inline constexpr std::size_t kMaxCaption = 2200; // characters, as Instagram
inline constexpr std::size_t kMaxMedia = 10;
inline constexpr std::size_t kMaxTags = 30;
// How long an Idempotency-Key is remembered.
inline constexpr std::int64_t kIdempotencyKeepMillis = 24 * 3600 * 1000;

struct NewStatus {
    std::string text;
    std::vector<Id> mediaIds; // 1-10 ready assets of the author; 0-10 for a comment
    store::Visibility visibility = store::Visibility::Public;
    std::optional<Id> inReplyToId;
    std::optional<std::string> idempotencyKey;
};

// Everything that renders one status for one viewer.
struct StatusView {
    store::StatusRow status;
    store::Account author;
    store::AccountCounts authorCounts;
    std::vector<store::Asset> media;
    store::StatusCounts counts;
    bool favourited = false;
};

struct Thread {
    std::vector<StatusView> ancestors;   // oldest first
    std::vector<StatusView> descendants; // oldest first
};

// The hashtags of a caption: '#' at the start or after a non-word character, then word
// characters (ASCII letters, digits, '_', any non-ASCII); lower-cased, deduplicated, in order.
std::vector<std::string> hashtagsOf(std::string_view text);

class StatusService {
public:
    StatusService(store::Store& store, EventLog& events) : m_store(store), m_events(events) {}

    // Unprocessable for media that is not the author's, not ready, or too many or too few; NotFound
    // for a comment on a status the author may not see. With an Idempotency-Key seen before, the
    // status that request created.
    // `also` joins the change's transaction (with the created status's id; for the others the
    // status acted on), e.g. sync/ recording its op id.
    Result<StatusView> create(Id author, const NewStatus& status, const store::AlsoInTransaction& also = {});
    // NotFound unless the viewer may see it.
    Result<StatusView> get(std::optional<Id> viewer, Id id);
    // The author deletes a status and its comments; NotFound for anyone else.
    Result<StatusView> remove(Id viewer, Id id, const store::AlsoInTransaction& also = {});
    Result<StatusView> favourite(Id viewer, Id id, const store::AlsoInTransaction& also = {});
    Result<StatusView> unfavourite(Id viewer, Id id, const store::AlsoInTransaction& also = {});
    Result<Paged<store::Account>> favouritedBy(std::optional<Id> viewer, Id id, const store::Page& page);
    Result<Thread> context(std::optional<Id> viewer, Id id);

    Result<Paged<StatusView>> accountStatuses(std::optional<Id> viewer, Id account, const store::Page& page,
                                              bool excludeReplies);
    Result<Paged<StatusView>> publicTimeline(std::optional<Id> viewer, const store::Page& page);
    Result<Paged<StatusView>> tagTimeline(std::optional<Id> viewer, const std::string& tag, const store::Page& page);
    // Public posts whose caption contains `query`, as the viewer may see them.
    Result<std::vector<StatusView>> searchStatuses(std::optional<Id> viewer, const std::string& query, int limit);
    Result<std::vector<std::string>> searchTags(const std::string& prefix, int limit);

    Result<store::AccountCounts> accountCounts(Id account);
    // The asset if `viewer` may fetch it: its owner anything, others a derivative (never the
    // `original`) of a photo in a post they may see. NotFound otherwise, as for no asset.
    Result<store::Asset> viewableAsset(std::optional<Id> viewer, Id assetId, bool original);
    // Of `ids`, the statuses `access` may see, in the same order. A status for which `rendered`
    // answers true comes with its row, author and `favourited` only (no counts, no media): the
    // caller holds the rest rendered already (api/mastodon/statuscache.h).
    Result<std::vector<StatusView>> views(store::Database& db, Access& access, const std::vector<Id>& ids,
                                          const std::function<bool(const store::StatusRow&)>& rendered = {});

private:
    Result<Paged<StatusView>> pageOf(store::Database& db, Access& access, const Result<std::vector<Id>>& ids);

    store::Store& m_store;
    EventLog& m_events;
};

} // namespace pinhole::server::social
