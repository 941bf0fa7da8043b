#!/usr/bin/env bash
# Installs the Debian 12 packages Pinhole needs to build, run, test and benchmark.
# This is the single list of system packages the project depends on. Idempotent: it asks
# dpkg what is missing and installs only that, so `make run` / `make test` stay fast once set up.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config git
  # server and sync libraries
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev libboost-program-options1.81-dev libsqlite3-dev sqlite3 libssl-dev libsodium-dev libcurl4-openssl-dev
  libvips-dev libexiv2-dev libtomlplusplus-dev libsystemd-dev
  # desktop app (Qt 6.4 Quick)
  qt6-base-dev qt6-base-dev-tools qt6-declarative-dev qt6-declarative-dev-tools libgl-dev
  qml6-module-qtquick qml6-module-qtquick-controls qml6-module-qtquick-layouts
  qml6-module-qtquick-window qml6-module-qtquick-templates qml6-module-qtqml-workerscript
  qml6-module-qtquick-dialogs qml6-module-qttest qml6-module-qtqml
  # tests: real clients and tools the end-to-end suites drive
  curl openssl toot xvfb xauth xdotool imagemagick libimage-exiftool-perl libvips-tools procps
  # packages (make package, make test-package): CPack's dpkg-shlibdeps, lint, desktop and
  # AppStream validators, systemd-analyze, the maintainer scripts' helpers, setpriv
  dpkg-dev fakeroot lintian desktop-file-utils appstream systemd init-system-helpers adduser util-linux man-db
  # benchmarks, profiling, fuzzing
  wrk nginx-light hyperfine valgrind clang-14 libclang-rt-14-dev clang-format clang-tidy
  # thumbs benchmark inputs: real photographs (2560x1600), scaled up to 13 MP by bench/thumbs.sh
  plasma-workspace-wallpapers
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${#missing[@]} missing package(s): ${missing[*]}"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
