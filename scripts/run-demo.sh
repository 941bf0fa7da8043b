#!/usr/bin/env bash
# make run: pinholed on the embedded default (SQLite + media folder under .run/data) with a demo
# account holding a few demo photos (generated once with ImageMagick under .run/demo-photos), and
# — when there is a display — the app, signed in to it (profile .run/app). Without a display the
# server runs in the foreground. Ctrl-C stops what it started. Override with PINHOLE_LISTEN.
set -euo pipefail
cd "$(dirname "$0")/.."

pinholed=build/server/pinholed
cli=build/cli/pinhole-cli
app=build/app/pinhole
data=.run/data
listen=${PINHOLE_LISTEN:-127.0.0.1:8470}
user=demo
password=pinhole-demo

mkdir -p "$data"
if ! "$pinholed" admin create-user "$user" --email demo@example.org --admin --password-stdin \
    --data-dir "$data" <<< "$password" > /dev/null 2>&1; then
  # It exists from an earlier run: make sure the printed password is the right one.
  "$pinholed" admin reset-password "$user" --password-stdin --data-dir "$data" <<< "$password" > /dev/null
fi

# Demo photos: colourful fractal "landscapes", each with a capture date a few days apart.
photos=.run/demo-photos
if [ ! -d "$photos" ]; then
  mkdir -p "$photos.tmp"
  for i in $(seq 1 12); do
    convert -seed "$i" -size 1200x800 plasma:fractal -blur 0x2 -quality 85 "$photos.tmp/demo-$i.jpg"
    exiftool -q -overwrite_original "-DateTimeOriginal=2024:0$(( (i - 1) / 4 + 6 )):$(printf %02d $(( i * 2 ))) 1$(( i % 10 )):30:00" \
      "$photos.tmp/demo-$i.jpg"
  done
  mv "$photos.tmp" "$photos"
fi

host=${listen%:*}
port=${listen##*:}
cat <<TXT

  Pinhole is starting at http://$listen  (data in $data)
  Sign in as:  $user / $password

  From a terminal, with Debian's Mastodon client:
    echo $password | toot login_cli --disable-https -i $host:$port -e demo@example.org && toot whoami

  Ctrl-C stops the server$( [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && echo " and the app").

TXT

if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec "$pinholed" serve --listen "$listen" --data-dir "$data"
fi

"$pinholed" serve --listen "$listen" --data-dir "$data" &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true' EXIT INT TERM
for _ in $(seq 1 100); do
  curl -sf "http://$listen/api/v1/instance" > /dev/null && break
  sleep 0.1
done
# Seed the account through the app's profile: sign in, import the demo photos (the app uploads
# them in the background), then open the app on that profile.
"$cli" --profile .run/app login "http://$listen" "$user" --password-stdin <<< "$password" > /dev/null
"$cli" --profile .run/app import "$photos" --album "Demo" > /dev/null
"$app" --profile .run/app --server "http://$listen"
