// JSON bodies of POST /api/v1/apps (client_name, redirect_uris as text or array, scopes, website).
#include "fuzzsupport.h"
PINHOLE_FUZZ_JSON_BODY("POST", "/api/v1/apps")
