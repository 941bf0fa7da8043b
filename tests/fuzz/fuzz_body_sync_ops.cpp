// JSON bodies of POST /api/pinhole/v1/sync/ops ({"ops": [{"op_id", "hlc", "kind", "payload"}, ...]}).
#include "fuzzsupport.h"
PINHOLE_FUZZ_JSON_BODY("POST", "/api/pinhole/v1/sync/ops")
