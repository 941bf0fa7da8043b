// JSON bodies of PATCH /api/pinhole/v1/albums/:id (name, description, cover_asset_id) on an album of the caller.
#include "fuzzsupport.h"
PINHOLE_FUZZ_JSON_BODY("PATCH", "/api/pinhole/v1/albums/{album}")
