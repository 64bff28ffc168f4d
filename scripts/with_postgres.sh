#!/usr/bin/env bash
# Run a command with DATABASE_URL pointing at PostgreSQL: $DATABASE_URL when set, else the
# server on 127.0.0.1:5432 (user postgres), else a throwaway cluster made with the local
# initdb/pg_ctl in a temporary folder and removed afterwards.
set -uo pipefail
python=${PYTHON_BIN:-.venv/bin/python}

if [ -n "${DATABASE_URL:-}" ]; then
  exec "$@"
fi

reachable() {
  "$python" - "$1" <<'PY' >/dev/null 2>&1
import sys, psycopg
psycopg.connect(sys.argv[1], connect_timeout=3).close()
PY
}

if reachable "postgresql://postgres@127.0.0.1:5432/postgres"; then
  echo "with_postgres: using the server on 127.0.0.1:5432" >&2
  DATABASE_URL="postgres://postgres@127.0.0.1:5432/newsroom" exec "$@"
fi

bindir=$(dirname "$(command -v initdb 2>/dev/null || ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1)")
if [ ! -x "$bindir/initdb" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "with_postgres: installing PostgreSQL from Debian's packages" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    bindir=$(dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")
  else
    echo "with_postgres: no PostgreSQL found. Set DATABASE_URL, start a server on 127.0.0.1:5432," >&2
    echo "or install PostgreSQL 15+ (initdb and pg_ctl) and run this again." >&2
    exit 1
  fi
fi

tmp=$(mktemp -d /tmp/newsroom-pg.XXXXXX)
port=$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_owner=()
if [ "$(id -u)" = 0 ]; then
  # initdb and pg_ctl refuse to run as root: run them as the postgres user.
  chown postgres "$tmp"
  chmod 755 "$tmp"
  as_owner=(runuser -u postgres --)
fi
stop() {
  "${as_owner[@]}" "$bindir/pg_ctl" -D "$tmp/data" -m immediate stop >/dev/null 2>&1
  rm -rf "$tmp"
}
trap stop EXIT
echo "with_postgres: starting a throwaway cluster on port $port" >&2
"${as_owner[@]}" "$bindir/initdb" -D "$tmp/data" -U postgres -A trust >/dev/null || exit 1
"${as_owner[@]}" "$bindir/pg_ctl" -D "$tmp/data" -l "$tmp/log" -w \
  -o "-p $port -k $tmp -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null || {
  cat "$tmp/log" >&2
  exit 1
}
DATABASE_URL="postgres://postgres@127.0.0.1:$port/newsroom" "$@"
