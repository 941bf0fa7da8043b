# Sourced by the crash test's clients (tst_e2e_crash.cpp). Each client runs in the test's
# directory until the file `stop` appears, reads the server's current URL from url.txt (it
# changes with every restart) and logs a request only once it was answered with a 2xx.
# Env: ALICE (a token), CHUNK (tus chunk bytes).
url() { cat url.txt; }
# The first "id" of a JSON answer (the object's own: ids of nested objects come after it).
firstid() { grep -o '"id":"[0-9]*"' | head -n 1 | tr -dc 0-9; }
# One header's value from curl -D - output on stdin.
header() { grep -i "^$1:" | head -n 1 | cut -d: -f2- | tr -d ' \r'; }
# curl as alice, failing on a non-2xx answer; at most 5 s a request (the server may be dead).
api() { curl -sf -m 5 -H "Authorization: Bearer $ALICE" "$@"; }
json() { api -H 'Content-Type: application/json' "$@"; }
# The id of alice's first acknowledged upload (waits for it).
firstUpload() {
  local id=
  while [ -z "$id" ] && [ ! -e stop ]; do id=$(head -n 1 uploads.txt 2>/dev/null | cut -d' ' -f1); done
  echo "$id"
}
