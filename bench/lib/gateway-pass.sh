#!/usr/bin/env bash
# The gateway rows of bench/run.sh (issue 5): the same GET through three proxies to the same upstream, in one pass.
#   plain-yarp              YARP with no authentication (Tessera.Bench.Proxy yarp)
#   tessera-gateway-jwt     Tessera.Gateway, caller token a JWT (RS256, validated locally on every request)
#   tessera-gateway-opaque  Tessera.Gateway, caller token opaque (introspected once, then within the cache window)
# In both gateway rows the identity token obtained by token exchange is cached for its lifetime, so the measured run
# shows the per-request cost of the gateway: token check, scope policy, exchange-cache lookup, header transform.
# The upstream is a fixed 200-byte JSON answer (Tessera.Bench.Proxy upstream). One fresh proxy process per row;
# Tessera and the upstream run through the whole pass and their CPU is not counted as foreign load.
# Needs (from bench/run.sh): OUT, TESSERA_DLL, GATEWAY_DLL, PROXY_DLL, BENCH_DATA, WRK_COMMON, DEADLINE,
# DURATION WARMUP THREADS CONNS, TESSERA_PORT. Writes rows in the peers' results.jsonl format to $OUT/pass-gateway/.
set -euo pipefail
BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
UPSTREAM_PORT=${UPSTREAM_PORT:-18093}
PROXY_PORT=${PROXY_PORT:-18094}
NOISY_BG=${NOISY_BG:-10}
P=$OUT/pass-gateway
mkdir -p "$P"
RESULTS=$P/results.jsonl
: > "$RESULTS"
HZ=$(getconf CLK_TCK)
T0=$(date +%s)
log() { printf '[%4ds] %s\n' "$(( $(date +%s) - T0 ))" "$*" >&2; }

