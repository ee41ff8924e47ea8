#!/usr/bin/env bash
# Runs a command against a throw-away PostgreSQL cluster on 127.0.0.1 (a free port),
# with MAMORU_DATABASE_URL pointing at it; the cluster is removed afterwards.
set -euo pipefail
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bindir/initdb" ] || { echo "PostgreSQL is not installed (scripts/install-system-packages.sh test)" >&2; exit 1; }
dir=$(mktemp -d /tmp/mamoru-pg.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_owner=()
if [ "$(id -u)" -eq 0 ]; then  # PostgreSQL refuses to run as root
  chown postgres: "$dir"
  as_owner=(runuser -u postgres --)
fi
cleanup() { "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$dir"; }
trap cleanup EXIT
"${as_owner[@]}" "$bindir/initdb" -D "$dir/data" -U mamoru --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
  -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null
"$bindir/createdb" -h 127.0.0.1 -p "$port" -U mamoru mamoru
export MAMORU_DATABASE_URL="postgres://mamoru@127.0.0.1:$port/mamoru"
echo "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port" >&2
"$@"
