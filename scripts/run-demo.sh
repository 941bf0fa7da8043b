#!/usr/bin/env bash
# make run: pinholed on the embedded default (SQLite + media folder under .run/data) with a demo
# account, in the foreground until Ctrl-C. Override with PINHOLE_LISTEN=HOST:PORT.
set -euo pipefail
cd "$(dirname "$0")/.."

pinholed=build/server/pinholed
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

host=${listen%:*}
port=${listen##*:}
cat <<TXT

  Pinhole is starting at http://$listen  (data in $data)
  Sign in as:  $user / $password

  From a terminal, with Debian's Mastodon client:
    echo $password | toot login_cli --disable-https -i $host:$port -e demo@example.org && toot whoami

  Ctrl-C stops the server.

TXT
exec "$pinholed" serve --listen "$listen" --data-dir "$data"
