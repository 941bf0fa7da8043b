// JSON bodies of POST /api/pinhole/v1/albums (name, description).
#include "fuzzsupport.h"
PINHOLE_FUZZ_JSON_BODY("POST", "/api/pinhole/v1/albums")
