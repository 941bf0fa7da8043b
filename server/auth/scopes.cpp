#include "auth/scopes.h"

#include <algorithm>
#include <array>

namespace pinhole::server::auth {

namespace {
constexpr std::array<std::string_view, 6> kTopLevel{"read", "write", "follow", "push", "admin:read", "admin:write"};
constexpr std::array<std::string_view, 6> kFollowGrants{"read:follows", "write:follows", "read:blocks",
                                                        "write:blocks", "read:mutes",    "write:mutes"};
constexpr std::array<std::string_view, 21> kGranular{
    "read:accounts", "read:blocks",         "read:bookmarks",     "read:favourites", "read:filters",  "read:follows",
    "read:lists",    "read:mutes",          "read:notifications", "read:search",     "read:statuses", "write:accounts",
    "write:blocks",  "write:bookmarks",     "write:favourites",   "write:filters",   "write:follows", "write:media",
    "write:mutes",   "write:notifications", "write:statuses"};

bool contains(const auto& list, std::string_view s) {
    return std::find(list.begin(), list.end(), s) != list.end();
}
} // namespace

std::vector<std::string> splitScopes(std::string_view text) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && (text[i] == ' ' || text[i] == '+' || text[i] == ','))
            ++i;
        std::size_t j = i;
        while (j < text.size() && text[j] != ' ' && text[j] != '+' && text[j] != ',')
            ++j;
        if (j > i)
            out.emplace_back(text.substr(i, j - i));
        i = j;
    }
    return out;
}

bool isKnownScope(std::string_view scope) {
    return contains(kTopLevel, scope) || contains(kGranular, scope);
}

bool scopesAllow(std::string_view granted, std::string_view required) {
    const auto parent = required.substr(0, required.find(':'));
    for (const auto& g : splitScopes(granted)) {
        if (g == required || (g == parent && !required.starts_with("admin:")))
            return true;
        if (g == "follow" && contains(kFollowGrants, required))
            return true;
    }
    return false;
}

bool scopesWithin(std::string_view requested, std::string_view allowed) {
    for (const auto& r : splitScopes(requested))
        if (!scopesAllow(allowed, r))
            return false;
    return true;
}

} // namespace pinhole::server::auth
