#!/usr/bin/env bash
# make test-package: checks the Debian packages of `make package` the way a self-hoster meets
# them. Usage: packaging/test-packages.sh DIR (holding pinhole-server_*.deb and pinhole_*.deb).
#   1. lintian reports no error; desktop-file-validate and appstreamcli validate accept the
#      launcher and the metainfo as packaged.
#   2. dpkg -i installs both on this machine (needs root); the user pinhole, /var/lib/pinhole
#      (0700, the user's), /etc/pinhole/pinholed.toml (a conffile, 0640 root:pinhole), the unit
#      (systemd-analyze verify), the man pages and icons are there; the app starts.
#   3. The installed pinholed, started as systemd would start it (the unit's ExecStart as the
#      unit's user: systemd is not PID 1 here, so setpriv stands in), answers /readyz, writes its
#      database into /var/lib/pinhole, passes `admin check`, and exits 0 on SIGTERM.
#   4. dpkg -r keeps /var/lib/pinhole and the configuration; dpkg -P deletes both.
# It refuses to run where pinhole-server is installed or /var/lib/pinhole exists (it would purge
# real data), and purges what it installed if it fails half-way. The system user pinhole stays,
# as on any Debian system after a purge.
set -euo pipefail

dir=${1:?usage: test-packages.sh DIR-WITH-DEBS}
server_deb=$(ls "$dir"/pinhole-server_*.deb)
app_deb=$(ls "$dir"/pinhole_*.deb)
started=$SECONDS
step() { printf '\n== %s\n' "$*"; }
fail() { printf 'test-package: FAIL: %s\n' "$*" >&2; exit 1; }
pass() { printf '  ok: %s\n' "$*"; }

# dpkg -i needs root: as install-deps.sh does, ask sudo when not root.
[ "$(id -u)" -eq 0 ] || exec sudo "$0" "$@"
if dpkg-query -W -f='${Status}' pinhole-server 2>/dev/null | grep -q installed || [ -e /var/lib/pinhole ]; then
    fail "pinhole-server is installed or /var/lib/pinhole exists on this machine; this test installs and purges the packages, so remove them first (dpkg -P pinhole pinhole-server)"
fi

work=$(mktemp -d)
server_pid=""
installed=no
cleanup() {
    status=$?
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
    if [ "$installed" = yes ] && [ $status -ne 0 ]; then
        echo "test-package: purging the packages after the failure" >&2
        dpkg -P pinhole pinhole-server >/dev/null 2>&1 || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

step "lintian"
lint_status=0
lint=$(lintian --fail-on error --tag-display-limit 0 "$server_deb" "$app_deb" 2>&1) || lint_status=$?
grep -v -e 'running with root privileges' <<<"$lint" || true
[ $lint_status -eq 0 ] || fail "lintian reported errors"
pass "lintian: no errors"

step "desktop integration files as packaged"
dpkg-deb -x "$app_deb" "$work/app"
desktop-file-validate "$work/app/usr/share/applications/org.pinhole.Pinhole.desktop" || fail "desktop-file-validate"
pass "desktop-file-validate"
appstreamcli validate --no-net "$work/app/usr/share/metainfo/org.pinhole.Pinhole.metainfo.xml" ||
    fail "appstreamcli validate"
pass "appstreamcli validate"
for size in 16x16 22x22 24x24 32x32 48x48 64x64 128x128 256x256 512x512; do
    png="$work/app/usr/share/icons/hicolor/$size/apps/org.pinhole.Pinhole.png"
    [ "$(identify -format '%wx%h' "$png")" = "$size" ] || fail "icon $size is not $size"
done
[ -s "$work/app/usr/share/icons/hicolor/scalable/apps/org.pinhole.Pinhole.svg" ] || fail "no scalable icon"
pass "hicolor icons: SVG and 9 PNG sizes"

step "dpkg -i"
installed=yes
dpkg -i "$server_deb" "$app_deb"

user_line=$(getent passwd pinhole) || fail "no user pinhole"
IFS=: read -r _ _ uid _ _ home shell <<<"$user_line"
[ "$uid" -lt 1000 ] || fail "pinhole is not a system user (uid $uid)"
[ "$home" = /var/lib/pinhole ] || fail "pinhole's home is $home"
case "$shell" in */nologin | */false) ;; *) fail "pinhole has a login shell: $shell" ;; esac
pass "system user pinhole (uid $uid, no login shell)"
[ "$(stat -c '%U:%G %a' /var/lib/pinhole)" = "pinhole:pinhole 700" ] || fail "/var/lib/pinhole: $(stat -c '%U:%G %a' /var/lib/pinhole)"
pass "/var/lib/pinhole pinhole:pinhole 0700"
dpkg-query -W -f='${Conffiles}\n' pinhole-server | grep -q '^ /etc/pinhole/pinholed.toml ' ||
    fail "/etc/pinhole/pinholed.toml is not a conffile"
