// The operator's safety net (`pinholed admin backup|restore|check`).
//
// A backup is a directory:
//   MANIFEST.json        format, creation time, and every file below with its size and SHA-256
//   pinhole.db           the database at one moment (SQLite's online backup: the server may run)
//   media/originals/...  every original the database references
//   media/derived/...    every derivative the database references
//   tls/...              the self-signed certificate and key, when there are some
// Originals are immutable and named by their hash, so copying them after the database snapshot
// gives exactly the snapshot's files (nothing deletes an original yet; when trash purging comes,
// it must keep referenced files until no backup is running). Unfinished tus uploads are left out:
// their clients start them again. Jobs running at the snapshot are queued again in the copy.
//
// Threading: each function is a whole command run on the calling thread.
#pragma once

#include "core/status.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace pinhole::server::maintenance {

// Called now and then during long work with what has been done out of what there is to do.
using Progress = std::function<void(std::int64_t doneFiles, std::int64_t totalFiles, std::int64_t doneBytes)>;

struct BackupSummary {
    std::int64_t files = 0; // the database included
    std::int64_t bytes = 0;
};

// Copies the data directory's database and referenced files into `dest`, which must not exist
// or be an empty directory. Every original is verified against its name while it is copied: a
// corrupt source fails the backup (ChecksumMismatch) after copying the rest, naming the bad files.
Result<BackupSummary> backup(const std::string& dataDir, const std::string& dest, const Progress& progress = {});

// Verifies every file of the backup at `source` against its manifest before writing anything,
// then copies it into `dataDir`, which must not exist or be empty, and opens (and migrates)
// the database.
Result<BackupSummary> restore(const std::string& source, const std::string& dataDir, const Progress& progress = {});

struct CheckReport {
    std::int64_t filesChecked = 0;
    std::vector<std::string> problems; // one line each: what is wrong, and where
};

// Verifies the database (integrity_check, foreign_key_check) and every referenced file: an
// original must hash to its name, a derivative must have its recorded size.
Result<CheckReport> check(const std::string& dataDir, const Progress& progress = {});

} // namespace pinhole::server::maintenance
