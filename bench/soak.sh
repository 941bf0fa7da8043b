#!/usr/bin/env bash
# soak: a steady mixed load against one pinholed for SOAK_SECONDS (default 600: ten minutes) — photo uploads,
# posts, comments, likes and unlikes, home feed reads and sync pulls, each route its own wrk
# process (bench/soak.lua) paced to a fixed delay between requests — while the resident memory,
# open file descriptors, thread count, WAL and database size of the server are sampled every
# SOAK_SAMPLE_SECONDS (default 5). The load runs in windows of SOAK_WINDOW_SECONDS (default 30):
# p50/p99 latency and errors per route per window show latency over time.
# Verdict (targets): no error (every answer 2xx, no socket error, the server never exits); after
# the warm-up (the first SOAK_WARMUP_SECONDS, default 60), the least-squares trend of RSS
# projected over the rest of the run is at most 10% of the mean RSS (or 8 MiB, whichever is
# more), and that of open fds at most 4. The WAL and database grow with the data; reported, with
# the WAL held under 64 MiB (checkpoints keep up).
# The data directory is seeded fresh each run (pinholed seed: 200 users x 20 follows, 2000 posts).
# Env: PINHOLED, SOAK_SECONDS, SOAK_WINDOW_SECONDS, SOAK_SAMPLE_SECONDS, SOAK_WARMUP_SECONDS.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

DURATION="${SOAK_SECONDS:-600}"
WINDOW="${SOAK_WINDOW_SECONDS:-30}"
SAMPLE="${SOAK_SAMPLE_SECONDS:-5}"
WARMUP="${SOAK_WARMUP_SECONDS:-60}"
[ -x "$PINHOLED" ] || { echo "soak: no $PINHOLED (build pinholed)" >&2; exit 1; }
command -v wrk >/dev/null && command -v vips >/dev/null || { echo "soak: needs wrk and vips" >&2; exit 1; }
[ "$DURATION" -ge "$WINDOW" ] || { echo "soak: SOAK_SECONDS must be at least SOAK_WINDOW_SECONDS ($WINDOW)" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/soak-bench.XXXXXX")
SAMPLER_PID=
cleanup() {
  [ -n "$SAMPLER_PID" ] && kill "$SAMPLER_PID" 2>/dev/null && wait "$SAMPLER_PID" 2>/dev/null
  bench_stop_server
  rm -rf "$work"
}
trap cleanup EXIT

"$PINHOLED" seed --data-dir "$work/data" --users 200 --follows 20 --posts 2000 --tokens 40 \
  --tokens-file "$work/tokens.txt" >/dev/null 2>"$work/seed.log"
bench_start_server "$work/data"
vips gaussnoise "$work/photo.jpg" 320 240
first_token=$(head -1 "$work/tokens.txt" | cut -d' ' -f2)

# A photo of each token's account (each post shows one), the seeded posts to like and comment
# on, and the sync client's cursor at the head of its stream.
while read -r _ token; do
  id=$(curl -sf -H "Authorization: Bearer $token" -F file=@"$work/photo.jpg" "$SERVER_URL/api/v2/media" |
    grep -o '"id":"[0-9]*"' | head -1 | tr -dc 0-9)
  echo "$token $id" >> "$work/media.txt"
done < "$work/tokens.txt"
curl -sf -H "Authorization: Bearer $first_token" "$SERVER_URL/api/v1/timelines/public?limit=40" |
  grep -o '"id":"[0-9]*","created_at"' | cut -d'"' -f4 > "$work/posts.txt"
cursor=
while :; do
  last=$(curl -sf -H "Authorization: Bearer $first_token" \
    "$SERVER_URL/api/pinhole/v1/sync/changes?limit=1000&cursor=$cursor" | tail -1)
  cursor=$(echo "$last" | grep -o '"cursor":"[^"]*"' | cut -d'"' -f4)
  case "$last" in *'"more":false'*) break ;; esac
done

