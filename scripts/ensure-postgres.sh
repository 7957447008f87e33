#!/usr/bin/env bash
# Make sure a PostgreSQL server answers on 127.0.0.1:${PGPORT:-5432} with trust auth for user postgres.
# Uses a running server when there is one; otherwise installs Debian's package (as root) and starts a
# throw-away cluster. Prints the SQLAlchemy URL of the server on its last line.
set -euo pipefail
PORT="${PGPORT:-5432}"
URL="postgresql+psycopg://postgres@127.0.0.1:${PORT}/postgres"

ready() { command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p "$PORT"; }

if ready; then echo "$URL"; exit 0; fi

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then echo "no PostgreSQL server and not root: install postgresql first" >&2; exit 1; fi
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi

# A Debian cluster that exists but is stopped: start it.
if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ] && [ -n "$(ls /etc/postgresql 2>/dev/null)" ]; then
  version="$(ls /etc/postgresql | sort -V | tail -1)"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2 || true
  for _ in $(seq 30); do ready && break; sleep 1; done
fi

if ! ready; then
  # Our own cluster, owned by the postgres user (initdb refuses root), trust auth on loopback.
  bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
  dir="${FINSTANCE_PG_DIR:-/tmp/finstance-pg}"
  owner=postgres; id "$owner" >/dev/null 2>&1 || owner="$(id -un)"
  mkdir -p "$dir" && chown "$owner" "$dir"
  run() { if [ "$(id -un)" = "$owner" ]; then "$@"; else su "$owner" -s /bin/sh -c "$(printf '%q ' "$@")"; fi; }
  [ -f "$dir/data/PG_VERSION" ] || run "$bin/initdb" -D "$dir/data" -U postgres --auth=trust >&2
  run "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -o "-h 127.0.0.1 -p $PORT -k $dir" -w start >&2
  for _ in $(seq 30); do ready && break; sleep 1; done
fi

ready || { echo "PostgreSQL did not start" >&2; exit 1; }
echo "$URL"
