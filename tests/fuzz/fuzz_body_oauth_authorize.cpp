// JSON bodies of POST /oauth/authorize (the login form: client, redirect, scope, state, credentials).
#include "fuzzsupport.h"
PINHOLE_FUZZ_JSON_BODY("POST", "/oauth/authorize")
