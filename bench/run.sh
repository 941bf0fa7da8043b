#!/usr/bin/env bash
# make bench [B=name]: runs bench/<name>.sh for one benchmark, or every bench/*.sh but this and
# lib.sh. Each writes build/bench/<name>.json (see bench/lib.sh for the format).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p build/bench
if [ $# -ge 1 ] && [ -n "$1" ]; then
  script="bench/$1.sh"
  [ -f "$script" ] || { echo "bench: no benchmark named '$1' (have: $(ls bench/*.sh | xargs -n1 basename | sed 's/\.sh$//' | grep -v -e '^run$' -e '^lib$' | tr '\n' ' '))" >&2; exit 2; }
  exec bash "$script"
fi
for script in bench/*.sh; do
  name=$(basename "$script" .sh)
  case "$name" in run|lib) continue ;; esac
  echo "== bench $name"
  bash "$script"
done
