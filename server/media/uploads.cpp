#include "media/uploads.h"

#include "auth/crypto.h"
#include "core/clock.h"
#include "core/digest.h"
#include "core/log.h"
#include "media/imageprobe.h"

#include <sodium.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>

namespace pinhole::server::media {

namespace {

std::optional<std::string> base64Decode(std::string_view text) {
    std::string out(text.size(), '\0');
    std::size_t len = 0;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), nullptr,
                          &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0)
        return std::nullopt;
    out.resize(len);
    return out;
}

// Fault injection for tests only: PINHOLE_TEST_UPLOAD_WRITE_DELAY_MS makes each chunk's write
// wait that long before it starts — a slow disk, so that tst_e2e_crash's random kills often fall
// inside a PATCH, between the request and the offset it records. Unset (0) everywhere else.
std::chrono::milliseconds testWriteDelay() {
    static const std::chrono::milliseconds delay = [] {
        const char* value = std::getenv("PINHOLE_TEST_UPLOAD_WRITE_DELAY_MS");
        return std::chrono::milliseconds(value ? std::max(0, std::atoi(value)) : 0);
    }();
    return delay;
}

// Writes `bytes` at `offset` of the file at `path` durably, first cutting off anything past
// `offset` (left by a crash after a write but before its offset was recorded).
Status writeAt(const std::string& path, std::int64_t offset, std::string_view bytes) {
    if (testWriteDelay().count() > 0)
        std::this_thread::sleep_for(testWriteDelay());
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return internalError("cannot open upload file");
    Status status;
    if (::ftruncate(fd, offset) != 0) {
        status = internalError("cannot truncate upload file");
    } else {
        std::size_t done = 0;
        while (done < bytes.size()) {
            const ssize_t n = ::pwrite(fd, bytes.data() + done, bytes.size() - done, offset + static_cast<off_t>(done));
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                status = internalError("cannot write upload file (disk full?)");
                break;
            }
            done += static_cast<std::size_t>(n);
        }
        if (status && ::fdatasync(fd) != 0)
            status = internalError("cannot sync upload file");
    }
    ::close(fd);
    return status;
}

} // namespace

Result<std::vector<std::pair<std::string, std::string>>> parseUploadMetadata(std::string_view header) {
    std::vector<std::pair<std::string, std::string>> out;
    while (!header.empty()) {
        const std::size_t comma = header.find(',');
        std::string_view pair = header.substr(0, comma);
        header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
        while (!pair.empty() && pair.front() == ' ')
            pair.remove_prefix(1);
        while (!pair.empty() && pair.back() == ' ')
            pair.remove_suffix(1);
        if (pair.empty())
            continue;
        const std::size_t space = pair.find(' ');
        const std::string key(pair.substr(0, space));
        if (key.empty() || key.size() > 64)
            return invalidArgument("Upload-Metadata: bad key");
        std::string value;
        if (space != std::string_view::npos) {
            auto decoded = base64Decode(pair.substr(space + 1));
            if (!decoded)
                return invalidArgument("Upload-Metadata: the value of " + key + " is not base64");
            value = std::move(*decoded);
        }
        out.emplace_back(key, std::move(value));
    }
    return out;
}

Result<std::string> parseUploadChecksum(std::string_view header) {
    const auto space = header.find(' ');
    if (header.substr(0, space) != "sha256")
        return invalidArgument("Upload-Checksum: only sha256 is supported");
    auto digest = base64Decode(space == std::string_view::npos ? std::string_view() : header.substr(space + 1));
    if (!digest || digest->size() != 32)
        return invalidArgument("Upload-Checksum: the digest is not base64 of 32 bytes");
    return std::move(*digest);
}

UploadService::UploadService(store::Store& store, MediaLibrary& library, std::chrono::hours expiry)
    : m_store(store), m_library(library), m_expiry(expiry) {}

std::string UploadService::partPath(std::string_view id) const {
    return m_library.uploadsDir() + "/" + std::string(id) + ".part";
}