[ "$(stat -c '%U:%G %a' /etc/pinhole/pinholed.toml)" = "root:pinhole 640" ] || fail "pinholed.toml: $(stat -c '%U:%G %a' /etc/pinhole/pinholed.toml)"
pass "/etc/pinhole/pinholed.toml: conffile, root:pinhole 0640"
systemd-analyze verify /lib/systemd/system/pinholed.service || fail "systemd-analyze verify"
pass "systemd-analyze verify pinholed.service"
systemd-analyze security --offline=true /lib/systemd/system/pinholed.service | tail -1
man -w pinholed pinhole >/dev/null || fail "man pages"
pass "man pinholed, man pinhole"
[ "$(QT_QPA_PLATFORM=offscreen pinhole --version)" = "pinhole $(dpkg-query -W -f='${Version}' pinhole | cut -d- -f1)" ] ||
    fail "pinhole --version: $(QT_QPA_PLATFORM=offscreen pinhole --version 2>&1)"
pass "the installed app starts (pinhole --version)"

step "the installed server, as the unit runs it"
exec_start=$(sed -n 's/^ExecStart=//p' /lib/systemd/system/pinholed.service)
user=$(sed -n 's/^User=//p' /lib/systemd/system/pinholed.service)
if [ -z "$exec_start" ] || [ "$user" != pinhole ]; then fail "unit has no ExecStart or User=pinhole"; fi
# Port 0: other servers may run on this machine; the flag overrides the file's listen.
mkfifo "$work/stdout"
# shellcheck disable=SC2086 # ExecStart is a command line
setpriv --reuid="$user" --regid="$user" --init-groups --no-new-privs -- $exec_start --listen 127.0.0.1:0 \
    >"$work/stdout" 2>"$work/log" &
server_pid=$!
exec 3<"$work/stdout"
read -r -t 60 line <&3 || fail "pinholed printed no URL: $(cat "$work/log")"
url=${line##* }
curl -fsS "$url/readyz" | grep -q '"status":"ready"' || fail "/readyz of $url: $(curl -sS "$url/readyz")"
pass "pinholed as $user answers $url/readyz"
[ "$(stat -c %U /var/lib/pinhole/pinhole.db)" = pinhole ] || fail "database not in /var/lib/pinhole or not pinhole's"
pass "database /var/lib/pinhole/pinhole.db owned by pinhole"
setpriv --reuid="$user" --regid="$user" --init-groups -- \
    pinholed admin check --config /etc/pinhole/pinholed.toml >"$work/check" || fail "admin check: $(cat "$work/check")"
pass "pinholed admin check (as $user, server running)"
kill -TERM "$server_pid"
wait "$server_pid" || fail "pinholed exited $? on SIGTERM: $(tail -5 "$work/log")"
server_pid=""
exec 3<&-
pass "SIGTERM: clean exit"

step "dpkg -r keeps the data and the configuration"
dpkg -r pinhole pinhole-server
if [ -e /usr/bin/pinholed ] || [ -e /usr/bin/pinhole ]; then fail "binaries left after remove"; fi
[ -f /var/lib/pinhole/pinhole.db ] || fail "remove deleted /var/lib/pinhole"
[ -f /etc/pinhole/pinholed.toml ] || fail "remove deleted the configuration"
pass "/var/lib/pinhole/pinhole.db and /etc/pinhole/pinholed.toml kept"

step "dpkg -P deletes them"
dpkg -P pinhole-server # pinhole has no conffiles: dpkg -r removed it whole
installed=no
[ ! -e /var/lib/pinhole ] || fail "purge left /var/lib/pinhole"
[ ! -e /etc/pinhole/pinholed.toml ] || fail "purge left /etc/pinhole/pinholed.toml"
pass "/var/lib/pinhole and /etc/pinhole/pinholed.toml gone"

printf '\ntest-package: all checks passed in %ds\n' $((SECONDS - started))
