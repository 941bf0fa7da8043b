#!/usr/bin/env bash
# fanout: one post by an author with 10k followers (pinholed seed --fans), 30 times: the latency
# of POST /api/v1/statuses, and the time from sending it until a follower's home feed shows it
# (fan-out writes every follower's row in one transaction, so one follower stands for all).
# Targets (PRODUCT.md): visible in every follower's feed within 1 s; post p99 <= 50 ms.
# Env: PINHOLED (default build/server/pinholed), FANOUT_FOLLOWERS (default 10000), FANOUT_POSTS.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

FOLLOWERS="${FANOUT_FOLLOWERS:-10000}"
POSTS="${FANOUT_POSTS:-30}"
[ -x "$PINHOLED" ] || { echo "fanout: no $PINHOLED (build pinholed)" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/fanout-bench.XXXXXX")
trap 'bench_stop_server; rm -rf "$work"' EXIT
"$PINHOLED" seed --data-dir "$work/data" --users $((FOLLOWERS + 1)) --follows 0 --posts 0 --fans "$FOLLOWERS" \
  --tokens 2 --tokens-file "$work/tokens.txt" >/dev/null
bench_start_server "$work/data"
author=$(sed -n 1p "$work/tokens.txt" | cut -d' ' -f2)
follower=$(sed -n 2p "$work/tokens.txt" | cut -d' ' -f2)
vips gaussnoise "$work/photo.jpg" 640 480
media=$(curl -sf -H "Authorization: Bearer $author" -F "file=@$work/photo.jpg" "$SERVER_URL/api/v1/media" |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')

figures=$(python3 - "$SERVER_URL" "$author" "$follower" "$media" "$POSTS" "$FOLLOWERS" <<'PY'
import http.client, json, sys, time, urllib.parse
url, author, follower, media, posts, followers = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), int(sys.argv[6])
host = urllib.parse.urlparse(url).netloc
poster, reader = http.client.HTTPConnection(host), http.client.HTTPConnection(host)
def call(conn, method, path, token, body=None):
    headers = {"Authorization": "Bearer " + token}
    if body is not None:
        headers["Content-Type"] = "application/json"
    conn.request(method, path, body=body, headers=headers)
    r = conn.getresponse()
    data = r.read()
    assert r.status == 200, (r.status, data)
    return json.loads(data)
post_ms, visible_ms = [], []
for i in range(posts):
    body = json.dumps({"status": "fanout %d" % i, "media_ids": [media]})
    start = time.perf_counter()
    status = call(poster, "POST", "/api/v1/statuses", author, body)
    posted = time.perf_counter()
    while not any(s["id"] == status["id"] for s in call(reader, "GET", "/api/v1/timelines/home?limit=1", follower)):
        pass
    seen = time.perf_counter()
    post_ms.append((posted - start) * 1000)
    visible_ms.append((seen - start) * 1000)
def pct(values, p):
    v = sorted(values)
    return round(v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))], 3)
print(json.dumps({"followers": followers, "posts": posts,
                  "post_ms": {"p50": pct(post_ms, 50), "p99": pct(post_ms, 99), "max": round(max(post_ms), 3)},
                  "visible_ms": {"p50": pct(visible_ms, 50), "p99": pct(visible_ms, 99), "max": round(max(visible_ms), 3)}}))
PY
)
targets=$(python3 - "$figures" <<'PY'
import json, sys
f = json.loads(sys.argv[1])
print(json.dumps([
    {"what": "slowest time until a follower's feed shows the post (ms)", "measured": f["visible_ms"]["max"],
     "target": "<= 1000", "met": f["visible_ms"]["max"] <= 1000},
    {"what": "POST /api/v1/statuses p99 (ms)", "measured": f["post_ms"]["p99"], "target": "<= 50",
     "met": f["post_ms"]["p99"] <= 50}]))
PY
)
bench_json fanout "$figures" "$targets"
