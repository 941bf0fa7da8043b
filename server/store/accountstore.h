// SQL for the accounts aggregate. Callers pass the connection (and hold any transaction).
#pragma once

#include "core/ids.h"
#include "core/status.h"
#include "store/database.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pinhole::server::store {

struct Account {
    Id id = 0;
    std::string username;
    std::optional<std::string> email;
    std::string displayName;
    std::string note;
    bool locked = false;
    bool hideCollections = false; // followers/following lists shown to the owner only
    // The avatar's file (media/library.h avatarPath), named by its SHA-256; none: the default.
    std::optional<std::string> avatarSha256;
    bool isAdmin = false;
    bool approved = true;
    std::string passwordHash;
    std::int64_t createdAt = 0; // Unix ms
    std::int64_t updatedAt = 0;
};

// Conflict if the username (case-insensitively) or e-mail is taken.
Status insertAccount(Database& db, const Account& account);
Result<Account> accountById(Database& db, Id id);
// The accounts of `ids` that exist, in no particular order.
Result<std::vector<Account>> accountsByIds(Database& db, const std::vector<Id>& ids);
Result<Account> accountByUsername(Database& db, std::string_view username);
Result<Account> accountByEmail(Database& db, std::string_view email);
Status updateProfile(Database& db, const Account& account);
Status updatePasswordHash(Database& db, Id id, const std::string& hash, std::int64_t now);
Status setApproved(Database& db, Id id, bool approved);
std::int64_t countAccounts(Database& db);

} // namespace pinhole::server::store
