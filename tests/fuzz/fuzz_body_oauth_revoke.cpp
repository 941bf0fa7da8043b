// JSON bodies of POST /oauth/revoke (RFC 7009).
#include "fuzzsupport.h"
PINHOLE_FUZZ_JSON_BODY("POST", "/oauth/revoke")
