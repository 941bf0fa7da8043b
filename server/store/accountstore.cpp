#include "store/accountstore.h"

#include <algorithm>
#include <cctype>

namespace pinhole::server::store {

namespace {

constexpr const char* kColumns =
    "id, username, email, display_name, note, locked, is_admin, approved, password_hash, created_at, updated_at, "
    "hide_collections, avatar_sha256";

std::string lowerAscii(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

// The account of the row `q` stands on.
Account accountOfRow(const Query& q) {
    Account a;
    a.id = q.int64(0);
    a.username = q.text(1);
    if (!q.isNull(2))
        a.email = q.text(2);
    a.displayName = q.text(3);
    a.note = q.text(4);
    a.locked = q.int64(5) != 0;
    a.isAdmin = q.int64(6) != 0;
    a.approved = q.int64(7) != 0;
    a.passwordHash = q.text(8);
    a.createdAt = q.int64(9);
    a.updatedAt = q.int64(10);
    a.hideCollections = q.int64(11) != 0;
    if (!q.isNull(12))
        a.avatarSha256 = q.text(12);
    return a;
}

Result<Account> readOne(Query& q, std::string_view what) {
    auto row = q.step();
    if (!row)
        return row.status();
    if (!*row)
        return notFound(std::string(what) + " not found");
    return accountOfRow(q);
}

} // namespace

Status insertAccount(Database& db, const Account& a) {
    auto q = db.prepare("INSERT INTO accounts (id, username, username_key, email, display_name, note, locked, "
                        "is_admin, approved, password_hash, created_at, updated_at) "
                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
    q.bind(1, a.id).bind(2, a.username).bind(3, lowerAscii(a.username)).bind(4, a.email).bind(5, a.displayName);
    q.bind(6, a.note).bind(7, a.locked).bind(8, a.isAdmin).bind(9, a.approved).bind(10, a.passwordHash);
    q.bind(11, a.createdAt).bind(12, a.updatedAt);
    Status s = q.run();
    if (s.code() == Code::Conflict)
        return conflict(s.message().find("email") != std::string::npos ? "that e-mail address is already registered"
                                                                       : "that username is taken");
    return s;
}

Result<Account> accountById(Database& db, Id id) {
    auto q = db.prepare(std::string("SELECT ") + kColumns + " FROM accounts WHERE id = ?1");
    q.bind(1, id);
    return readOne(q, "account");
}

Result<std::vector<Account>> accountsByIds(Database& db, const std::vector<Id>& ids) {
    std::vector<Account> out;
    if (ids.empty())
        return out;
    auto q =
        db.prepare(std::string("SELECT ") + kColumns + " FROM accounts WHERE id IN (SELECT value FROM json_each(?1))");
    q.bindIds(1, ids);
    for (;;) {
        auto row = q.step();
        if (!row)
            return row.status();
        if (!*row)
            return out;
        out.push_back(accountOfRow(q));
    }
}

Result<Account> accountByUsername(Database& db, std::string_view username) {
    auto q = db.prepare(std::string("SELECT ") + kColumns + " FROM accounts WHERE username_key = ?1");
    q.bind(1, lowerAscii(username));
    return readOne(q, "account");
}

Result<Account> accountByEmail(Database& db, std::string_view email) {
    auto q = db.prepare(std::string("SELECT ") + kColumns + " FROM accounts WHERE email = ?1");
    q.bind(1, email);
    return readOne(q, "account");
}

Status updateProfile(Database& db, const Account& a) {
    auto q = db.prepare("UPDATE accounts SET display_name = ?2, note = ?3, locked = ?4, updated_at = ?5, "
                        "hide_collections = ?6, avatar_sha256 = ?7 WHERE id = ?1");
    q.bind(1, a.id).bind(2, a.displayName).bind(3, a.note).bind(4, a.locked).bind(5, a.updatedAt);
    q.bind(6, a.hideCollections).bind(7, a.avatarSha256);
    return q.run();
}

Status updatePasswordHash(Database& db, Id id, const std::string& hash, std::int64_t now) {
    auto q = db.prepare("UPDATE accounts SET password_hash = ?2, updated_at = ?3 WHERE id = ?1");
    q.bind(1, id).bind(2, hash).bind(3, now);
    return q.run();
}

Status setApproved(Database& db, Id id, bool approved) {
    auto q = db.prepare("UPDATE accounts SET approved = ?2 WHERE id = ?1");
    q.bind(1, id).bind(2, approved);
    return q.run();
}

std::int64_t countAccounts(Database& db) {
    auto q = db.prepare("SELECT count(*) FROM accounts");
    auto row = q.step();
    return row && *row ? q.int64(0) : 0;
}

} // namespace pinhole::server::store
