// SQL for the operator's maintenance commands (daemon/admin.cpp: backup, restore, check):
// a consistent copy of a live database, its integrity checks, and the files it references.
#pragma once

#include "core/status.h"
#include "store/database.h"

#include <cstdint>
#include <string>
#include <vector>

namespace pinhole::server::store {

// Copies the whole database behind `source` into a new file at `destPath` with SQLite's online
// backup API: one read transaction, so the copy is the state at one moment, while writers of
// the live database carry on (WAL). REQUIRES: nothing exists at `destPath`.
Status backupDatabase(Database& source, const std::string& destPath);

// What `PRAGMA integrity_check` and `PRAGMA foreign_key_check` report, one line per problem;
// empty when the database is sound.
Result<std::vector<std::string>> integrityProblems(Database& db);

// A file under the data directory that the database says must exist.
struct ReferencedFile {
    enum class Kind { Original, Derivative, Avatar };
    Kind kind = Kind::Original;
    std::string sha256;  // of the original or the avatar (their files are named by it)
    std::string variant; // a derivative's variant ("thumb", ...); empty otherwise
    std::int64_t byteSize = 0; // unknown (-1) for an avatar: its SHA-256 is checked instead
};

// Every original (once per content, whoever owns it), every derivative the assets reference,
// and every account's avatar.
Result<std::vector<ReferencedFile>> referencedFiles(Database& db);

// Removes the rows of unfinished tus uploads (their partial bytes are not part of a backup: the
// client starts them again). Returns how many.
Result<int> dropUnfinishedUploads(Database& db);

} // namespace pinhole::server::store
