#!/usr/bin/env bash
# What each operation costs the database (issue "Scale"): statements and round trips per operation, idle statements
# and round trips per node per second, and the connections a node holds under concurrent load. One table.
#
#   bash bench/dbcost.sh                                    # about 3-4 minutes, hard limit DBCOST_LIMIT (300 s)
#   TESSERA_DLL=/tmp/pub/Tessera.Server.dll bash bench/dbcost.sh   # reuse a published server (no publish)
#
# Starts a throw-away PostgreSQL 15 with pg_stat_statements (track=all) and two Tessera nodes on one database
# (bench/imports/dbcost.json), each under its own role (pg_stat_statements counts per role) and through its own port of
# a relay that counts round trips (bench/lib/pg-turns.mjs). Node A serves the measured operations with its periodic
# jobs slowed down to one an hour (the back-channel logout poll to its maximum, a minute), so a row's window holds the
# operation alone; node B keeps the defaults and is the idle node. bench/lib/dbcost.mjs runs the operations and prints
# the table; details (every statement of every row) go to $OUT/dbcost.md and dbcost.json.
#
# Knobs (environment):
#   N=40                 operations per sequential row (tokens issued, introspections)
#   REFRESH_N=10         measured rotations per refresh-grant row;  FAMILY=31   rows of the refresh family then revoked
#   ISSUE_CONCURRENCY=32 ISSUE_SECONDS=5     the opaque-issuance row under load (tokens per multi-row INSERT)
#   LOAD_CONCURRENCY=128 LOAD_SECONDS=5      the connection rows
#   IDLE_SECONDS=30      node B's idle window (it runs while A is measured)
#   PG_PORT=55500        throw-away PostgreSQL; RELAY_PORT=55501 (node A: 55501, node B: 55502, control: 55503)
#   TESSERA_PORT=18590   node A; node B is TESSERA_PORT+1
#   PG_BIN=/usr/lib/postgresql/15/bin   DBCOST_LIMIT=300   OUT=<dir> (default bench/.results/dbcost-<UTC stamp>)
#   KEEP_WORK=1          keep the temp dir (published server, cluster, server logs)
# Everything binds 127.0.0.1; every wait and loop is bounded; the trap stops every process the script started.
set -euo pipefail

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$BENCH/.." && pwd)
DBCOST_LIMIT=${DBCOST_LIMIT:-300}
if [[ -z "${TESSERA_DBCOST_BOUNDED:-}" ]]; then
  export TESSERA_DBCOST_BOUNDED=1
  exec timeout --signal=TERM --kill-after=15 "$DBCOST_LIMIT" bash "${BASH_SOURCE[0]}" "$@"
