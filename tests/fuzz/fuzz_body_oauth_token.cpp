// JSON bodies of POST /oauth/token: the password, client_credentials and authorization_code grants.
#include "fuzzsupport.h"
PINHOLE_FUZZ_JSON_BODY("POST", "/oauth/token")
