#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for one test run (CTest fixture "postgres"): started once, every
# PostgreSQL test makes its own databases on it, stopped and removed at the end.
# It listens on a Unix socket only, trusts local connections (no password anywhere), and runs as
# nobody when the tests run as root (CI), since PostgreSQL refuses to run as root.
#
# Usage: pg_cluster.sh start DIR   starts it; writes DIR/url, the libpq URL of its "postgres"
#                                  database as the superuser "kizuna", and DIR/bin, the directory
#                                  of psql, initdb and pg_ctl
#        pg_cluster.sh restart DIR restarts the server (a test of reconnecting)
#        pg_cluster.sh stop DIR    stops it and removes everything start made
# Exit: 0 done; 1 it failed (the server log's end is printed); 77 PostgreSQL is not installed.
# Environment for the benchmarks (bench/): PG_DURABLE=1 keeps fsync on (the server's defaults),
# PG_CPUS=LIST pins the server to those CPUs (taskset -c LIST).
set -euo pipefail

ACTION=${1:?usage: pg_cluster.sh start|stop DIR}
DIR=${2:?usage: pg_cluster.sh start|stop DIR}
PORT=54329
USER_NAME=kizuna

as_root=0
[ "$(id -u)" = 0 ] && as_root=1

# Runs a PostgreSQL server program as the cluster's owner, from a directory it can read.
as_pg() {
  if [ $as_root = 1 ]; then
    (cd "$PGDIR" && runuser -u nobody -- "$@")
  else
    (cd "$PGDIR" && "$@")
  fi
}

if [ "$ACTION" = restart ]; then
  PGDIR=$(cat "$DIR/pgdir")
  BIN=$(cat "$DIR/bin")
  as_pg "$BIN/pg_ctl" -D "$PGDIR/data" -m fast -w -t 60 restart >/dev/null
  exit 0
fi
if [ "$ACTION" = stop ]; then
  [ -f "$DIR/pgdir" ] || exit 0
  PGDIR=$(cat "$DIR/pgdir")
  BIN=$(cat "$DIR/bin")
  if [ -f "$PGDIR/data/postmaster.pid" ]; then
    as_pg "$BIN/pg_ctl" -D "$PGDIR/data" -m fast -w -t 30 stop >/dev/null 2>&1 ||
      as_pg "$BIN/pg_ctl" -D "$PGDIR/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
  fi
  rm -rf "$PGDIR" "$DIR"
  exit 0
fi
[ "$ACTION" = start ] || { echo "usage: pg_cluster.sh start|restart|stop DIR" >&2; exit 1; }

# --- PostgreSQL binaries: Debian's versioned directory first, then PATH. ---
BIN=/usr/lib/postgresql/15/bin
if ! [ -x "$BIN/initdb" ]; then
  if command -v initdb >/dev/null 2>&1; then
    BIN=$(dirname "$(command -v initdb)")
  else
    echo "skipped: PostgreSQL 15 is not installed (./dev deps installs postgresql-15)"
    exit 77
  fi
fi

# A cluster left by an interrupted run is stopped first.
"$0" stop "$DIR" || true
mkdir -p "$DIR"
# The cluster lives in /tmp: nobody may not enter the build directory (/root/...), and a Unix
# socket path holds at most 107 bytes.
PGDIR=$(mktemp -d /tmp/kizuna-pg.XXXXXX)
echo "$PGDIR" >"$DIR/pgdir"
echo "$BIN" >"$DIR/bin"
[ $as_root = 1 ] && chown nobody "$PGDIR"
chmod 755 "$PGDIR"
DATA=$PGDIR/data
LOG=$PGDIR/server.log

if ! as_pg "$BIN/initdb" -D "$DATA" --auth=trust --encoding=UTF8 --locale=C -U "$USER_NAME" \
  >"$PGDIR/initdb.out" 2>&1; then
  echo "initdb failed:"
  sed 's/^/  /' "$PGDIR/initdb.out"
  exit 1
fi
# fsync off (-F): the cluster is thrown away after the run, and CI's disk is slow. The benchmarks
# keep the server's durability defaults (PG_DURABLE=1).
FSYNC_OFF="-F"
[ "${PG_DURABLE:-0}" = 1 ] && FSYNC_OFF=""
PIN=()
[ -n "${PG_CPUS:-}" ] && PIN=(taskset -c "$PG_CPUS")
if ! as_pg "${PIN[@]}" "$BIN/pg_ctl" -D "$DATA" -w -t 60 \
  -o "-k '$PGDIR' -c listen_addresses='' -p $PORT $FSYNC_OFF -c max_connections=200" -l "$LOG" start \
  >/dev/null; then
  echo "pg_ctl start failed; the server log ends:"
  tail -n 20 "$LOG" | sed 's/^/  /'
  exit 1
fi
echo "postgresql:///postgres?host=$PGDIR&port=$PORT&user=$USER_NAME" >"$DIR/url"
echo "started: $("$BIN/postgres" --version) on $PGDIR (port $PORT, no TCP)"
