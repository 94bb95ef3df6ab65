#!/usr/bin/env bash
# Runs bench-scale on SQLite and on a throw-away PostgreSQL side by side: a fresh cluster in a
# temporary folder (initdb/pg_ctl as the `postgres` user when run as root: the server refuses to
# run as root), listening only on a Unix socket there, stopped and removed when this ends.
# Usage: Benchmarks/Scale/side-by-side.sh WORK_DIR [--postgres-only] [bench-scale options…]
# (the release build of parallax and bench-scale must exist: see BENCHMARKS.md). With
# --postgres-only the SQLite store is left out (for `--crawl-workers N`, which needs PostgreSQL).
set -euo pipefail
cd "$(dirname "$0")/../.."
work=${1:?usage: side-by-side.sh WORK_DIR [bench-scale options]}
shift
stores=(--store sqlite)
if [ "${1:-}" = --postgres-only ]; then stores=(); shift; fi
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then echo "side-by-side.sh: Debian's postgresql is not installed (apt-get install postgresql)" >&2; exit 2; fi
if [ "$(id -u)" -eq 0 ]; then as_owner() { runuser -u postgres -- "$@"; }; else as_owner() { "$@"; }; fi
dir=$(mktemp -d /tmp/parallax-scale-pg.XXXXXX)
[ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"
chmod 700 "$dir"
port=5433
stop() { as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true; rm -rf "$dir"; }
trap stop EXIT
as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust >/dev/null
as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -o "-p $port -k $dir -c listen_addresses=''" -w start >/dev/null
"$bin/psql" -h "$dir" -p "$port" -U postgres -d postgres -qtA -c "CREATE DATABASE parallax_scale"
# The server's own CPU, summed over its processes at the end (it shares the machine's cores).
report_server_cpu() {
  local ticks=0
  for pid in $(pgrep -u postgres -f "$dir" ; pgrep -u postgres -P "$(head -1 "$dir/data/postmaster.pid")"); do
    [ -r "/proc/$pid/stat" ] && ticks=$((ticks + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
  done
  echo "side-by-side.sh: PostgreSQL server processes used $(awk -v t="$ticks" -v h="$(getconf CLK_TCK)" 'BEGIN{printf "%.1f", t/h}') CPU s"
}
release=.build-release/release
"$release/bench-scale" --parallax "$PWD/$release/parallax" --work "$work" "${stores[@]}" \
  --store "postgresql://postgres@/parallax_scale?host=$dir&port=$port" "$@"
report_server_cpu
