#!/usr/bin/env bash
# Runs every test: starts a throw-away PostgreSQL on 127.0.0.1 (the same suite runs on SQLite and PostgreSQL),
# runs `dotnet test`, and ends with one line "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")"

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_PORT=${PG_PORT:-55432}
work=$(mktemp -d /tmp/tessera-test.XXXXXX)
chmod 755 "$work"
results="$work/results"

cleanup() {
  # The test host kills its PgBouncer when it exits; a host that is killed itself cannot, so nothing outlives the run.
  pkill -f "tessera-pgbouncer-[0-9a-f]*/pgbouncer.ini" 2>/dev/null || true
  if [[ -f "$work/pg/postmaster.pid" ]]; then as_pg "$PG_BIN/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# PostgreSQL refuses to run as root: run it as the 'postgres' user when we are root.
as_pg() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

if [[ -z "${TESSERA_TEST_POSTGRES:-}" ]]; then
  [[ -x "$PG_BIN/initdb" ]] || { echo "PostgreSQL 15 binaries not found in $PG_BIN (apt-get install postgresql-15, or set PG_BIN or TESSERA_TEST_POSTGRES)" >&2; exit 1; }
  mkdir -p "$work/pg" && [[ $(id -u) == 0 ]] && chown postgres "$work/pg"
  as_pg "$PG_BIN/initdb" -D "$work/pg" -U postgres --auth=trust -E UTF8 >/dev/null
  as_pg "$PG_BIN/pg_ctl" -D "$work/pg" -l "$work/pg/log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $work/pg -c fsync=off -c max_connections=300" start >/dev/null
  export TESSERA_TEST_POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Pooling=true"
fi

status=0
# Build once, then run each test project on its own with its own TRX file (no name clashes, steadier timing on 2 cores).
dotnet build Tessera.slnx -c Release --nologo -v q || status=$?
if [[ $status == 0 ]]; then
  for project in tests/*/*.Tests.csproj; do
    name=$(basename "$project" .csproj)
    dotnet test "$project" -c Release --no-build --logger "trx;LogFileName=$name.trx" --results-directory "$results" "$@" || status=$?
  done
fi

# Count outcomes from the TRX files (dotnet test's own summary differs between versions).
passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [[ -f $trx ]] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  n=$(sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p' <<<"$counters"); e=$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0} + ${e:-0})); skipped=$((skipped + ${n:-0}))
done
if [[ $status != 0 && $failed == 0 ]]; then failed=1; fi   # the build or the runner itself failed
if (( skipped > 0 )); then echo "$skipped skipped"; fi
echo "$passed passed, $failed failed"
exit $status
