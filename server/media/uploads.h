// Resumable uploads by the tus 1.0.0 protocol (core, creation, checksum with sha256,
// termination, expiration): https://tus.io/protocols/resumable-upload.
//
// An upload's bytes go to uploads/<id>.part; its row (store/assetstore.h) holds the offset, which
// moves only after the bytes up to it are fsynced, so a crash or restart resumes from an offset
// that is really on disk (bytes past it are cut off on the next PATCH). When the last byte
// arrives, its offset is recorded (every byte is on disk), then the file is handed to
// MediaLibrary::ingest, and the upload remembers the asset in the asset's own transaction.
//
// State of an upload:  created (offset 0) --append--> partial --append--> all bytes, no asset
//                      --ingest (same PATCH)--> complete (asset_id set)
//                      all bytes, no asset (a crash during ingest) --append of 0 bytes--> complete
//                      any unfinished state --terminate/expireUploads--> gone (row and file)
// A crash while the last PATCH stores the file leaves "all bytes, no asset"; the empty PATCH at
// the full offset finishes it: it stores the file, or finds the asset or the original the
// interrupted ingest already published, and answers with the asset. (Recording the last offset
// only in the asset's commit was tried and lost uploads: a crash after the part file moved left
// the previous offset and no part file to resume.)
// Threading: thread-safe; PATCHes of one upload take turns: a second one waits (up to
// kBusyWait) for the first to finish and then sees the offset it left, never interleaving.
#pragma once

#include "core/ids.h"
#include "core/status.h"
#include "media/library.h"
#include "store/assetstore.h"
#include "store/store.h"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace pinhole::server::media {

// One PATCH carries at most this much: the body is held in memory while it is written, so this
// bounds the memory one upload request can pin. tus clients send files in chunks of this size.
inline constexpr std::size_t kMaxUploadChunk = 16 * 1024 * 1024;
// How long a PATCH waits for another PATCH of the same upload (a client that died and came
// back while its last request is still being stored) before answering Conflict.
inline constexpr std::chrono::seconds kBusyWait{30};

struct UploadProgress {
    store::Upload upload;
    std::optional<Id> assetId; // set once complete
};

class UploadService {
public:
    UploadService(store::Store& store, MediaLibrary& library, std::chrono::hours expiry);

    // `metadataHeader` is tus's Upload-Metadata ("key base64value,key2 base64value2"); the key
    // "sha256" (the file's SHA-256, hex or the raw 32 bytes) makes completion verify the file.
    Result<store::Upload> create(Id ownerId, std::int64_t length, const std::string& metadataHeader);
    // NotFound for someone else's upload.
    Result<store::Upload> get(Id ownerId, std::string_view id);
    // Appends `bytes` at `offset` (which must equal the stored offset: Conflict otherwise).
    // `checksumHeader` is tus's Upload-Checksum ("sha256 <base64>"): on mismatch nothing is kept
    // (Code::ChecksumMismatch). Completing the upload ingests the file.
    Result<UploadProgress> append(Id ownerId, std::string_view id, std::int64_t offset, std::string_view bytes,
                                  const std::string& checksumHeader);
    Status terminate(Id ownerId, std::string_view id);
    // Removes unfinished uploads past their expiry; returns how many.
    Result<int> expireUploads();

    std::chrono::hours expiry() const { return m_expiry; }

private:
    std::string partPath(std::string_view id) const;
    // Stores the complete upload's file as an asset (or finds the asset an interrupted earlier
    // attempt made) and records it on the upload.
    // `fileSha256`: the file's hash when this request already computed it (nullopt: ingest does).
    Result<UploadProgress> complete(Id ownerId, store::Upload upload, const std::optional<std::string>& fileSha256);

    store::Store& m_store;
    MediaLibrary& m_library;
    std::chrono::hours m_expiry;
    std::mutex m_mutex;             // guards m_busy
    std::condition_variable m_idle; // an upload left m_busy
    std::set<std::string> m_busy;   // uploads with a PATCH in progress
};

// Parses tus's Upload-Metadata header into key/value pairs (values base64-decoded).
Result<std::vector<std::pair<std::string, std::string>>> parseUploadMetadata(std::string_view header);

// Parses tus's Upload-Checksum header ("sha256 <base64 of the 32-byte digest>") into the raw
// digest. InvalidArgument for another algorithm or a digest that is not base64 of 32 bytes.
Result<std::string> parseUploadChecksum(std::string_view header);

} // namespace pinhole::server::media
