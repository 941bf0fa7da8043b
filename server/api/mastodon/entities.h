// Mastodon's JSON entities (https://docs.joinmastodon.org/entities/), rendered from our rows.
// Ids are strings; times are ISO 8601 with milliseconds.
#pragma once

#include "auth/oauthservice.h"
#include "store/accountstore.h"
#include "store/assetstore.h"
#include "store/counterstore.h"
#include "store/notificationstore.h"

#include "social/followservice.h"
#include "social/notifications.h"
#include "social/statusservice.h"

#include <boost/json/object.hpp>

#include <string>

namespace pinhole::server::api::mastodon {

// Counts come from the counters (social/counters.h).
boost::json::object accountJson(const store::Account& account, const std::string& baseUrl,
                                const store::AccountCounts& counts = {});
// verify_credentials and update_credentials: the Account plus its `source`.
boost::json::object credentialAccountJson(const store::Account& account, const std::string& baseUrl,
                                          const store::AccountCounts& counts = {});
boost::json::object tokenJson(const auth::IssuedToken& token);
// A MediaAttachment; `url` and `preview_url` are null until the derivatives exist.
boost::json::object mediaAttachmentJson(const store::Asset& asset, const std::string& baseUrl);

// A Status: the caption as HTML with linked hashtags, the author, media, counts, and whether the
// viewer favourited it. No `scheduled_at` (clients take its presence for a scheduled status).
boost::json::object statusJson(const social::StatusView& view, const std::string& baseUrl);
boost::json::object relationshipJson(const social::Relationship& r);
boost::json::object notificationJson(const social::NotificationView& n, const std::string& baseUrl);
boost::json::object tagJson(const std::string& name, const std::string& baseUrl);
// The caption as Mastodon's HTML `content`: escaped, paragraphs and line breaks, #tags linked.
std::string captionHtml(std::string_view text, const std::string& baseUrl);

} // namespace pinhole::server::api::mastodon