Result<store::Upload> UploadService::create(Id ownerId, std::int64_t length, const std::string& metadataHeader) {
    if (length <= 0)
        return invalidArgument("Upload-Length must be a positive number of bytes");
    if (static_cast<std::uint64_t>(length) > kMaxImageFileBytes)
        return Status(Code::PayloadTooLarge, "uploads are limited to " + std::to_string(kMaxImageFileBytes) + " bytes");
    if (metadataHeader.size() > 4096)
        return invalidArgument("Upload-Metadata is too long");
    auto metadata = parseUploadMetadata(metadataHeader);
    if (!metadata)
        return metadata.status();
    (void)expireUploads(); // sweep lazily: cheap (indexed), and bounded by what has expired

    store::Upload u;
    u.id = auth::randomToken().substr(0, 32);
    u.ownerId = ownerId;
    u.length = length;
    u.metadata = metadataHeader;
    for (const auto& [key, value] : *metadata) {
        if (key != "sha256")
            continue;
        if (value.size() == 32)
            u.declaredSha256 = toHex(value);
        else if (isSha256Hex(value))
            u.declaredSha256 = value;
        else
            return invalidArgument("Upload-Metadata: sha256 must be 64 hex digits or 32 bytes");
    }
    u.createdAt = nowMillis();
    u.expiresAt = u.createdAt + std::chrono::duration_cast<std::chrono::milliseconds>(m_expiry).count();
    auto db = m_store.connection();
    if (!db)
        return db.status();
    PINHOLE_TRY(store::insertUpload(**db, u));
    return u;
}

Result<store::Upload> UploadService::get(Id ownerId, std::string_view id) {
    if (id.empty() || id.size() > 64)
        return notFound("upload not found");
    auto db = m_store.connection();
    if (!db)
        return db.status();
    auto upload = store::uploadById(**db, id);
    if (!upload)
        return upload.status();
    if (upload->ownerId != ownerId)
        return notFound("upload not found");
    return upload;
}

Result<UploadProgress> UploadService::append(Id ownerId, std::string_view id, std::int64_t offset,
                                             std::string_view bytes, const std::string& checksumHeader) {
    if (auto upload = get(ownerId, id); !upload)
        return upload.status();
    {
        std::unique_lock lock(m_mutex);
        if (!m_idle.wait_for(lock, kBusyWait, [&] { return !m_busy.contains(std::string(id)); }))
            return conflict("another request is still writing to this upload");
        m_busy.insert(std::string(id));
    }
    struct Release {
        UploadService& s;
        std::string id;
        ~Release() {
            {
                std::lock_guard lock(s.m_mutex);
                s.m_busy.erase(id);
            }
            s.m_idle.notify_all();
        }
    } release{*this, std::string(id)};
    // Read again: a PATCH we waited for may have moved the offset or finished the upload.
    auto upload = get(ownerId, id);
    if (!upload)
        return upload.status();

    if (upload->assetId || upload->offset == upload->length) {
        if (offset != upload->length || !bytes.empty())
            return conflict("the upload is complete");
        if (upload->assetId)
            return UploadProgress{*upload, upload->assetId};
        return complete(ownerId, std::move(*upload), std::nullopt); // all bytes are here, the asset is not
    }
    if (offset != upload->offset)
        return conflict("Upload-Offset " + std::to_string(offset) + " does not match the upload's offset " +
                        std::to_string(upload->offset));
    if (static_cast<std::int64_t>(bytes.size()) > upload->length - upload->offset)
        return Status(Code::PayloadTooLarge, "the data goes past Upload-Length");
    std::optional<std::string> digest; // of `bytes`, once computed
    if (!checksumHeader.empty()) {
        auto expected = parseUploadChecksum(checksumHeader);
        if (!expected)
            return expected.status();
        digest = sha256(bytes);
        if (*digest != *expected)
            return Status(Code::ChecksumMismatch, "Upload-Checksum does not match the data; nothing was stored");
    }

    const std::string path = partPath(id);
    const bool wholeFile = upload->offset == 0 && static_cast<std::int64_t>(bytes.size()) == upload->length;
    PINHOLE_TRY(writeAt(path, upload->offset, bytes));
    upload->offset += static_cast<std::int64_t>(bytes.size());
    {
        auto db = m_store.connection();
        if (!db)
            return db.status();
        PINHOLE_TRY(store::setUploadOffset(**db, id, upload->offset));
    }
    if (upload->offset < upload->length)
        return UploadProgress{*upload, std::nullopt};
    // The last chunk's offset is recorded BEFORE the library takes the part file: a crash while
    // it moves the file into place then leaves "every byte, no asset", which an empty PATCH
    // finishes (complete() finds the asset or the published original). Recording it only in the
    // asset's commit let a crash leave the previous offset with the part file already moved
    // away, and the resent last chunk was written into an empty file (tst_e2e_crash, 460).
    // Bytes that came in one PATCH are hashed once here, not read back and hashed again by ingest.
    std::optional<std::string> fileSha256;
    if (wholeFile)
        fileSha256 = toHex(digest ? *digest : sha256(bytes));
    return complete(ownerId, std::move(*upload), fileSha256);
}