# The sampler: "<seconds since start> <VmRSS KiB> <open fds> <threads> <WAL bytes> <db bytes>".
start=$(date +%s.%N)
(
  while kill -0 "$SERVER_PID" 2>/dev/null; do
    now=$(date +%s.%N)
    printf '%s %s %s %s %s %s\n' "$(echo "$now - $start" | bc)" "$(bench_rss_kib "$SERVER_PID")" \
      "$(ls "/proc/$SERVER_PID/fd" | wc -l)" "$(bench_status_kib "$SERVER_PID" Threads)" \
      "$(stat -c %s "$work/data/pinhole.db-wal" 2>/dev/null || echo 0)" "$(stat -c %s "$work/data/pinhole.db")"
    read -r -t "$SAMPLE" <> <(:) || true
  done
) > "$work/samples.txt" &
SAMPLER_PID=$!

# route, connections, delay between a connection's requests (ms): about 45 requests/s in all.
routes="upload 1 500
post 1 250
comment 1 250
like 1 100
feed 2 100
sync 1 200"
windows=$((DURATION / WINDOW))
for w in $(seq 1 "$windows"); do
  pids=()
  while read -r route conns pause; do
    SOAK_ROUTE=$route SOAK_DELAY_MS=$pause SOAK_WINDOW=$w SOAK_TOKENS="$work/tokens.txt" SOAK_POSTS="$work/posts.txt" \
      SOAK_MEDIA="$work/media.txt" SOAK_PHOTO="$work/photo.jpg" SOAK_SYNC_TOKEN="$first_token" SOAK_CURSOR="$cursor" \
      wrk -t1 -c"$conns" -d"${WINDOW}s" --timeout 10s -s bench/soak.lua "$SERVER_URL" > "$work/wrk-$w-$route.out" &
    pids+=($!)
  done <<< "$routes"
  for pid in "${pids[@]}"; do wait "$pid"; done
  at=$(echo "$(date +%s.%N) - $start" | bc)
  for route in $(cut -d' ' -f1 <<< "$routes"); do
    sed -n 's/^WRKJSON //p' "$work/wrk-$w-$route.out" | sed "s/^{/{\"window\": $w, \"end_s\": $at, /"
  done >> "$work/windows.jsonl"
  cursor=$(grep -o '"route": "sync".*"cursor": "[^"]*"' "$work/windows.jsonl" | tail -1 | sed 's/.*"cursor": "\([^"]*\)"/\1/')
  [ -n "$cursor" ] || { echo "soak: the sync route lost its cursor in window $w" >&2; exit 1; }
  echo "soak: window $w/$windows done at ${at%.*} s" >&2
done
alive=1
kill -0 "$SERVER_PID" 2>/dev/null || alive=0
kill "$SAMPLER_PID" 2>/dev/null && wait "$SAMPLER_PID" 2>/dev/null || true
SAMPLER_PID=
warnings=$(grep -c . "$work/data.log" || true)

