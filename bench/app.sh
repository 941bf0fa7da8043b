#!/usr/bin/env bash
# app: the desktop app on a 50k-photo library, under Xvfb. The local store is filled directly
# (sqlite3; every photo a hard link to one tiny JPEG), signed in to a server that is not there
# (the app opens offline). `pinhole --bench` prints the time from launch to the first frame
# that shows the grid's photos, then scrolls the grid to the end one screen per frame and
# prints its resident memory. Targets (issue 7): first frame <= 1.5 s, <= 350 MB after scroll.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
APP="${APP:-build/app/pinhole}"
PHOTOS="${PHOTOS:-50000}"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
profile="$work/profile"
mkdir -p "$profile" "$work/photos"

# The store with its schema: let the app create it, then stop it.
QT_QPA_PLATFORM=offscreen "$APP" --profile "$profile" > /dev/null 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  sqlite3 "$profile/pinhole.db" "SELECT 1 FROM meta LIMIT 1" > /dev/null 2>&1 && break
  sleep 0.1
done
kill "$pid"; wait "$pid" 2>/dev/null || true

vips black "$work/tiny.jpg" 32 24 --bands 3 > /dev/null
python3 - "$work/tiny.jpg" "$work/photos" "$PHOTOS" <<'PY'
import os, sys
src, folder, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
for i in range(n):
    os.link(src, os.path.join(folder, f"{i}.jpg"))
PY
sqlite3 "$profile/pinhole.db" <<SQL
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < $PHOTOS)
INSERT INTO assets(sha256, size, width, height, taken_at, imported_at)
SELECT printf('%064x', i), 700, 32, 24,
       strftime('%Y:%m:%d %H:%M:%S', 1262304000 + i * 5000, 'unixepoch'), 0 FROM n;
INSERT INTO asset_files(path, asset_id) SELECT '$work/photos/' || (id - 1) || '.jpg', id FROM assets;
INSERT INTO uploads(asset_id, state, updated_at) SELECT id, 'done', 0 FROM assets;
UPDATE assets SET server_id = 'srv' || id;
INSERT OR REPLACE INTO meta(key, value) VALUES ('server_url', 'http://127.0.0.1:9'), ('username', 'bench'),
  ('access_token', 'offline');
COMMIT;
SQL

out=$(xvfb-run -a -s "-screen 0 1280x800x24" env XDG_CONFIG_HOME="$work/config" XDG_CACHE_HOME="$work/cache" \
  "$APP" --profile "$profile" --bench 2>"$work/app.log" | grep '^{' | tail -1) || true
[ -n "$out" ] || { echo "app bench: no figures; the app's log:" >&2; cat "$work/app.log" >&2; exit 1; }
first=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["first_frame_ms"])' "$out")
rss=$(python3 -c 'import json,sys; print(round(json.loads(sys.argv[1])["rss_mib_after_scroll"] * 1.048576, 1))' "$out")
photos=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["photos"])' "$out")
bench_json app \
  "{\"photos\": $photos, \"first_frame_ms\": $first, \"rss_mb_after_scroll\": $rss}" \
  "[{\"what\": \"launch to first grid frame (ms)\", \"measured\": $first, \"target\": 1500, \"met\": $([ "$first" -le 1500 ] && echo true || echo false)},
    {\"what\": \"resident memory after scrolling to the end (MB)\", \"measured\": $rss, \"target\": 350, \"met\": $(python3 -c "print('true' if $rss <= 350 else 'false')")}]"
