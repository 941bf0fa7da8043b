// JSON bodies of PATCH /api/pinhole/v1/albums/:id/assets/:asset_id (position): moving a member.
#include "fuzzsupport.h"
PINHOLE_FUZZ_JSON_BODY("PATCH", "/api/pinhole/v1/albums/{album}/assets/{asset}")