Result<UploadProgress> UploadService::complete(Id ownerId, store::Upload upload,
                                               const std::optional<std::string>& fileSha256) {
    const std::string path = partPath(upload.id);
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
        // A crash after the library took the file: the asset is there under the declared hash,
        // or (the crash fell between publishing the original and committing its row) the
        // original is, and ingesting a copy of it records the asset. Without a declared hash
        // there is nothing to find, and nothing to resume.
        auto db = m_store.connection();
        if (!db)
            return db.status();
        if (upload.declaredSha256) {
            if (auto asset = store::assetByOwnerAndSha(**db, ownerId, *upload.declaredSha256)) {
                PINHOLE_TRY(store::setUploadAsset(**db, upload.id, asset->id));
                upload.assetId = asset->id;
                return UploadProgress{upload, asset->id};
            }
            std::filesystem::copy_file(m_library.originalPath(*upload.declaredSha256), path, ec);
        }
        if (!upload.declaredSha256 || ec) {
            PINHOLE_TRY(store::deleteUpload(**db, upload.id));
            return Status(Code::NotFound, "the upload's file was lost before it became an asset; upload it again");
        }
    }
    // The library takes the file (moves or deletes it); a new asset and the upload's completion
    // are one commit.
    bool recorded = false;
    auto ingested =
        m_library.ingest(ownerId, path, upload.declaredSha256, fileSha256, [&](store::Database& db, Id assetId) {
            recorded = true;
            return store::setUploadAsset(db, upload.id, assetId);
        });
    auto db = m_store.connection();
    if (!db)
        return db.status();
    if (!ingested) {
        // Unusable bytes: the upload is over. The client learns why from this response.
        PINHOLE_TRY(store::deleteUpload(**db, upload.id));
        return ingested.status();
    }
    if (!recorded) // the owner had these bytes already: no new asset, no transaction
        PINHOLE_TRY(store::setUploadAsset(**db, upload.id, ingested->asset.id));
    upload.assetId = ingested->asset.id;
    return UploadProgress{upload, ingested->asset.id};
}

Status UploadService::terminate(Id ownerId, std::string_view id) {
    auto upload = get(ownerId, id);
    if (!upload)
        return upload.status();
    auto db = m_store.connection();
    if (!db)
        return db.status();
    PINHOLE_TRY(store::deleteUpload(**db, id));
    std::error_code ec;
    std::filesystem::remove(partPath(id), ec);
    return Status::ok();
}

Result<int> UploadService::expireUploads() {
    auto db = m_store.connection();
    if (!db)
        return db.status();
    auto expired = store::expiredUploads(**db, nowMillis());
    if (!expired)
        return expired.status();
    for (const auto& id : *expired) {
        PINHOLE_TRY(store::deleteUpload(**db, id));
        std::error_code ec;
        std::filesystem::remove(partPath(id), ec);
        log::info("upload_expired", {{"upload", id}});
    }
    return static_cast<int>(expired->size());
}

} // namespace pinhole::server::media
