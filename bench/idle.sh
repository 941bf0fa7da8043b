#!/usr/bin/env bash
# idle: resident memory of pinholed after start-up, with a demo account and after a few requests
# have warmed its pools, while nothing is happening. Target (PRODUCT.md): <= 30 MB.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

data=$(mktemp -d)/data
trap 'bench_stop_server; rm -rf "$(dirname "$data")"' EXIT
bench_start_server "$data"
"$PINHOLED" admin create-user bench --data-dir "$data" --password-stdin <<< "bench-password-1" > /dev/null 2>&1
rss_start=$(bench_rss_kib "$SERVER_PID")
# Warm up: instance, a login (Argon2id allocates 19 MiB while hashing), credentials.
app=$(curl -sf -X POST -d client_name=bench -d redirect_uris=urn:ietf:wg:oauth:2.0:oob -d scopes=read "$SERVER_URL/api/v1/apps")
id=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["client_id"])' <<< "$app")
secret=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["client_secret"])' <<< "$app")
token=$(curl -sf -X POST -d grant_type=password -d client_id="$id" -d client_secret="$secret" \
  -d username=bench -d password=bench-password-1 -d scope=read "$SERVER_URL/oauth/token" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
for _ in $(seq 1 200); do
  curl -sf -H "Authorization: Bearer $token" "$SERVER_URL/api/v1/accounts/verify_credentials" > /dev/null
  curl -sf "$SERVER_URL/api/v1/instance" > /dev/null
done
rss_idle=$(bench_rss_kib "$SERVER_PID")
# Of which: private memory (heap, stacks) and pages of mapped files (the binary and the shared
# libraries, most of them libvips' format loaders; shared with other processes, reclaimable).
rss_anon=$(bench_status_kib "$SERVER_PID" RssAnon)
rss_file=$(bench_status_kib "$SERVER_PID" RssFile)
mb() { python3 -c "print(round($1 / 1024, 2))"; }
idle_mb=$(mb "$rss_idle")
met=$(python3 -c "print('true' if $idle_mb <= 30 else 'false')")
bench_json idle \
  "{\"rss_after_start_mb\": $(mb "$rss_start"), \"rss_idle_after_400_requests_mb\": $idle_mb, \"rss_anon_mb\": $(mb "$rss_anon"), \"rss_file_mb\": $(mb "$rss_file")}" \
  "[{\"what\": \"idle resident memory of pinholed (MB)\", \"measured\": $idle_mb, \"target\": \"<= 30\", \"met\": $met}]"
