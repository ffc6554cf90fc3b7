#!/usr/bin/env bash
# Two rows for the cost of roles on a user's token path (issue 16): the refresh-token grant of one user's grant for an
# API with "userAccess": "rbac" and "claims": ["roles"] (the user's permissions and roles are read at every refresh),
# against the same grant for a consent-based API (no role is read), in one server and one run.
#   refresh-row.sh <result-dir> <peers-dir> <sqlite|postgres>
# Starts a fresh Tessera (bench/imports/refresh.json) with Tessera:RefreshTokens:ReuseGraceSeconds=300, so one refresh
# token can be sent for the whole row (each request still rotates it: a new refresh-token row, a new access token).
# Each grant comes from the device flow as a user would make it (sign in, type the code, allow). Writes the rows into
# <result-dir>/pass-tessera-<db>-refresh/results.jsonl in the peers' row format. Bounded: every wait has a limit.
# Needs (exported by bench/run.sh, or set by hand): TESSERA_DLL, BENCH_DATA, TESSERA_PORT, DURATION, WARMUP, THREADS,
# CONNS; PG_PORT for postgres.
set -euo pipefail
out=$1 peers=$2 db=$3
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
short=$([[ $db == postgres ]] && echo pg || echo sqlite)
name=tessera-$short-refresh
dir=$out/pass-$name
mkdir -p "$dir"
base=http://127.0.0.1:$TESSERA_PORT
hz=$(getconf CLK_TCK)
log() { printf '[refresh] %s\n' "$*" >&2; }
fail() { log "FAILED: $*"; printf '{"peer":"%s","scenario":"refresh","error":"%s"}\n' "$name" "${*//\"/\'}" >> "$dir/results.jsonl"; exit 0; }
json() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const v=JSON.parse(s)[process.argv[1]];process.stdout.write(v===undefined?"":String(v))})' "$1"; }
# shellcheck source=device-grant.sh
source "$here/device-grant.sh"

export Tessera__RefreshTokens__ReuseGraceSeconds=300
PORT=$TESSERA_PORT bash "$here/start-tessera.sh" refresh "$db" > "$dir/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -sf -o /dev/null "$base/.well-known/openid-configuration" && break; sleep 0.5; done
curl -sf -o /dev/null "$base/.well-known/openid-configuration" || fail "the server did not start (see server.log)"

# One user's grant through the device flow: its refresh token.
grant() {
  local answer
  answer=$(device_grant "$base" bench-cli "$1" bench-user Bench-user-pass-1 "$dir/cookies-$RANDOM.txt") || fail "no device code for '$1'"
  json refresh_token <<<"$answer"
}

busy() { awk '/^cpu /{print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9}' /proc/stat; }
row() { # <scenario> <scope> <expected scope in the answer>
  local scenario=$1 scope=$2 expected=$3 refresh answer j0 j1 s0 s1 t0 t1 wj wall usr sys extra hwm
  refresh=$(grant "$scope")
  [[ -n $refresh ]] || fail "the device flow gave no refresh token for '$scope'"
  answer=$(curl -s -d grant_type=refresh_token -d client_id=bench-cli -d "refresh_token=$refresh" "$base/connect/token")
  [[ $(json scope <<<"$answer") == "$expected" ]] || fail "refresh for '$scope' answered $answer"
  export REFRESH_TOKEN=$refresh CLIENT_ID=bench-cli WRK_COMMON=$peers/wrk/common.lua
  wrk -t"$THREADS" -c"$CONNS" -d"${WARMUP}s" --timeout 10s -s "$here/refresh.lua" "$base/connect/token" > "$dir/$scenario.warmup.txt" 2>&1 || true
  j0=$(awk '{print $14 + $15}' "/proc/$pid/stat"); read -r s0 t0 < <(busy)
  /usr/bin/time -f '%e %U %S' -o "$dir/$scenario.wrk-time.txt" \
    wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --timeout 10s -s "$here/refresh.lua" "$base/connect/token" > "$dir/$scenario.wrk.txt" 2>&1 || true
  j1=$(awk '{print $14 + $15}' "/proc/$pid/stat"); read -r s1 t1 < <(busy)
  hwm=$(awk '/^VmHWM:/{print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
  wj=$(sed -n 's/^WRK_JSON //p' "$dir/$scenario.wrk.txt" | tail -1)
  [[ -n $wj ]] || fail "wrk produced no summary (see $scenario.wrk.txt)"
  read -r wall usr sys < "$dir/$scenario.wrk-time.txt"
  extra=$(node "$here/cpu-extra.mjs" "$wj" "$j0" "$j1" "$hz" "$wall" "$usr" "$sys" "$s0" "$s1" "$t0" "$t1")
  printf '{"peer":"%s","scenario":"%s","url":"%s","check":"refresh answered scope %s",%s,"peak_rss_kib":%s,"wrk":%s}\n' \
    "$name" "$scenario" "$base/connect/token" "$expected" "$extra" "${hwm:-0}" "$wj" >> "$dir/results.jsonl"
  log "$scenario: $(grep -o '"rps":[0-9.]*' <<<"$wj"), $(grep -o '"non2xx":[0-9]*' <<<"$wj")"
}

row refresh-consent "offline_access open" "offline_access open"
row refresh-rbac "offline_access api" "offline_access api"
printf '{"date":"%s","threads":%s,"conns":%s,"duration":%s,"warmup":%s}\n' "$(date -u +%Y-%m-%dT%H:%MZ)" "$THREADS" "$CONNS" "$DURATION" "$WARMUP" > "$dir/meta.json"
