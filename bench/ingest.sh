#!/usr/bin/env bash
# ingest: `pinhole-cli import` of 100 distinct ~4 MB JPEGs into a fresh account (hashing, the
# assets/check, tus upload, the server storing and queueing each photo), against `curl` uploading
# the same files (one PUT each, one process, a kept-alive connection) to nginx (WebDAV PUT, which
# writes them to disk) on loopback, in the same run.
# Target (PRODUCT.md): pinhole-cli's throughput >= 70% of curl-to-nginx.
# Env: PINHOLED, PINHOLE_CLI (default build/cli/pinhole-cli), INGEST_FILES (default 100).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

CLI="${PINHOLE_CLI:-build/cli/pinhole-cli}"
FILES="${INGEST_FILES:-100}"
[ -x "$PINHOLED" ] && [ -x "$CLI" ] || { echo "ingest: build pinholed and pinhole-cli first" >&2; exit 1; }
command -v nginx >/dev/null && command -v vips >/dev/null || { echo "ingest: needs nginx and vips" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/ingest-bench.XXXXXX")
chmod 755 "$work" # nginx workers may run as another user
NGINX_PID=
cleanup() {
  bench_stop_server
  [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# One noise JPEG (incompressible, ~4 MB), made distinct per file by a JPEG comment right after SOI.
mkdir -p "$work/photos"
vips gaussnoise "$work/base.jpg[Q=100]" 2100 1600
python3 - "$work/base.jpg" "$work/photos" "$FILES" <<'PY'
import struct, sys
base, out, n = open(sys.argv[1], "rb").read(), sys.argv[2], int(sys.argv[3])
for i in range(n):
    comment = b"pinhole ingest %06d" % i
    data = base[:2] + b"\xff\xfe" + struct.pack(">H", len(comment) + 2) + comment + base[2:]
    open("%s/photo-%03d.jpg" % (out, i), "wb").write(data)
PY
bytes=$(du -cb "$work"/photos/*.jpg | tail -1 | cut -f1)

# pinhole-cli into a fresh server and account.
mkdir -p "$work/data"
printf 'bench-password-123\n' | "$PINHOLED" admin create-user bench --email bench@example.org --password-stdin \
  --data-dir "$work/data" >/dev/null
bench_start_server "$work/data"
printf 'bench-password-123\n' | "$CLI" --profile "$work/profile" login "$SERVER_URL" bench --password-stdin >/dev/null
start=$(date +%s.%N)
"$CLI" --profile "$work/profile" import "$work/photos" > "$work/import.out"
end=$(date +%s.%N)
cli_s=$(python3 -c "print(round($end - $start, 3))")
"$CLI" --profile "$work/profile" status > "$work/status.out"
uploaded=$(grep -o '[0-9]* done' "$work/status.out" | cut -d' ' -f1)
bench_stop_server

# curl to nginx, same files, same machine, same run.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$work/nginx/up" "$work/nginx/logs" "$work/nginx/tmp"
chmod -R a+rwX "$work/nginx"
cat > "$work/nginx/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path $work/nginx/tmp; proxy_temp_path $work/nginx/tmp; fastcgi_temp_path $work/nginx/tmp;
  uwsgi_temp_path $work/nginx/tmp; scgi_temp_path $work/nginx/tmp;
  client_max_body_size 0;
  server {
    listen 127.0.0.1:$port;
    location /up/ { root $work/nginx; dav_methods PUT; create_full_put_path on; }
  }
}
CONF
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' &
NGINX_PID=$!
for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; read -r -t 0.05 <> <(:) || true; done
list=$(cd "$work/photos" && ls | paste -sd, -)
start=$(date +%s.%N)
(cd "$work/photos" && curl -sf -T "{$list}" "http://127.0.0.1:$port/up/")
end=$(date +%s.%N)
curl_s=$(python3 -c "print(round($end - $start, 3))")
stored=$(ls "$work/nginx/up" | wc -l)

figures=$(python3 - "$bytes" "$FILES" "$cli_s" "$curl_s" "$uploaded" "$stored" <<'PY'
import json, sys
b, n, cli, curl, uploaded, stored = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5] or 0), int(sys.argv[6])
print(json.dumps({"files": n, "bytes": b, "pinhole_cli_s": cli, "curl_nginx_s": curl,
                  "pinhole_cli_mb_s": round(b / cli / 1e6, 2), "curl_nginx_mb_s": round(b / curl / 1e6, 2),
                  "uploads_done": uploaded, "nginx_files": stored, "ratio": round(curl / cli, 3)}))
PY
)
targets=$(python3 - "$figures" <<'PY'
import json, sys
f = json.loads(sys.argv[1])
print(json.dumps([
    {"what": "pinhole-cli import throughput / curl-to-nginx throughput", "measured": f["ratio"], "target": ">= 0.7",
     "met": f["ratio"] >= 0.7 and f["uploads_done"] == f["files"]}]))
PY
)
bench_json ingest "$figures" "$targets"
