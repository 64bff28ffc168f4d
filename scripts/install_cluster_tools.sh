#!/usr/bin/env bash
# Installs what the cluster tests start on loopback (tests/test_cluster_servers.py,
# tests/test_replica_reads.py): redis-server, and PostgreSQL's server binaries (initdb,
# pg_ctl, pg_basebackup) for the throwaway primary and its replica. moto's S3 server comes
# from PyPI with the dev dependencies.
#
#   scripts/install_cluster_tools.sh
#
# Nothing is started or enabled: the packages' own services would hold ports nobody asked for.
set -euo pipefail

missing=()
command -v redis-server >/dev/null || [ -x /usr/bin/redis-server ] || missing+=(redis-server)
ls /usr/lib/postgresql/*/bin/pg_basebackup >/dev/null 2>&1 || command -v pg_basebackup >/dev/null ||
  missing+=(postgresql)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "The cluster tests need ${missing[*]}: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "Installing ${missing[*]} for the cluster tests"
"$(dirname "$0")/apt_install.sh" "${missing[@]}"
