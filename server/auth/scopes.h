// OAuth scopes the Mastodon way: "read", "write", "follow", "push", "admin:read", "admin:write"
// and the granular "read:accounts", "write:statuses", ... A top-level scope grants all of its
// granular children; the legacy "follow" grants read:follows, write:follows, read:blocks,
// write:blocks, read:mutes and write:mutes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace pinhole::server::auth {

std::vector<std::string> splitScopes(std::string_view text);
bool isKnownScope(std::string_view scope);
// Whether a token holding `granted` may act under `required` (e.g. "read:accounts").
bool scopesAllow(std::string_view granted, std::string_view required);
// Whether every scope in `requested` is covered by `allowed` (token scopes within the app's).
bool scopesWithin(std::string_view requested, std::string_view allowed);

} // namespace pinhole::server::auth
