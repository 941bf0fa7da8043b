// JSON bodies of POST /api/pinhole/v1/assets/check ({"sha256": [...]}).
#include "fuzzsupport.h"
PINHOLE_FUZZ_JSON_BODY("POST", "/api/pinhole/v1/assets/check")