figures=$(python3 - "$work/samples.txt" "$work/windows.jsonl" "$WARMUP" "$alive" "$warnings" "$DURATION" <<'PY'
import json, statistics, sys
samples = [list(map(float, l.split())) for l in open(sys.argv[1]) if len(l.split()) == 6]
windows = [json.loads(l) for l in open(sys.argv[2])]
warmup, alive, warnings, duration = float(sys.argv[3]), sys.argv[4] == "1", int(sys.argv[5]), int(sys.argv[6])

def trend(col):
    # Least-squares slope (per second) over the samples after the warm-up, and what it adds up
    # to over that span.
    pts = [(s[0], s[col]) for s in samples if s[0] >= warmup]
    if len(pts) < 3:
        return None
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    slope = sum((x - mx) * (y - my) for x, y in pts) / sum((x - mx) ** 2 for x in xs)
    return {"mean": round(my, 1), "min": min(ys), "max": max(ys), "slope_per_min": round(slope * 60, 3),
            "projected_growth": round(slope * (xs[-1] - xs[0]), 1), "span_s": round(xs[-1] - xs[0], 1)}

routes = {}
for w in windows:
    r = routes.setdefault(w["route"], {"requests": 0, "non_2xx": 0, "socket_errors": 0, "windows": []})
    r["requests"] += w["requests"]
    r["non_2xx"] += w["non_2xx"]
    r["socket_errors"] += w["socket_errors"]
    r["windows"].append({"window": w["window"], "end_s": w["end_s"], "rps": w["rps"], "p50_ms": w["p50_ms"],
                         "p99_ms": w["p99_ms"], "max_ms": w["max_ms"]})
for r in routes.values():
    p99 = [x["p99_ms"] for x in r["windows"]]
    r["p99_ms_first_last_worst"] = [p99[0], p99[-1], max(p99)]
print(json.dumps({
    "seconds": duration, "requests": sum(r["requests"] for r in routes.values()),
    "errors": sum(r["non_2xx"] + r["socket_errors"] for r in routes.values()),
    "server_alive_at_end": alive, "server_log_lines_at_warn": warnings, "warmup_s": warmup,
    "rss_kib": trend(1), "open_fds": trend(2), "threads": trend(3), "wal_bytes": trend(4), "db_bytes": trend(5),
    "samples": [{"t_s": s[0], "rss_kib": int(s[1]), "fds": int(s[2]), "threads": int(s[3]), "wal_bytes": int(s[4]),
                 "db_bytes": int(s[5])} for s in samples],
    "routes": routes}))
PY
)
targets=$(python3 - "$figures" <<'PY'
import json, sys
f = json.loads(sys.argv[1])
rss, fds, wal = f["rss_kib"], f["open_fds"], f["wal_bytes"]
rss_bound = max(0.10 * rss["mean"], 8 * 1024)
print(json.dumps([
    {"what": "errors: non-2xx answers and socket errors over every route, the server alive at the end",
     "measured": f["errors"], "target": "0", "met": f["errors"] == 0 and f["server_alive_at_end"]},
    {"what": "RSS growth after warm-up (KiB, least-squares trend over the run)", "measured": rss["projected_growth"],
     "target": "<= %d (10%% of the mean RSS or 8 MiB)" % rss_bound, "met": rss["projected_growth"] <= rss_bound},
    {"what": "open fds growth after warm-up (least-squares trend over the run)", "measured": fds["projected_growth"],
     "target": "<= 4", "met": fds["projected_growth"] <= 4},
    {"what": "largest WAL (bytes): checkpoints keep up", "measured": wal["max"], "target": "<= 64 MiB",
     "met": wal["max"] <= 64 * 1024 * 1024}]))
PY
)
bench_json soak "$figures" "$targets" > /dev/null
python3 - "$BENCH_DIR/soak.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
f = d["figures"]
print("soak: %d s, %d requests, %d errors" % (f["seconds"], f["requests"], f["errors"]))
for name, r in sorted(f["routes"].items()):
    w = r["windows"]
    print("  %-8s %6d requests  p50 %7.1f ms  p99 first/last/worst %s ms" % (
        name, r["requests"], sorted(x["p50_ms"] for x in w)[len(w) // 2], r["p99_ms_first_last_worst"]))
for key in ("rss_kib", "open_fds", "threads", "wal_bytes", "db_bytes"):
    t = f[key]
    print("  %-9s mean %.0f  min %.0f  max %.0f  trend %+.1f over %.0f s" % (key, t["mean"], t["min"], t["max"],
                                                                           t["projected_growth"], t["span_s"]))
for t in d["targets"]:
    print("  [%s] %s: %s (target %s)" % ("met" if t["met"] else "NOT MET", t["what"], t["measured"], t["target"]))
PY
python3 -c 'import json,sys; sys.exit(0 if all(t["met"] for t in json.load(open(sys.argv[1]))["targets"]) else 1)' \
  "$BENCH_DIR/soak.json"
