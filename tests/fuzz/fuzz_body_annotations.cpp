// JSON bodies of POST /api/pinhole/v1/assets/:id/annotations on a processed photo of the caller:
// schema, version and a payload validated against the built-in schemas.
#include "fuzzsupport.h"
PINHOLE_FUZZ_JSON_BODY("POST", "/api/pinhole/v1/assets/{asset}/annotations")
