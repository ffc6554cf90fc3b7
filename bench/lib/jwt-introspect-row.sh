#!/usr/bin/env bash
# One row for bench/run.sh: introspection of a JWT access token (issue "Scale": before, every call read the deny-list
# with a SELECT; now the revoked ids are in memory). The peers' harness introspects only opaque tokens, so this row is
# measured here, like pat-row.sh's:
#   jwt-introspect-row.sh <result-dir> <peers-dir> <sqlite|postgres>
# Starts a fresh Tessera (bench/imports/jwt-ES256.json), takes a client-credentials JWT (client "bench"), checks that
# introspection calls it active, runs wrk/introspect.lua against /connect/introspect with it and writes the row into
# <result-dir>/pass-tessera-<db>-jwt-introspect/results.jsonl. Bounded: every wait has a limit.
# Needs (exported by bench/run.sh): TESSERA_DLL, BENCH_DATA, TESSERA_PORT, DURATION, WARMUP, THREADS, CONNS; PG_PORT for postgres.
set -euo pipefail
out=$1 peers=$2 db=$3
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
short=$([[ $db == postgres ]] && echo pg || echo sqlite)
name=tessera-$short-jwt-introspect
dir=$out/pass-$name
mkdir -p "$dir"
base=http://127.0.0.1:$TESSERA_PORT
log() { printf '[jwt-introspect] %s\n' "$*" >&2; }
fail() { log "FAILED: $*"; printf '{"peer":"%s","scenario":"introspect","error":"%s"}\n' "$name" "${*//\"/\'}" >> "$dir/results.jsonl"; exit 0; }
json() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const v=JSON.parse(s)[process.argv[1]];process.stdout.write(v===undefined?"":String(v))})' "$1"; }
# shellcheck source=measure-introspect.sh
source "$here/measure-introspect.sh"

PORT=$TESSERA_PORT bash "$here/start-tessera.sh" jwt-ES256 "$db" > "$dir/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -sf -o /dev/null "$base/.well-known/openid-configuration" && break; sleep 0.5; done
curl -sf -o /dev/null "$base/.well-known/openid-configuration" || fail "the server did not start (see server.log)"

jwt=$(curl -s -u bench:bench-secret-0123456789abcdef -d 'grant_type=client_credentials&scope=api' "$base/connect/token" | json access_token)
[[ $jwt == ey* ]] || fail "no JWT from the token endpoint"
measure_introspect "$name" "$dir" "$base" "$pid" "$jwt" "JWT active before and after the run"