fi
T0=$(date +%s)
DEADLINE=$(( T0 + DBCOST_LIMIT - 15 ))   # time for the table and the clean-up

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_PORT=${PG_PORT:-55500}
RELAY_PORT=${RELAY_PORT:-55501}
A_RELAY=$RELAY_PORT B_RELAY=$(( RELAY_PORT + 1 )) RELAY_CONTROL=$(( RELAY_PORT + 2 ))
A_PORT=${TESSERA_PORT:-18590}
B_PORT=$(( A_PORT + 1 ))
DATABASE=tessera_dbcost
OUT=${OUT:-$BENCH/.results/dbcost-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

log() { printf '[%4ds] %s\n' "$(( $(date +%s) - T0 ))" "$*" >&2; }
die() { log "FATAL: $*"; exit 1; }
remaining() { echo $(( DEADLINE - $(date +%s) )); }

for port in "$PG_PORT" "$A_RELAY" "$B_RELAY" "$RELAY_CONTROL" "$A_PORT" "$B_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then die "port $port is in use (see the knobs in the header)"; fi
done
[[ -x $PG_BIN/initdb ]] || die "PostgreSQL binaries not found in $PG_BIN"
[[ -f $PG_BIN/../lib/pg_stat_statements.so ]] || die "pg_stat_statements is not installed next to $PG_BIN"
command -v node >/dev/null || die "node is needed"
command -v psql >/dev/null || die "psql is needed"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tessera-dbcost.XXXXXX")
chmod 755 "$WORK"
PG_DATA=$WORK/pg
as_pg() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$pid" 2>/dev/null || true
  done
  if [[ -f $PG_DATA/postmaster.pid ]]; then
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -t 20 stop >/dev/null 2>&1 \
      || as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate stop >/dev/null 2>&1 || true
  fi
  if [[ "${KEEP_WORK:-0}" == 1 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

# --------------------------------------------------------------------------- Tessera
if [[ -z ${TESSERA_DLL:-} ]]; then
  # Not ReadyToRun, unlike run.sh: statement and round-trip counts do not depend on JIT, and the publish is faster.
  log "dotnet publish -c Release (Tessera.Server)"
  timeout 240 dotnet publish "$REPO/src/Tessera.Server/Tessera.Server.csproj" -c Release -r linux-x64 --self-contained false \
    -o "$WORK/tessera" --nologo -v q -clp:ErrorsOnly > "$OUT/publish.log" 2>&1 || { tail -20 "$OUT/publish.log" >&2; die "publish failed"; }
  TESSERA_DLL=$WORK/tessera/Tessera.Server.dll
fi
[[ -f $TESSERA_DLL ]] || die "no $TESSERA_DLL"
export TESSERA_DLL BENCH_DATA=$WORK/data
mkdir -p "$BENCH_DATA"

# --------------------------------------------------------------------------- throw-away PostgreSQL
mkdir -p "$PG_DATA"; [[ $(id -u) == 0 ]] && chown postgres "$PG_DATA"
log "PostgreSQL: initdb + start on 127.0.0.1:$PG_PORT with pg_stat_statements"
as_pg timeout 60 "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 > "$OUT/pg-initdb.log" 2>&1 || die "initdb failed"
as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/log" -w -t 30 \
  -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DATA -c max_connections=300 -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all -c pg_stat_statements.max=10000" \
  start > /dev/null || { tail -20 "$PG_DATA/log" >&2; die "PostgreSQL did not start"; }
pg() { psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -AtXq -v ON_ERROR_STOP=1 "$@"; }
# One role per node: pg_stat_statements keeps its counts per role, so each node's statements are its own.
pg -c "CREATE EXTENSION pg_stat_statements" -c "CREATE ROLE tessera_a LOGIN SUPERUSER" -c "CREATE ROLE tessera_b LOGIN SUPERUSER" \
  || die "could not prepare the cluster"
PG_VERSION=$("$PG_BIN/postgres" --version | awk '{print $3}')

log "round-trip relay: node A on $A_RELAY, node B on $B_RELAY"
node "$BENCH/lib/pg-turns.mjs" "$PG_PORT" "$RELAY_CONTROL" "$A_RELAY" "$B_RELAY" > "$OUT/relay.log" 2>&1 &
PIDS+=($!)

# start_node <name> <http-port> <relay-port> <role> [Setting=value ...]
start_node() {
  local name=$1 port=$2 relay=$3 role=$4; shift 4
  env "$@" PORT="$port" PG_PORT="$relay" PG_USER="$role" PG_DATABASE=$DATABASE PG_CONN_EXTRA="Application Name=tessera-$name" \
    bash "$BENCH/lib/start-tessera.sh" dbcost postgres > "$OUT/node-$name.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 120); do
    curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$port/.well-known/openid-configuration" && return 0
    kill -0 "${PIDS[-1]}" 2>/dev/null || break
    sleep 0.5
  done
  tail -20 "$OUT/node-$name.log" >&2
  die "node $name did not start"
}
log "node A on 127.0.0.1:$A_PORT (periodic jobs slowed down), migrations and import"
start_node a "$A_PORT" "$A_RELAY" tessera_a \
  Tessera__Cache__RevocationPollInterval=01:00:00 Tessera__Cache__RefreshInterval=01:00:00 \
  Tessera__Housekeeping__Interval=01:00:00 Tessera__Keys__CheckInterval=01:00:00 Tessera__BackChannelLogout__PollInterval=00:01:00
log "node B on 127.0.0.1:$B_PORT (defaults)"
start_node b "$B_PORT" "$B_RELAY" tessera_b

# --------------------------------------------------------------------------- users' refresh tokens (device flow at B)
# shellcheck source=lib/device-grant.sh
source "$BENCH/lib/device-grant.sh"
refresh_token_for() {
  device_grant "http://127.0.0.1:$B_PORT" bench-cli "$1" bench-user Bench-user-pass-1 "$WORK/cookies-$RANDOM.txt" \
    | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{process.stdout.write(JSON.parse(s).refresh_token??"")}catch{}})'
}
log "two user grants through the device flow at node B (JWT API, opaque API)"
RT_JWT=$(refresh_token_for "offline_access api" || true)
RT_OPAQUE=$(refresh_token_for "offline_access opaque" || true)
[[ -n $RT_JWT && -n $RT_OPAQUE ]] || log "a device grant gave no refresh token: its refresh rows are skipped"

# --------------------------------------------------------------------------- the operations and the table
commit=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?')
# The server's code is what the figures describe: name the last commit that changed it, for before/after comparisons.
src_commit=$(git -C "$REPO" log -1 --format=%h -- src 2>/dev/null || echo '?')
dirty=$(git -C "$REPO" status --porcelain -- src 2>/dev/null | head -1)
npgsql=$(grep -o '"Npgsql/[^"]*"' "$(dirname "$TESSERA_DLL")/Tessera.Server.deps.json" 2>/dev/null | head -1 | tr -d '"' | cut -d/ -f2)
log "operations (Tessera $commit${dirty:+ + local changes}, PostgreSQL $PG_VERSION, $(nproc) cores)"
A_URL=http://127.0.0.1:$A_PORT B_URL=http://127.0.0.1:$B_PORT PG_PORT=$PG_PORT PG_DATABASE=$DATABASE \
  A_ROLE=tessera_a B_ROLE=tessera_b A_APP=tessera-a B_APP=tessera-b TURNS_URL=http://127.0.0.1:$RELAY_CONTROL \
  A_TURNS_PORT=$A_RELAY B_TURNS_PORT=$B_RELAY RT_JWT=$RT_JWT RT_OPAQUE=$RT_OPAQUE OUT=$OUT DEADLINE=$DEADLINE \
  timeout "$(remaining)" node "$BENCH/lib/dbcost.mjs" > "$OUT/table.md" || log "the operations ended early (status $?)"
{
  printf 'Tessera %s (src/ last changed in %s)%s, Npgsql %s, PostgreSQL %s, %s cores, load average %s, %s UTC\n' "$commit" "$src_commit" \
    "${dirty:+ + local changes}" "${npgsql:-?}" "$PG_VERSION" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)" "$(date -u '+%Y-%m-%d %H:%M')"
  cat "$OUT/table.md"
} | tee "$OUT/table.txt"
log "done in $(( $(date +%s) - T0 )) s; every statement of every row in $OUT/dbcost.md"
