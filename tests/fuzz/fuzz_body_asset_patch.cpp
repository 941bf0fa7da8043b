// JSON bodies of PATCH /api/pinhole/v1/assets/:id (title, description, favourite, taken_at) on a photo of the caller.
#include "fuzzsupport.h"
PINHOLE_FUZZ_JSON_BODY("PATCH", "/api/pinhole/v1/assets/{asset}")
