#!/usr/bin/env bash
# Installs what `make bench` measures with: wrk (required), nginx and redis-server (Debian's
# packages), and Varnish with its xkey module (scripts/install_varnish.sh).
#
#   scripts/install_bench_tools.sh
#
# As root, missing ones are installed; otherwise wrk missing stops here and the others are
# named (bench.py skips the Varnish row without varnishd or nginx, and starts a redis-server
# of its own when no Redis answers). Nothing is started or enabled: the packages' services
# would hold ports 80 and 6379 that nobody asked for.
set -euo pipefail

has() { command -v "$1" >/dev/null || [ -x "/usr/sbin/$1" ]; }

missing=()
for tool in wrk nginx redis-server; do
  has "$tool" || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing ${missing[*]} for the benchmarks"
    "$(dirname "$0")/apt_install.sh" "${missing[@]}"
  elif has wrk; then
    echo "make bench: ${missing[*]} missing (sudo apt-get install ${missing[*]}): some rows are skipped" >&2
  else
    echo "make bench needs wrk: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi
scripts/install_varnish.sh || echo "make bench: no Varnish, its row is skipped" >&2