pids_to_stop=()
stop_all() { for pid in "${pids_to_stop[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap stop_all EXIT

proc_jiffies() { awk '{ line = $0; sub(/^[^)]*\) /, "", line); split(line, f, " "); print f[12] + f[13] }' "/proc/$1/stat" 2>/dev/null || echo 0; }
cpu_busy_total() { awk '/^cpu / { t = 0; for (i = 2; i <= NF; i++) t += $i; print t - $5 - $6, t }' /proc/stat; }
wait_ready() { # <url> <pid> <log>
  for _ in $(seq 1 300); do
    curl -s -o /dev/null --max-time 2 "$1" && return 0
    kill -0 "$2" 2>/dev/null || { log "process exited during start-up:"; tail -20 "$3" >&2; return 1; }
    sleep 0.1
  done
  log "not ready after 30 s: $1"; return 1
}
record_error() { log "  gateway/$1 FAILED: $2"; printf '{"peer":"gateway","scenario":"%s","error":"%s"}\n' "$1" "${2//\"/\'}" >> "$RESULTS"; }

# --------------------------------------------------------------------------- Tessera and the upstream, for the whole pass
PORT=$TESSERA_PORT bash "$BENCH/lib/start-tessera.sh" gateway sqlite > "$P/tessera.log" 2>&1 &
TESSERA_PID=$!; pids_to_stop+=("$TESSERA_PID")
ISSUER=http://127.0.0.1:$TESSERA_PORT
wait_ready "$ISSUER/.well-known/openid-configuration" "$TESSERA_PID" "$P/tessera.log"
ASPNETCORE_ENVIRONMENT=Production dotnet "$PROXY_DLL" upstream --port "$UPSTREAM_PORT" > "$P/upstream.log" 2>&1 &
UPSTREAM_PID=$!; pids_to_stop+=("$UPSTREAM_PID")
wait_ready "http://127.0.0.1:$UPSTREAM_PORT/" "$UPSTREAM_PID" "$P/upstream.log"

token() { curl -s -u bench:bench-secret-0123456789abcdef -d grant_type=client_credentials -d "scope=$1" "$ISSUER/connect/token" \
  | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p'; }
JWT=$(token api); OPAQUE=$(token opaque)
[[ $JWT == eyJ* && $OPAQUE == tsr_at_* ]] || { record_error setup "could not get the caller tokens from Tessera"; exit 0; }

# Each start function runs in the background subshell of row() and execs, so $! is the proxy process itself.
start_yarp() { ASPNETCORE_ENVIRONMENT=Production exec dotnet "$PROXY_DLL" yarp --port "$PROXY_PORT" --upstream "http://127.0.0.1:$UPSTREAM_PORT/"; }
start_gateway() {
  ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production Logging__LogLevel__Default=Warning exec dotnet "$GATEWAY_DLL" \
    --urls "http://127.0.0.1:$PROXY_PORT" --Gateway:Authority="$ISSUER" --Gateway:RequireHttpsMetadata=false \
    --Gateway:ClientId=gateway --Gateway:ClientSecret=bench-gateway-secret-0123456789 \
    --Gateway:Audiences:0=https://api.example --Gateway:Audiences:1=https://api.example/opaque \
    --Gateway:InternalAudience=https://internal.example \
    --ReverseProxy:Routes:api:ClusterId=up --ReverseProxy:Routes:api:Match:Path='/api/{**rest}' \
    --ReverseProxy:Routes:api:Metadata:Tessera.Scopes=api \
    --ReverseProxy:Routes:opaque:ClusterId=up --ReverseProxy:Routes:opaque:Match:Path='/o/{**rest}' \
    --ReverseProxy:Routes:opaque:Metadata:Tessera.Scopes=opaque \
    --ReverseProxy:Clusters:up:Destinations:u:Address="http://127.0.0.1:$UPSTREAM_PORT/"
}

# row <scenario> <start-function> <path> <token>
row() {
  local scen=$1 start=$2 path=$3 tok=$4 url=http://127.0.0.1:$PROXY_PORT$3
  if (( $(date +%s) + DURATION + WARMUP + 20 > DEADLINE )); then log "no time left for gateway/$scen: skipped"; return 0; fi
  log "gateway/$scen: starting the proxy"
  $start > "$P/$scen.server.log" 2>&1 &
  local pid=$!
  if ! wait_ready "http://127.0.0.1:$PROXY_PORT/" "$pid" "$P/$scen.server.log"; then record_error "$scen" "proxy did not start"; return 0; fi
  # preflight: the exact request reaches the upstream (and, through the gateway, was authorized and exchanged)
  local code; code=$(curl -s -o "$P/$scen.preflight.json" -w '%{http_code}' --max-time 10 ${tok:+-H "Authorization: Bearer $tok"} "$url") || code=000
  if [[ $code != 200 ]] || ! grep -q '"service":"upstream"' "$P/$scen.preflight.json"; then
    kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; record_error "$scen" "preflight answered $code"; return 0
  fi
  TOKEN=$tok WRK_COMMON=$WRK_COMMON wrk -t"$THREADS" -c"$CONNS" -d"${WARMUP}s" --timeout 10s -s "$BENCH/lib/bearer-get.lua" "$url" > "$P/$scen.warmup.txt" 2>&1 || true
  local j0 u0 t0s s0 t0 j1 u1 t1s s1 t1
  j0=$(proc_jiffies "$pid"); u0=$(proc_jiffies "$UPSTREAM_PID"); t0s=$(proc_jiffies "$TESSERA_PID"); read -r s0 t0 < <(cpu_busy_total)
  TOKEN=$tok WRK_COMMON=$WRK_COMMON /usr/bin/time -f '%e %U %S' -o "$P/$scen.wrk-time.txt" \
    wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --timeout 10s -s "$BENCH/lib/bearer-get.lua" "$url" > "$P/$scen.wrk.txt" 2> "$P/$scen.wrk-stderr.txt" || true
  j1=$(proc_jiffies "$pid"); u1=$(proc_jiffies "$UPSTREAM_PID"); t1s=$(proc_jiffies "$TESSERA_PID"); read -r s1 t1 < <(cpu_busy_total)
  local hwm; hwm=$(awk '/^VmHWM:/{print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 ${tok:+-H "Authorization: Bearer $tok"} "$url") || code=000
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  [[ $code == 200 ]] || { record_error "$scen" "after the run: answered $code"; return 0; }
  local wj; wj=$(sed -n 's/^WRK_JSON //p' "$P/$scen.wrk.txt" | tail -1)
  [[ -n $wj ]] || { record_error "$scen" "wrk produced no summary"; return 0; }
  local wall usr sys; read -r wall usr sys < "$P/$scen.wrk-time.txt" || { wall=$DURATION; usr=0; sys=0; }
  local extra
  extra=$(awk -v j0="$j0" -v j1="$j1" -v u0="$u0" -v u1="$u1" -v a0="$t0s" -v a1="$t1s" -v s0="$s0" -v s1="$s1" -v t0="$t0" -v t1="$t1" \
              -v hz="$HZ" -v wall="$wall" -v usr="$usr" -v sys="$sys" -v wj="$wj" '
    BEGIN {
      match(wj, /"requests":[0-9]+/); req = substr(wj, RSTART + 11, RLENGTH - 11) + 0
      match(wj, /"duration_s":[0-9.]+/); dur = substr(wj, RSTART + 13, RLENGTH - 13) + 0
      srv = (j1 - j0) / hz; up = (u1 - u0) / hz; iss = (a1 - a0) / hz; wrkcpu = usr + sys; busy = (s1 - s0) / hz; total = (t1 - t0) / hz
      bg = total > 0 ? (busy - srv - up - iss - wrkcpu) / total * 100 : 0; if (bg < 0) bg = 0
      printf("\"srv_cores\":%.3f,\"srv_cpu_us_per_req\":%.1f,\"upstream_cpu_us_per_req\":%.1f,\"tessera_cpu_us_per_req\":%.1f,", srv / dur, req ? srv * 1e6 / req : 0, req ? up * 1e6 / req : 0, req ? iss * 1e6 / req : 0)
      printf("\"wrk_cores\":%.3f,\"bg_load_pct\":%.1f", wrkcpu / wall, bg)
    }')
  printf '{"peer":"gateway","scenario":"%s","url":"%s","check":"200 from the upstream",%s,"peak_rss_kib":%s,"wrk":%s}\n' \
    "$scen" "$url" "$extra" "${hwm:-0}" "$wj" >> "$RESULTS"
  log "  $(printf '%s' "$wj" | grep -o '"rps":[0-9.]*'), non2xx $(printf '%s' "$wj" | grep -o '"non2xx":[0-9]*' | cut -d: -f2)"
}

row plain-yarp start_yarp /api/items ""
row tessera-gateway-jwt start_gateway /api/items "$JWT"
row tessera-gateway-opaque start_gateway /o/items "$OPAQUE"
log "gateway pass done"
