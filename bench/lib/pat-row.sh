#!/usr/bin/env bash
# One row for bench/run.sh: "introspection of a personal access token" (issue 8), measured like the peers' rows.
#   pat-row.sh <result-dir> <peers-dir> <sqlite|postgres>
# Starts a fresh Tessera (bench/imports/pat.json), makes a PAT the way a user would (device flow: sign in, type the
# code, allow; then POST /api/pats with that token), checks that introspection calls it active, then runs the peers'
# wrk/introspect.lua against /connect/introspect with it (client "bench"), and writes the row into
# <result-dir>/pass-tessera-<db>-pat/results.jsonl in the peers' row format. Bounded: every wait has a limit.
# Needs (exported by bench/run.sh): TESSERA_DLL, BENCH_DATA, TESSERA_PORT, DURATION, WARMUP, THREADS, CONNS; PG_PORT for postgres.
set -euo pipefail
out=$1 peers=$2 db=$3
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
short=$([[ $db == postgres ]] && echo pg || echo sqlite)
name=tessera-$short-pat
dir=$out/pass-$name
mkdir -p "$dir"
base=http://127.0.0.1:$TESSERA_PORT
jar=$dir/cookies.txt
log() { printf '[pat] %s\n' "$*" >&2; }
fail() { log "FAILED: $*"; printf '{"peer":"%s","scenario":"introspect","error":"%s"}\n' "$name" "${*//\"/\'}" >> "$dir/results.jsonl"; exit 0; }
json() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const v=JSON.parse(s)[process.argv[1]];process.stdout.write(v===undefined?"":String(v))})' "$1"; }
# shellcheck source=device-grant.sh
source "$here/device-grant.sh"
# shellcheck source=measure-introspect.sh
source "$here/measure-introspect.sh"

PORT=$TESSERA_PORT bash "$here/start-tessera.sh" pat "$db" > "$dir/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -sf -o /dev/null "$base/.well-known/openid-configuration" && break; sleep 0.5; done
curl -sf -o /dev/null "$base/.well-known/openid-configuration" || fail "the server did not start (see server.log)"
server_pid=$pid   # start-tessera.sh execs dotnet: the same process

# A user's tessera:pats token through the device flow, then the PAT through the API (the CLI's path).
access=$(device_grant "$base" bench-cli tessera:pats bench-user Bench-user-pass-1 "$jar" | json access_token) || fail "no device code"
[[ -n $access ]] || fail "the device flow gave no access token"
pat=$(curl -s -H "Authorization: Bearer $access" -H 'Content-Type: application/json' \
  -d '{"name":"bench","scopes":["api"],"expires_in_days":1}' "$base/api/pats" | json token)
[[ $pat == tsr_pat_* ]] || fail "no personal access token from /api/pats"

log "PAT made through the device flow and /api/pats"
measure_introspect "$name" "$dir" "$base" "$server_pid" "$pat" "PAT active before and after the run"
