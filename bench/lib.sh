# Shared by the benchmark scripts (source it). Every benchmark writes build/bench/<name>.json:
#   {"name": "...", "machine": "...", "figures": {...}, "targets": [{"what", "measured", "target", "met"}]}
# bench_json NAME FIGURES_JSON TARGETS_JSON writes it (with the machine description) and prints it.
BENCH_DIR="${BENCH_DIR:-build/bench}"
PINHOLED="${PINHOLED:-build/server/pinholed}"

bench_machine() {
  local cpu
  cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
  printf '%s, %s cores, %s MiB RAM, %s' "$cpu" "$(nproc)" "$(( $(grep MemTotal /proc/meminfo | awk '{print $2}') / 1024 ))" "$(uname -r)"
}

bench_json() {
  local name=$1 figures=$2 targets=$3
  mkdir -p "$BENCH_DIR"
  python3 - "$name" "$(bench_machine)" "$figures" "$targets" > "$BENCH_DIR/$name.json" <<'PY'
import json, sys
name, machine, figures, targets = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), json.loads(sys.argv[4])
print(json.dumps({"name": name, "machine": machine, "figures": figures, "targets": targets}, indent=2))
PY
  cat "$BENCH_DIR/$name.json"
}

# Starts pinholed on a free port with data in $1; sets SERVER_PID and SERVER_URL.
bench_start_server() {
  local data=$1; shift
  local out
  out=$(mktemp)
  "$PINHOLED" serve --listen 127.0.0.1:0 --data-dir "$data" --log-level warn "$@" > "$out" 2>"$data.log" &
  SERVER_PID=$!
  for _ in $(seq 1 600); do
    SERVER_URL=$(grep -o 'http[s]*://[^ ]*' "$out" | head -1 || true)
    [ -n "$SERVER_URL" ] && break
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "pinholed exited: $(cat "$data.log")" >&2; return 1; }
    read -r -t 0.1 <> <(:) || true
  done
  rm -f "$out"
  [ -n "$SERVER_URL" ]
}

bench_stop_server() {
  kill -TERM "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
}

# Resident set size of a process in KiB.
# A memory figure of process $1 from /proc/PID/status, in KiB: bench_status_kib PID VmRSS.
bench_status_kib() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
bench_rss_kib() { bench_status_kib "$1" VmRSS; }
