#!/usr/bin/env bash
# The DPoP rows of bench/run.sh (issue 19), each against its Bearer twin measured in the same pass:
#   tessera-<db>-token-bearer   client credentials → ES256 JWT, no proof (the peers' wrk/token.lua)
#   tessera-<db>-token-dpop     the same request with a DPoP proof: proof check, jti recorded in the database, cnf.jkt
#   gateway-jwt-bearer          GET through Tessera.Gateway with a Bearer ES256 JWT (validated claims cached per token)
#   gateway-jwt-dpop            the same GET with a DPoP-bound JWT and a proof (signature, htu, ath, replay) per request
# Every request of a DPoP row needs a proof of its own (a jti is accepted once), so bench/lib/dpop-proofs.mjs writes them
# before each wrk run (warm-up and run apart) and bench/lib/dpop-request.lua sends one per request; a run that used
# more proofs than were made would show replays as non-2xx.
#   dpop-row.sh <result-dir> <peers-dir> <sqlite|postgres>
# Needs (exported by bench/run.sh): TESSERA_DLL, BENCH_DATA, TESSERA_PORT, DURATION, WARMUP, THREADS, CONNS; PG_PORT for
# postgres; GATEWAY_DLL and PROXY_DLL for the gateway rows (skipped without them). DPOP_RATE (requests a second a proof
# file is sized for, default 15000). Servers bind 127.0.0.1; every wait is bounded.
set -euo pipefail
out=$1 peers=$2 db=$3
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
short=$([[ $db == postgres ]] && echo pg || echo sqlite)
dir=$out/pass-tessera-$short-dpop
mkdir -p "$dir"
: > "$dir/results.jsonl"
base=http://127.0.0.1:$TESSERA_PORT
UPSTREAM_PORT=${UPSTREAM_PORT:-18093} PROXY_PORT=${PROXY_PORT:-18094} DPOP_RATE=${DPOP_RATE:-15000}
export WRK_COMMON=$peers/wrk/common.lua THREADS
hz=$(getconf CLK_TCK)
log() { printf '[dpop] %s\n' "$*" >&2; }
fail() { log "FAILED: $*"; printf '{"peer":"tessera-%s-dpop","scenario":"token","error":"%s"}\n' "$short" "${*//\"/\'}" >> "$dir/results.jsonl"; exit 0; }
json() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const v=JSON.parse(s)[process.argv[1]];process.stdout.write(v===undefined?"":String(v))})' "$1"; }
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true' EXIT
# ready <url> [any]: answers 2xx (or, with "any", answers at all: the proxies have no route at /).
ready() { local f=-sf; [[ ${2:-} == any ]] && f=-s; for _ in $(seq 1 120); do curl $f -o /dev/null --max-time 2 "$1" && return 0; sleep 0.5; done; return 1; }
basic="Basic $(printf 'bench:bench-secret-0123456789abcdef' | base64 -w0)"
# proofs <seconds> <method> <htu> <access-token or ""> <file>: enough proofs for that many seconds at DPOP_RATE, +30 %.
proofs() { node "$here/dpop-proofs.mjs" "$dir/key.json" "$(( DPOP_RATE * $1 * 13 / 10 ))" "$2" "$3" ${4:+"$4"} > "$5"; }
token_run_proofs() { proofs "$DURATION" POST "$token_url" "" "$1"; }
api_run_proofs() { proofs "$DURATION" GET "$api_url" "$bound" "$1"; }

token_url=$base/connect/token
api_url=http://127.0.0.1:$PROXY_PORT/api/items
PORT=$TESSERA_PORT bash "$here/start-tessera.sh" dpop "$db" > "$dir/server.log" 2>&1 &
tessera=$!; pids+=("$tessera")
ready "$base/.well-known/openid-configuration" || fail "the server did not start (see server.log)"

