// JSON bodies of POST /api/v1/accounts (registration: username, email, password, agreement).
#include "fuzzsupport.h"
PINHOLE_FUZZ_JSON_BODY("POST", "/api/v1/accounts")
