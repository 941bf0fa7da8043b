// JSON bodies of POST /api/pinhole/v1/schemas: the annotation schema DSL's parser (a name and a
// definition of fields, nested lists, bounds, enums).
#include "fuzzsupport.h"
PINHOLE_FUZZ_JSON_BODY("POST", "/api/pinhole/v1/schemas")
