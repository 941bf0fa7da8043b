// JSON bodies of POST /api/pinhole/v1/albums/:id/assets (asset_ids, position) on an album of the caller.
#include "fuzzsupport.h"
PINHOLE_FUZZ_JSON_BODY("POST", "/api/pinhole/v1/albums/{album}/assets")
