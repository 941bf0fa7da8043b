// JSON bodies of POST /api/pinhole/v1/annotations/operations/:id/items on an open batch operation
// of the caller (schema tag): a list of {asset_id, version, payload}.
#include "fuzzsupport.h"
PINHOLE_FUZZ_JSON_BODY("POST", "/api/pinhole/v1/annotations/operations/{operation}/items")
