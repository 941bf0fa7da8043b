// JSON bodies of PUT /api/v1/media/:id (description, focus) on a processed photo of the caller.
#include "fuzzsupport.h"
PINHOLE_FUZZ_JSON_BODY("PUT", "/api/v1/media/{asset}")
