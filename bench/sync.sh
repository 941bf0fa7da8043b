#!/usr/bin/env bash
# sync: a client 20k changes behind catches up, then one new change arrives.
# The data: pinholed seed with 101 accounts each following 100 others and 20,000 posts, so the
# measured account (user1) may see nearly every post: a first sync of a fresh client streams
# ~20k changes (posts, accounts, relationships). Then another account likes a post in user1's
# feed and the client syncs again: that round's time and request count.
# Targets (PRODUCT.md): catch-up <= 10 s; the one change in one round trip, <= 50 ms.
# Env: PINHOLED, BENCH_SYNC (default build/bench/bench_sync), SYNC_POSTS (default 20000).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

BENCH_SYNC="${BENCH_SYNC:-build/bench/bench_sync}"
POSTS="${SYNC_POSTS:-20000}"
[ -x "$PINHOLED" ] && [ -x "$BENCH_SYNC" ] || { echo "sync: build pinholed and bench_sync first" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/sync-bench.XXXXXX")
trap 'bench_stop_server; rm -rf "$work"' EXIT
seed_out=$("$PINHOLED" seed --data-dir "$work/data" --users 101 --follows 100 --posts "$POSTS" \
  --tokens 3 --tokens-file "$work/tokens.txt")
password=$(printf '%s\n' "$seed_out" | sed -n 's/.*(password: \(.*\)).*/\1/p' | head -1)
bench_start_server "$work/data"
user=$(sed -n 2p "$work/tokens.txt" | cut -d' ' -f1)
other=$(sed -n 3p "$work/tokens.txt" | cut -d' ' -f2)
figures=$("$BENCH_SYNC" "$SERVER_URL" "$user" "$password" "$work/client.db" "$other")
figures=$(python3 - "$figures" "$POSTS" <<'PY'
import json, sys
f = json.loads(sys.argv[1]); f["seeded_posts"] = int(sys.argv[2])
print(json.dumps(f))
PY
)
targets=$(python3 - "$figures" <<'PY'
import json, sys
f = json.loads(sys.argv[1])
print(json.dumps([
    {"what": "catch-up of a client %d changes behind (s)" % f["catch_up_changes"], "measured": round(f["catch_up_ms"] / 1000, 3),
     "target": "<= 10", "met": f["catch_up_ms"] <= 10000 and f["catch_up_changes"] >= 20000},
    {"what": "one new change: requests in its round", "measured": f["one_change_requests"], "target": "== 1",
     "met": f["one_change_requests"] == 1},
    {"what": "one new change: the round's time (ms)", "measured": round(f["one_change_round_ms"], 3), "target": "<= 50",
     "met": f["one_change_round_ms"] <= 50}]))
PY
)
bench_json sync "$figures" "$targets"
