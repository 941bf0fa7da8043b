// The `export-xmp` job: every photo of an account gets its XMP sidecar (annotations/xmpsidecar.h)
// written into an export folder on the server, for digiKam, Lightroom or exiftool to read there
// (an administrator moving a library, a user's photo folder on the same machine):
//
//   <dir>/<sha256>.xmp      one per photo not in the trash, named by its content
//   <dir>/progress.json     {"done", "total", "written", "unchanged", "finished"}: how far it is
//
// Sidecars go into a folder per request rather than next to the stored originals, because equal
// bytes are stored once for every account that has them: a sidecar beside the shared original
// would mix two people's annotations.
//
// Idempotent: a sidecar whose bytes would not change is not rewritten, so a second run (or a
// retry after a crash) writes only what changed. Every file is written atomically.
//
// Threading: runs on a job worker; uses its own connections from the Store.
#pragma once

#include "annotations/annotationservice.h"
#include "core/ids.h"
#include "core/status.h"
#include "store/store.h"

#include <functional>
#include <string>

namespace pinhole::server::annotations {

inline constexpr const char* kXmpExportQueue = "export-xmp";

struct XmpExportRequest {
    Id accountId = 0;
    std::string dir; // absolute; created if missing
};

struct XmpExportProgress {
    int done = 0;
    int total = 0;
    int written = 0;   // sidecars written (new or changed)
    int unchanged = 0; // already there with the same bytes
    int skipped = 0;   // XMP cannot hold its annotations
};

// The job's payload: {"account_id": "<id>", "dir": "<folder>"}.
std::string xmpExportPayload(const XmpExportRequest& request);
Result<XmpExportRequest> xmpExportRequestOf(const std::string& payload);

// Writes the sidecars of every photo of the account, and progress.json after each. A photo
// whose annotations XMP cannot hold (a tag level with '|') is skipped and counted.
Result<XmpExportProgress> exportAccountXmp(store::Store& store, AnnotationService& annotations,
                                           const XmpExportRequest& request);

} // namespace pinhole::server::annotations
