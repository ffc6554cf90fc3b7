#!/usr/bin/env bash
# One row for bench/run.sh: opaque issuance on TWO nodes sharing one PostgreSQL database, both loaded at once (issue
# "Scale"): the offered load of the pg-opaque row split over two nodes, so each node's group commit gets half the callers.
#   two-node-row.sh <result-dir> <peers-dir>
# Starts node A (migrations, import) then node B on the same database with A's issuer, checks that a token issued at A is
# active at B, then runs the peers' wrk/token.lua against both at once (-t1 and half the connections each, warm-up
# first) and writes one row — the two wrk runs summed — into <result-dir>/pass-tessera-pg-opaque-2nodes/results.jsonl in
# the peers' row format. CPU is both servers' together. Bounded: every wait has a limit.
# Needs (exported by bench/run.sh): TESSERA_DLL, BENCH_DATA, TESSERA_PORT, PG_PORT, DURATION, WARMUP, CONNS.
set -euo pipefail
out=$1 peers=$2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
name=tessera-pg-opaque-2nodes
dir=$out/pass-$name
mkdir -p "$dir"
portA=$TESSERA_PORT portB=$((TESSERA_PORT + 1))
baseA=http://127.0.0.1:$portA baseB=http://127.0.0.1:$portB
hz=$(getconf CLK_TCK)
half=$(( CONNS / 2 ))
log() { printf '[2nodes] %s\n' "$*" >&2; }
fail() { log "FAILED: $*"; printf '{"peer":"%s","scenario":"token","error":"%s"}\n' "$name" "${*//\"/\'}" >> "$dir/results.jsonl"; exit 0; }
json() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const v=JSON.parse(s)[process.argv[1]];process.stdout.write(v===undefined?"":String(v))})' "$1"; }
ready() { for _ in $(seq 1 120); do curl -sf -o /dev/null "$1/.well-known/openid-configuration" && return 0; sleep 0.5; done; return 1; }

database=tessera_2nodes_$(date +%s%N)
PORT=$portA PG_DATABASE=$database bash "$here/start-tessera.sh" opaque postgres > "$dir/server-a.log" 2>&1 &
pidA=$!
pidB=""
trap 'kill $pidA $pidB 2>/dev/null || true; wait $pidA $pidB 2>/dev/null || true' EXIT
ready "$baseA" || fail "node A did not start (see server-a.log)"
# Behind a load balancer every node answers for the same issuer.
PORT=$portB PG_DATABASE=$database ISSUER=$baseA bash "$here/start-tessera.sh" opaque postgres > "$dir/server-b.log" 2>&1 &
pidB=$!
ready "$baseB" || fail "node B did not start (see server-b.log)"

auth=bench:bench-secret-0123456789abcdef
token=$(curl -s -u "$auth" -d 'grant_type=client_credentials&scope=api' "$baseA/connect/token" | json access_token)
[[ $token == tsr_at_* ]] || fail "node A issued no opaque token"
[[ $(curl -s -u "$auth" -d "token=$token" "$baseB/connect/introspect" | json active) == true ]] || fail "a token issued at A is not active at B"
log "a token issued at node A is active at node B"

both() { # <seconds> <suffix>: wrk against both nodes at once
  /usr/bin/time -f '%e %U %S' -o "$dir/wrk-a$2-time.txt" wrk -t1 -c"$half" -d"$1s" --timeout 10s -s "$peers/wrk/token.lua" "$baseA/connect/token" > "$dir/wrk-a$2.txt" 2>&1 &
  local a=$!
  /usr/bin/time -f '%e %U %S' -o "$dir/wrk-b$2-time.txt" wrk -t1 -c"$half" -d"$1s" --timeout 10s -s "$peers/wrk/token.lua" "$baseB/connect/token" > "$dir/wrk-b$2.txt" 2>&1 &
  local b=$!
  wait $a $b || true
}
both "$WARMUP" -warmup
busy() { awk '/^cpu /{print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9}' /proc/stat; }
jiffies() { echo $(( $(awk '{print $14 + $15}' "/proc/$pidA/stat") + $(awk '{print $14 + $15}' "/proc/$pidB/stat") )); }
j0=$(jiffies); read -r s0 t0 < <(busy)
both "$DURATION" ""
j1=$(jiffies); read -r s1 t1 < <(busy)
hwm=$(( $(awk '/^VmHWM:/{print $2}' "/proc/$pidA/status") + $(awk '/^VmHWM:/{print $2}' "/proc/$pidB/status") ))

wa=$(sed -n 's/^WRK_JSON //p' "$dir/wrk-a.txt" | tail -1); wb=$(sed -n 's/^WRK_JSON //p' "$dir/wrk-b.txt" | tail -1)
[[ -n $wa && -n $wb ]] || fail "wrk produced no summary (see wrk-a.txt, wrk-b.txt)"
# The two runs as one: requests and rates summed, the worse of each latency percentile.
wj=$(node -e '
  const [a, b] = process.argv.slice(1).map(s => JSON.parse(s)), r = { ...a };
  for (const k of ["requests", "rps", "bytes", "non2xx", "err_connect", "err_read", "err_write", "err_status", "err_timeout"]) r[k] = a[k] + b[k];
  for (const k of Object.keys(a).filter(k => k.startsWith("lat_"))) r[k] = Math.max(a[k], b[k]);
  r.duration_s = Math.max(a.duration_s, b.duration_s); r.non2xx_exact = a.non2xx_exact && b.non2xx_exact;
  r.rps = Math.round(r.rps * 10) / 10; process.stdout.write(JSON.stringify(r));' "$wa" "$wb")
read -r wallA usrA sysA < "$dir/wrk-a-time.txt"; read -r wallB usrB sysB < "$dir/wrk-b-time.txt"
wall=$(node -e 'console.log(Math.max(+process.argv[1], +process.argv[2]))' "$wallA" "$wallB")
usr=$(node -e 'console.log(+process.argv[1] + +process.argv[2])' "$usrA" "$usrB"); sys=$(node -e 'console.log(+process.argv[1] + +process.argv[2])' "$sysA" "$sysB")
extra=$(node "$here/cpu-extra.mjs" "$wj" "$j0" "$j1" "$hz" "$wall" "$usr" "$sys" "$s0" "$s1" "$t0" "$t1")
printf '{"peer":"%s","scenario":"token","url":"%s + %s","check":"a token issued at A is active at B",%s,"peak_rss_kib":%s,"wrk":%s}\n' \
  "$name" "$baseA/connect/token" "$baseB/connect/token" "$extra" "$hwm" "$wj" >> "$dir/results.jsonl"
printf '{"date":"%s","threads":2,"conns":%s,"duration":%s,"warmup":%s}\n' "$(date -u +%Y-%m-%dT%H:%MZ)" "$CONNS" "$DURATION" "$WARMUP" > "$dir/meta.json"
log "$(grep -o '"rps":[0-9.]*' <<<"$wj") over both nodes"