# measure <peer> <scenario> <url> <pid> <script> [VAR=value ...]: warm-up, run, one row in the peers' format. When
# $run_proofs names a command, it writes the run's proofs to $dir/<peer>.run.proofs after the warm-up (fresh iat, unused jti).
run_proofs=""
measure() {
  local peer=$1 scenario=$2 url=$3 pid=$4 script=$5; shift 5
  env "$@" wrk -t"$THREADS" -c"$CONNS" -d"${WARMUP}s" --timeout 10s -s "$script" "$url" > "$dir/$peer.warmup.txt" 2>&1 || true
  if [[ -n $run_proofs ]]; then $run_proofs "$dir/$peer.run.proofs"; set -- "${@/#PROOFS=*/PROOFS=$dir/$peer.run.proofs}"; fi
  busy() { awk '/^cpu /{print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9}' /proc/stat; }
  local j0 j1 s0 t0 s1 t1 wj wall usr sys extra hwm
  j0=$(awk '{print $14 + $15}' "/proc/$pid/stat"); read -r s0 t0 < <(busy)
  env "$@" /usr/bin/time -f '%e %U %S' -o "$dir/$peer.wrk-time.txt" \
    wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --timeout 10s -s "$script" "$url" > "$dir/$peer.wrk.txt" 2> "$dir/$peer.wrk-stderr.txt" || true
  j1=$(awk '{print $14 + $15}' "/proc/$pid/stat"); read -r s1 t1 < <(busy)
  hwm=$(awk '/^VmHWM:/{print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
  wj=$(sed -n 's/^WRK_JSON //p' "$dir/$peer.wrk.txt" | tail -1)
  [[ -n $wj ]] || { log "$peer: wrk produced no summary"; return 0; }
  read -r wall usr sys < "$dir/$peer.wrk-time.txt"
  extra=$(node "$here/cpu-extra.mjs" "$wj" "$j0" "$j1" "$hz" "$wall" "$usr" "$sys" "$s0" "$s1" "$t0" "$t1")
  printf '{"peer":"%s","scenario":"%s","url":"%s",%s,"peak_rss_kib":%s,"wrk":%s}\n' "$peer" "$scenario" "$url" "$extra" "${hwm:-0}" "$wj" >> "$dir/results.jsonl"
  log "$peer $(grep -o '"rps":[0-9.]*' <<<"$wj") non2xx $(grep -o '"non2xx":[0-9]*' <<<"$wj" | cut -d: -f2)"
}

run_proofs=""
measure "tessera-$short-token-bearer" token "$token_url" "$tessera" "$peers/wrk/token.lua" SCOPE=api
proofs "$WARMUP" POST "$token_url" "" "$dir/warm.proofs"
run_proofs=token_run_proofs
measure "tessera-$short-token-dpop" token "$token_url" "$tessera" "$here/dpop-request.lua" \
  PROOFS="$dir/warm.proofs" METHOD=POST AUTHORIZATION="$basic" BODY='grant_type=client_credentials&scope=api'
run_proofs=""

if [[ -z ${GATEWAY_DLL:-} || -z ${PROXY_DLL:-} ]]; then log "no gateway build: the resource rows are skipped"; exit 0; fi
ASPNETCORE_ENVIRONMENT=Production dotnet "$PROXY_DLL" upstream --port "$UPSTREAM_PORT" > "$dir/upstream.log" 2>&1 &
pids+=("$!")
ready "http://127.0.0.1:$UPSTREAM_PORT/" any || fail "the upstream did not start"
ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production Logging__LogLevel__Default=Warning dotnet "$GATEWAY_DLL" \
  --urls "http://127.0.0.1:$PROXY_PORT" --Gateway:Authority="$base" --Gateway:RequireHttpsMetadata=false \
  --Gateway:ClientId=gateway --Gateway:ClientSecret=bench-gateway-secret-0123456789 \
  --Gateway:Audiences:0=https://api.example --Gateway:InternalAudience=https://internal.example \
  --ReverseProxy:Routes:api:ClusterId=up --ReverseProxy:Routes:api:Match:Path='/api/{**rest}' \
  --ReverseProxy:Routes:api:Metadata:Tessera.Scopes=api \
  --ReverseProxy:Clusters:up:Destinations:u:Address="http://127.0.0.1:$UPSTREAM_PORT/" > "$dir/gateway.log" 2>&1 &
gateway=$!; pids+=("$gateway")
ready "http://127.0.0.1:$PROXY_PORT/" any || fail "the gateway did not start"

bearer=$(curl -s -H "Authorization: $basic" -d 'grant_type=client_credentials&scope=api' "$token_url" | json access_token)
proofs 1 POST "$token_url" "" "$dir/bind.proofs"
bound=$(curl -s -H "Authorization: $basic" -H "DPoP: $(head -1 "$dir/bind.proofs")" -d 'grant_type=client_credentials&scope=api' "$token_url" | json access_token)
[[ $bearer == ey* && $bound == ey* ]] || fail "no tokens for the gateway rows"
proofs 1 GET "$api_url" "$bound" "$dir/check.proofs"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: DPoP $bound" -H "DPoP: $(head -1 "$dir/check.proofs")" "$api_url")
[[ $code == 200 ]] || fail "the gateway answered $code to a bound token with a proof"
measure gateway-jwt-bearer get "$api_url" "$gateway" "$here/bearer-get.lua" TOKEN="$bearer"
proofs "$WARMUP" GET "$api_url" "$bound" "$dir/warm.proofs"
run_proofs=api_run_proofs
measure gateway-jwt-dpop get "$api_url" "$gateway" "$here/dpop-request.lua" PROOFS="$dir/warm.proofs" METHOD=GET AUTHORIZATION="DPoP $bound"
rm -f "$dir"/*.proofs
