// JSON bodies of PATCH /api/v1/accounts/update_credentials (display_name, note, locked, ...).
#include "fuzzsupport.h"
PINHOLE_FUZZ_JSON_BODY("PATCH", "/api/v1/accounts/update_credentials")
