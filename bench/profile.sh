#!/usr/bin/env bash
# Profiles ONE Tessera scenario under the same wrk load as bench/run.sh and prints where the time goes.
#
#   bash bench/profile.sh <jwt-RS256|jwt-ES256|opaque> [sqlite|postgres] [token|introspect]
#
# Needs a published server (TESSERA_DLL, e.g. from KEEP_WORK=1 bash bench/run.sh, or
# `dotnet publish src/Tessera.Server -c Release -o /tmp/tessera-pub`), the peer wrk scripts (PEERS, a copy of
# ../shared/bench/peers) and dotnet-trace (`dotnet tool install --tool-path /tmp/tools dotnet-trace`).
# For postgres, PG_PORT must point at a running throw-away cluster (trust auth).
# Output: OUT/<name>.nettrace (+ .speedscope.json), topN reports (inclusive and exclusive), wrk output with and
# without the trace, and the server's CPU per request.
# Knobs: DURATION=10 WARMUP=3 CONNS=32 THREADS=2 PORT=18095 TRACE=1 (0 = only measure) PROFILE=dotnet-sampled-thread-time
#        PG_DATA=<data dir of the cluster> (to charge PostgreSQL's CPU per request)
#        SERVER_ENV='DOTNET_gcServer=0 ...' (extra environment for the server, for experiments)
set -euo pipefail
variant=${1:?variant}; db=${2:-sqlite}; kind=${3:-token}
BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${TESSERA_DLL:?set TESSERA_DLL}" "${PEERS:?set PEERS (copy of ../shared/bench/peers)}"
TOOLS=${TOOLS:-/tmp/tools}
DURATION=${DURATION:-10} WARMUP=${WARMUP:-3} CONNS=${CONNS:-32} THREADS=${THREADS:-2} PORT=${PORT:-18095}
TRACE=${TRACE:-1} PROFILE=${PROFILE:-dotnet-sampled-thread-time}
name=${NAME:-$variant-$db-$kind}
OUT=${OUT:-$BENCH/.results/profile-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$OUT"
export BENCH_DATA=${BENCH_DATA:-$OUT/data} TESSERA_DLL PG_PORT=${PG_PORT:-55442} PORT
mkdir -p "$BENCH_DATA"
export CLIENT_ID=bench CLIENT_SECRET=bench-secret-0123456789abcdef SCOPE=api

# shellcheck disable=SC2086
(cd "$(dirname "$TESSERA_DLL")" && exec env ${SERVER_ENV:-} bash "$BENCH/lib/start-tessera.sh" "$variant" "$db") > "$OUT/$name.server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 150); do curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$PORT/.well-known/openid-configuration" 2>/dev/null && break; sleep 0.2; done
base=http://127.0.0.1:$PORT
url=$base/connect/token lua=token.lua token=""
if [[ $kind == introspect ]]; then
  token=$(curl -fsS -u "$CLIENT_ID:$CLIENT_SECRET" -d grant_type=client_credentials -d scope=api "$base/connect/token" \
    | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(JSON.parse(s).access_token))')
  url=$base/connect/introspect lua=introspect.lua
fi
run_wrk() { TOKEN=$token timeout $(( $1 + 20 )) wrk -t"$THREADS" -c"$CONNS" -d"$1s" --timeout 10s -s "$PEERS/wrk/$lua" "$url"; }
run_wrk "$WARMUP" > "$OUT/$name.warmup.txt" 2>&1
cpu() { awk '{print $14+$15}' "/proc/$pid/stat"; }

# PostgreSQL cluster CPU (jiffies): postmaster incl. reaped backends + live backends; PG_DATA = its data dir
pgcpu() {
  [[ $db == postgres && -n ${PG_DATA:-} ]] || { echo 0; return; }
  local pm; pm=$(head -1 "$PG_DATA/postmaster.pid")
  cat /proc/[0-9]*/stat 2>/dev/null | awk -v pm="$pm" '{ pid = $1; line = $0; sub(/^[^)]*\) /, "", line); split(line, f, " ")
    if (pid == pm) s += f[12] + f[13] + f[14] + f[15]; else if (f[2] == pm) s += f[12] + f[13] } END { print s + 0 }' || true
}
machine() { awk '/^cpu /{print $2+$3+$4+$7+$8+$9, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat; }

# 1. measured without the profiler (foreign = CPU of every process but the server and wrk, % of the machine)
c0=$(cpu); p0=$(pgcpu); read -r b0 t0 < <(machine)
TOKEN=$token /usr/bin/time -f '%U %S' -o "$OUT/$name.wrk-time.txt" timeout $(( DURATION + 20 )) \
  wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --timeout 10s -s "$PEERS/wrk/$lua" "$url" > "$OUT/$name.wrk.txt" 2>&1
c1=$(cpu); p1=$(pgcpu); read -r b1 t1 < <(machine)
read -r wu ws < "$OUT/$name.wrk-time.txt"
foreign=$(awk -v b=$(( b1 - b0 - p1 + p0 )) -v t=$(( t1 - t0 )) -v s=$(( c1 - c0 )) -v w="$wu" -v x="$ws" \
  'BEGIN { f = (b - s - (w + x) * 100) / t * 100; printf "%.0f", f < 0 ? 0 : f }')
req=$(sed -n 's/^WRK_JSON .*"requests":\([0-9]*\).*/\1/p' "$OUT/$name.wrk.txt")
rps=$(sed -n 's/^WRK_JSON .*"rps":\([0-9.]*\).*/\1/p' "$OUT/$name.wrk.txt")
echo "$name: $rps req/s, server CPU $(( (c1 - c0) * 10000 * 1000 / (req > 0 ? req : 1) / 1000 )) µs/req (CLK_TCK 100)$([[ $db == postgres && -n ${PG_DATA:-} ]] && echo ", PostgreSQL CPU $(( (p1 - p0) * 10000 * 1000 / (req > 0 ? req : 1) / 1000 )) µs/req"), RSS $(awk '/VmHWM/{print $2/1024 " MiB"}' /proc/$pid/status), p50/p99 $(sed -n 's/^WRK_JSON .*"lat_p50_us":\([0-9]*\).*"lat_p99_us":\([0-9]*\).*/\1 \2/p' "$OUT/$name.wrk.txt") µs, foreign load ${foreign} %"

# 2. the same load under dotnet-trace
if [[ $TRACE == 1 ]]; then
  "$TOOLS/dotnet-trace" collect -p "$pid" --profile "$PROFILE" --duration "00:00:00:$(printf '%02d' "$DURATION")" \
    -o "$OUT/$name.nettrace" --format Speedscope > "$OUT/$name.trace.log" 2>&1 &
  tp=$!
  sleep 1; run_wrk "$DURATION" > "$OUT/$name.traced-wrk.txt" 2>&1; wait $tp || true
  "$TOOLS/dotnet-trace" report "$OUT/$name.nettrace" topN -n 40 --inclusive > "$OUT/$name.top-inclusive.txt" 2>&1 || true
  "$TOOLS/dotnet-trace" report "$OUT/$name.nettrace" topN -n 40 > "$OUT/$name.top-exclusive.txt" 2>&1 || true
  echo "trace: $OUT/$name.nettrace; reports $OUT/$name.top-*.txt"
fi
