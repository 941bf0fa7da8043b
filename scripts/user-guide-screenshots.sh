#!/usr/bin/env bash
# Takes the screenshots of docs/user-guide.md: runs the built app under Xvfb (no window manager,
# so the window is captured by its id) and saves PNGs into docs/images/user-guide/.
# Usage: scripts/user-guide-screenshots.sh [BUILD_DIR]   (default: build)
set -euo pipefail
build=${1:-build}
out=docs/images/user-guide
mkdir -p "$out"
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT

# shot NAME ARGS...: starts the app with ARGS, waits for its window to be mapped and drawn,
# captures the window, quits the app.
shot() {
    local name=$1
    shift
    xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
        set -euo pipefail
        "$0" --profile "$1" "${@:3}" &
        app=$!
        win=$(xdotool search --sync --onlyvisible --name "^Pinhole$" | head -1)
        # Mapped is not drawn: wait until the window shows more than one colour.
        for _ in $(seq 100); do
            [ "$(import -window "$win" -format "%k" info:)" -gt 1 ] && break
            sleep 0.1
        done
        import -window "$win" "$2"
        kill "$app"
    ' "$build/app/pinhole" "$profile" "$out/$name.png" "$@"
    echo "wrote $out/$name.png"
}

shot welcome
shot welcome-with-server --server https://photos.example.org
