#!/usr/bin/env bash
# Tessera next to its peers, in ONE run and ONE table (issue 8).
#
# Builds Tessera (Release), copies the shared peer harness (../shared/bench/peers, read-only) to a temp dir
# and drives that copy's run.sh: first the peers (oidc-provider, OpenIddict, bare Kestrel, one-core crypto
# limits), then one pass per Tessera variant through run.sh's EXTRA_* hook (the hook takes one server
# configuration per invocation). Every pass writes into the same result directory; the rows are merged
# and bench/lib/report.mjs prints one table with Tessera ÷ peer ratios.
#
#   bash bench/run.sh                          # everything, about 8-9 minutes
#   ONLY_TESSERA=1 bash bench/run.sh           # Tessera rows only (no peers, so no ratios)
#   TESSERA_PASSES='sqlite-opaque' bash bench/run.sh
#
# Tessera rows (peer column "tessera-<db>-<variant>", scenario as run.sh names it):
#   sqlite-RS256  token (client_credentials -> RFC 9068 JWT, RS256)
#   sqlite-ES256  token (JWT ES256), JWKS (RSA + EC key, like oidc-provider's), discovery
#   sqlite-opaque token (opaque handle, stored in SQLite: WAL, synchronous=NORMAL), introspection of one such handle
#   pg-RS256, pg-ES256, pg-opaque   the same token / introspection rows on a throw-away PostgreSQL 15
#   pg-jwt-introspect  introspection of a client-credentials JWT (bench/lib/jwt-introspect-row.sh; the peers' harness
#                 introspects only opaque tokens): its deny-list is in memory since issue "Scale" (sqlite-… also exists)
#   pg-opaque-2nodes  opaque issuance on two nodes sharing one database, both loaded at once (bench/lib/two-node-row.sh;
#                 half the connections each): group commit split over two nodes (issue "Scale")
#   sqlite-refresh  refresh of a user's grant (bench/lib/refresh-row.sh): an API with userAccess rbac and claims
#                 ["roles"] against a consent-based API in the same server and run (the cost of roles); not in the
#                 default passes, no peer has the row (pg-refresh also exists)
#   sqlite-ES256-otel, sqlite-opaque-otel (and pg-…-otel)   the same rows with telemetry on: traces and metrics exported
#                 over OTLP/HTTP to a local sink (bench/lib/otlp-sink.mjs, answers 200 to every export) — the cost of
#                 OpenTelemetry against the row without it in the same run (issue 18); OTEL_SETTINGS adds settings
#                 to those servers, e.g. OTEL_SETTINGS="Tessera__Telemetry__TraceSampleRatio=0.1 " (end it with a space)
#   pg-dpop       DPoP (issue 19, bench/lib/dpop-row.sh): client-credentials issuance with a DPoP proof per request, and a GET
#                 through Tessera.Gateway with a DPoP-bound JWT and a proof, each against its Bearer twin in the same pass
#                 (rows tessera-pg-token-bearer/-dpop, gateway-jwt-bearer/-dpop); sqlite-dpop also exists
#   sqlite-pat    introspection of a personal access token (bench/lib/pat-row.sh: a PAT made through the device flow
#                 and /api/pats, then the peers' introspect.lua against it; no peer has PATs, so no ratio but the ceiling)
# Gateway rows (bench/lib/gateway-pass.sh, issue 5), in their own table: the same GET to a fixed-response upstream through
#   plain YARP (no authentication) and Tessera.Gateway with a JWT and with an opaque caller token, in one pass.
# Each Tessera process starts with an empty database (bench/lib/start-tessera.sh) and imports
# bench/imports/<variant>.json: client "bench" / "bench-secret-0123456789abcdef", scope "api",
# one API with audience https://api.example.
#
# Knobs (environment):
#   DURATION=6 WARMUP=3 THREADS=2 CONNS=32    wrk settings, passed to the peers' run.sh (6 s, not the harness's 10, so that
#                                             every row, the PAT row and the gateway pass fit in the 10-minute budget)
#   PEER_ROWS=<regex>       peer rows to run (default: every peer row that a Tessera row is compared with,
#                           plus the Kestrel ceiling; '.*' adds oidc-provider's in-memory rows and OpenIddict's
#                           no-storage row)
#   TESSERA_PASSES='...'    which Tessera passes run (default: all ten, in the order above; pg-pat also exists)
#   ONLY_TESSERA=1          skip the peers and the crypto limits
#   GATEWAY=1               run the gateway pass last (0: skip it); it needs about 80 s
#   ONLY_GATEWAY=1          only the gateway pass: no peers, no Tessera token passes, no PostgreSQL
#   SKIP_CRYPTO=1           skip the one-core crypto limits
#   QUIET_BUDGET=5          seconds each pass may wait for other processes to calm down (run.sh's quiet gate)
#   NOISY_RETRIES=0         re-runs of a disturbed row (run.sh knob; 0 here to stay inside the time limit)
#   BENCH_LIMIT=590         hard wall-clock limit of the whole script, seconds (builds included)
#   TESSERA_PORT=18090      port of the Tessera under test; PG_PORT=55442 for the throw-away PostgreSQL
#   PG_BIN=/usr/lib/postgresql/15/bin   PG_OPTS=''   (e.g. PG_OPTS='-c synchronous_commit=off')
#   OUT=<dir>               result directory (default bench/.results/<UTC timestamp>, git-ignored)
#   KEEP_WORK=1             keep the temp dir (published server, peer copy, databases)
# Servers bind 127.0.0.1 only. Every wait and loop is bounded.
set -euo pipefail

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$BENCH/.." && pwd)
BENCH_LIMIT=${BENCH_LIMIT:-590}
if [[ -z "${TESSERA_BENCH_BOUNDED:-}" ]]; then
  export TESSERA_BENCH_BOUNDED=1
  exec timeout --signal=TERM --kill-after=15 "$BENCH_LIMIT" bash "${BASH_SOURCE[0]}" "$@"
fi
T0=$(date +%s)
DEADLINE=$(( T0 + BENCH_LIMIT - 20 ))   # leave time for the report and the clean-up

SHARED_PEERS=${SHARED_PEERS:-$REPO/../shared/bench/peers}
TESSERA_PORT=${TESSERA_PORT:-18090}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_PORT=${PG_PORT:-55442}
PG_OPTS=${PG_OPTS:-}
TESSERA_PASSES=${TESSERA_PASSES:-sqlite-RS256 sqlite-ES256 sqlite-opaque sqlite-pat pg-RS256 pg-ES256 pg-opaque pg-jwt-introspect pg-opaque-2nodes pg-dpop}
PEER_ROWS=${PEER_ROWS:-'node-oidc-provider/(token-jwt-RS256|token-jwt-ES256|token-opaque|introspect-opaque|token-opaque-sqlite|introspect-opaque-sqlite|jwks|discovery)|openiddict/(token-jwt-RS256|token-jwt-ES256|token-reference|introspect-reference|jwks|discovery)|kestrel-ceiling/.*'}
export DURATION=${DURATION:-6} WARMUP=${WARMUP:-3} THREADS=${THREADS:-2} CONNS=${CONNS:-32}
GATEWAY=${GATEWAY:-1}
if [[ "${ONLY_GATEWAY:-0}" == 1 ]]; then ONLY_TESSERA=1; TESSERA_PASSES=""; GATEWAY=1; fi
export QUIET_BUDGET=${QUIET_BUDGET:-5} NOISY_RETRIES=${NOISY_RETRIES:-0} NOISY_BG=${NOISY_BG:-10}
OUT=${OUT:-$BENCH/.results/$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

log() { printf '[%4ds] %s\n' "$(( $(date +%s) - T0 ))" "$*" >&2; }
die() { log "FATAL: $*"; exit 1; }
remaining() { echo $(( DEADLINE - $(date +%s) )); }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tessera-bench.XXXXXX")
chmod 755 "$WORK"
PG_DATA=$WORK/pg
as_pg() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
SAMPLER_PID=""
OTLP_SINK_PID=""
cleanup() {
  if [[ -n $SAMPLER_PID ]]; then kill "$SAMPLER_PID" 2>/dev/null || true; fi
  if [[ -n $OTLP_SINK_PID ]]; then kill "$OTLP_SINK_PID" 2>/dev/null || true; fi
  if [[ -f $PG_DATA/postmaster.pid ]]; then
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -t 20 stop >/dev/null 2>&1 \
      || as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate stop >/dev/null 2>&1 || true
  fi
  if [[ "${KEEP_WORK:-0}" == 1 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

# --------------------------------------------------------------------------- tools
if ! command -v wrk >/dev/null || ! command -v /usr/bin/time >/dev/null; then
  log "installing wrk and time (Debian packages)"
  apt-get install -y -qq wrk time >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk time >/dev/null; }
fi
command -v wrk >/dev/null || die "wrk is not installed"
command -v node >/dev/null || die "node is needed for the report"
[[ -r $SHARED_PEERS/run.sh ]] || die "peer harness not found at $SHARED_PEERS"

# --------------------------------------------------------------------------- build Tessera, copy the peers
log "dotnet publish -c Release (Tessera.Server)"
timeout 300 dotnet publish "$REPO/src/Tessera.Server/Tessera.Server.csproj" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$WORK/tessera" \
  --nologo -v q -clp:ErrorsOnly > "$OUT/publish.log" 2>&1 || { tail -20 "$OUT/publish.log" >&2; die "publish failed"; }
export TESSERA_DLL=$WORK/tessera/Tessera.Server.dll BENCH_DATA=$WORK/data PG_PORT
mkdir -p "$BENCH_DATA"

if [[ $GATEWAY == 1 ]]; then
  log "dotnet publish -c Release (Tessera.Gateway, Tessera.Bench.Proxy)"
  for project in "$REPO/src/Tessera.Gateway/Tessera.Gateway.csproj" "$BENCH/Tessera.Bench.Proxy/Tessera.Bench.Proxy.csproj"; do
    name=$(basename "$project" .csproj)
    timeout 300 dotnet publish "$project" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$WORK/$name" \
      --nologo -v q -clp:ErrorsOnly > "$OUT/publish-$name.log" 2>&1 || { tail -20 "$OUT/publish-$name.log" >&2; die "publish of $name failed"; }
  done
  export GATEWAY_DLL=$WORK/Tessera.Gateway/Tessera.Gateway.dll PROXY_DLL=$WORK/Tessera.Bench.Proxy/Tessera.Bench.Proxy.dll
fi

cp -r "$SHARED_PEERS" "$WORK/peers"
chmod -R u+w "$WORK/peers"   # the shared copy is read-only; run.sh builds next to its own files
PEERS=$WORK/peers
if [[ "${ONLY_GATEWAY:-0}" != 1 ]]; then
  log "building the peers (npm ci, dotnet build) in $PEERS"
  (cd "$PEERS" && ONLY='^$' SKIP_CRYPTO=1 TOTAL_LIMIT=$(remaining) OUT="$OUT/pass-build" bash run.sh > "$OUT/pass-build.log" 2>&1) \
    || { tail -20 "$OUT/pass-build.log" >&2; die "building the peers failed"; }
fi

# --------------------------------------------------------------------------- throw-away PostgreSQL
PG_VERSION=""
if [[ " $TESSERA_PASSES " == *" pg-"* ]]; then
  [[ -x $PG_BIN/initdb ]] || die "PostgreSQL binaries not found in $PG_BIN (set PG_BIN, or leave pg-* out of TESSERA_PASSES)"
  if (exec 3<>"/dev/tcp/127.0.0.1/$PG_PORT") 2>/dev/null; then die "port $PG_PORT is in use (set PG_PORT)"; fi
  mkdir -p "$PG_DATA"; [[ $(id -u) == 0 ]] && chown postgres "$PG_DATA"
  log "PostgreSQL: initdb + start on 127.0.0.1:$PG_PORT ${PG_OPTS:+($PG_OPTS)}"
  as_pg timeout 60 "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 > "$OUT/pg-initdb.log" 2>&1 || die "initdb failed"
  # shellcheck disable=SC2086
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DATA -c max_connections=200 $PG_OPTS" start > /dev/null \
    || { tail -20 "$PG_DATA/log" >&2; die "PostgreSQL did not start"; }
  PG_VERSION=$("$PG_BIN/postgres" --version | awk '{print $3}')
  # PostgreSQL's CPU is not the server's and would count as "foreign load": sample the cluster's CPU
  # (postmaster incl. reaped backends + live backends) twice a second, so the report can charge it per request.
  pg_sampler() {
    set +e +o pipefail   # runs in its own background subshell; a process vanishing mid-read is normal
    local pm; pm=$(head -1 "$PG_DATA/postmaster.pid")
    echo "# hz $(getconf CLK_TCK) ncpu $(nproc) postmaster $pm"
    while (( $(date +%s) < DEADLINE + 20 )) && kill -0 "$pm" 2>/dev/null; do
      printf '%s ' "$(date +%s.%N)"
      cat /proc/[0-9]*/stat 2>/dev/null | awk -v pm="$pm" '{
        pid = $1; line = $0; sub(/^[^)]*\) /, "", line); split(line, f, " ")
        if (pid == pm) s += f[12] + f[13] + f[14] + f[15]; else if (f[2] == pm) s += f[12] + f[13]
      } END { print s + 0 }'
      sleep 0.5
    done
  }
  pg_sampler > "$OUT/pg-cpu.tsv" 2>/dev/null &
  SAMPLER_PID=$!
fi

# --------------------------------------------------------------------------- passes
# pass <name> <ONLY-regex> [VAR=value ...]: one invocation of the peers' run.sh, rows into $OUT/pass-<name>/
PASS_DIRS=()
pass() {
  local name=$1 only=$2; shift 2
  PASS_DIRS+=("$OUT/pass-$name")
  local left; left=$(remaining)
  if (( left < 30 )); then log "no time left for pass $name: skipped"; return 0; fi
  log "pass $name (ONLY='$only', up to ${left} s)"
  (cd "$PEERS" && env "$@" SKIP_BUILD=1 ONLY="$only" TOTAL_LIMIT="$left" OUT="$OUT/pass-$name" bash run.sh \
     > "$OUT/pass-$name.log" 2>&1) || log "pass $name ended early (status $?; see pass-$name.log)"
  grep -E '^\[ *[0-9]+s\]' "$OUT/pass-$name.log" | grep -vE 'done in|^$' | sed 's/^/    /' >&2 || true
}

if [[ "${ONLY_TESSERA:-0}" != 1 ]]; then
  pass peers "^(${PEER_ROWS}|cryptolimits)\$" SKIP_CRYPTO="${SKIP_CRYPTO:-0}"
fi

OTLP_SINK_PORT=${OTLP_SINK_PORT:-18099}
if [[ " $TESSERA_PASSES " == *"-otel "* ]]; then
  node "$BENCH/lib/otlp-sink.mjs" "$OTLP_SINK_PORT" > "$OUT/otlp-sink.log" 2>&1 &
  OTLP_SINK_PID=$!
fi

for p in $TESSERA_PASSES; do
  db=${p%%-*}; variant=${p#*-}
  telemetry=""
  if [[ $variant == *-otel ]]; then
    variant=${variant%-otel}
    telemetry="env Tessera__Telemetry__Otlp=http://127.0.0.1:$OTLP_SINK_PORT ${OTEL_SETTINGS:-}"
  fi
  case $db in sqlite) dbarg=sqlite ;; pg) dbarg=postgres ;; *) die "unknown Tessera pass $p" ;; esac
  if [[ $variant == refresh ]]; then
    PASS_DIRS+=("$OUT/pass-tessera-$p")
    if (( $(remaining) < 45 )); then log "no time left for pass tessera-$p: skipped"; continue; fi
    log "pass tessera-$p (refresh of a user's grant: role-based API against consent-based)"
    TESSERA_PORT=$TESSERA_PORT timeout "$(remaining)" bash "$BENCH/lib/refresh-row.sh" "$OUT" "$PEERS" "$dbarg" \
      2> >(tee "$OUT/pass-tessera-$p.log" | sed 's/^/    /' >&2) || log "pass tessera-$p ended early (status $?)"
    continue
  fi
  if [[ $variant == opaque-2nodes ]]; then
    PASS_DIRS+=("$OUT/pass-tessera-$p")
    if (( $(remaining) < 60 )); then log "no time left for pass tessera-$p: skipped"; continue; fi
    [[ $db == pg ]] || die "the two-node pass needs PostgreSQL (pg-opaque-2nodes)"
    log "pass tessera-$p (opaque issuance on two nodes sharing one database, both loaded)"
    TESSERA_PORT=$TESSERA_PORT timeout "$(remaining)" bash "$BENCH/lib/two-node-row.sh" "$OUT" "$PEERS" \
      2> >(tee "$OUT/pass-tessera-$p.log" | sed 's/^/    /' >&2) || log "pass tessera-$p ended early (status $?)"
    continue
  fi
  if [[ $variant == jwt-introspect ]]; then
    PASS_DIRS+=("$OUT/pass-tessera-$p")
    if (( $(remaining) < 30 )); then log "no time left for pass tessera-$p: skipped"; continue; fi
    log "pass tessera-$p (introspection of a JWT access token)"
    TESSERA_PORT=$TESSERA_PORT timeout "$(remaining)" bash "$BENCH/lib/jwt-introspect-row.sh" "$OUT" "$PEERS" "$dbarg" \
      2> >(tee "$OUT/pass-tessera-$p.log" | sed 's/^/    /' >&2) || log "pass tessera-$p ended early (status $?)"
    continue
  fi
  if [[ $variant == dpop ]]; then
    PASS_DIRS+=("$OUT/pass-tessera-$p")
    if (( $(remaining) < 60 )); then log "no time left for pass tessera-$p: skipped"; continue; fi
    log "pass tessera-$p (DPoP-bound issuance and gateway validation against their Bearer twins)"
    TESSERA_PORT=$TESSERA_PORT timeout "$(remaining)" bash "$BENCH/lib/dpop-row.sh" "$OUT" "$PEERS" "$dbarg" \
      2> >(tee "$OUT/pass-tessera-$p.log" | sed 's/^/    /' >&2) || log "pass tessera-$p ended early (status $?)"
    continue
  fi
  if [[ $variant == pat ]]; then
    PASS_DIRS+=("$OUT/pass-tessera-$p")
    if (( $(remaining) < 30 )); then log "no time left for pass tessera-$p: skipped"; continue; fi
    log "pass tessera-$p (introspection of a personal access token)"
    TESSERA_PORT=$TESSERA_PORT timeout "$(remaining)" bash "$BENCH/lib/pat-row.sh" "$OUT" "$PEERS" "$dbarg" \
      2> >(tee "$OUT/pass-tessera-$p.log" | sed 's/^/    /' >&2) || log "pass tessera-$p ended early (status $?)"
    continue
  fi
  case $variant in
    RS256)  import=jwt-RS256; expect=jwt:RS256 ;;
    ES256)  import=jwt-ES256; expect=jwt:ES256 ;;
    opaque) import=opaque;    expect=opaque ;;
    *) die "unknown Tessera pass $p" ;;
  esac
  introspect=""; jwks=""; discovery=""
  [[ $variant == opaque ]] && introspect=/connect/introspect
  [[ $p == sqlite-ES256 || $p == sqlite-ES256-otel ]] && { jwks=/.well-known/jwks; discovery=/.well-known/openid-configuration; }
  pass "tessera-$p" "^tessera-$p/" SKIP_CRYPTO=1 \
    EXTRA_NAME="tessera-$p" EXTRA_DIR="$WORK/tessera" EXTRA_PORT="$TESSERA_PORT" \
    EXTRA_CMD="${telemetry}bash $BENCH/lib/start-tessera.sh $import $dbarg" EXTRA_READY_PATH=/.well-known/openid-configuration \
    EXTRA_TOKEN_PATH=/connect/token EXTRA_TOKEN_EXPECT="$expect" EXTRA_INTROSPECT_PATH="$introspect" \
    EXTRA_OPAQUE_ENV="" EXTRA_JWKS_PATH="$jwks" EXTRA_DISCOVERY_PATH="$discovery"
done

if [[ $GATEWAY == 1 ]]; then
  PASS_DIRS+=("$OUT/pass-gateway")
  if (( $(remaining) < 60 )); then log "no time left for the gateway pass: skipped"
  else
    log "pass gateway (plain YARP, Tessera.Gateway JWT, Tessera.Gateway opaque)"
    OUT=$OUT WRK_COMMON=$PEERS/wrk/common.lua DEADLINE=$DEADLINE TESSERA_PORT=$TESSERA_PORT \
      bash "$BENCH/lib/gateway-pass.sh" 2> "$OUT/pass-gateway.log" || log "gateway pass ended early (see pass-gateway.log)"
    grep -E '^\[ *[0-9]+s\]' "$OUT/pass-gateway.log" | sed 's/^/    /' >&2 || true
  fi
fi

# --------------------------------------------------------------------------- merge + report
: > "$OUT/results.jsonl"
for d in "${PASS_DIRS[@]}"; do
  [[ -f $d/results.jsonl ]] && cat "$d/results.jsonl" >> "$OUT/results.jsonl"
done
first_meta=""
for d in "${PASS_DIRS[@]}"; do [[ -z $first_meta && -f $d/meta.json ]] && first_meta=$d/meta.json; done
for f in crypto.tsv crypto-bg.txt; do [[ -f $OUT/pass-peers/$f ]] && cp "$OUT/pass-peers/$f" "$OUT/$f"; done
tessera_commit=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?')
tessera_dirty=$(git -C "$REPO" status --porcelain -- src 2>/dev/null | head -1)
node -e '
  const fs = require("fs");
  const [file, out, commit, pg, ef, npgsql] = process.argv.slice(1);
  const meta = file ? JSON.parse(fs.readFileSync(file, "utf8")) : {};
  meta.date ??= new Date().toISOString().slice(0, 16).replace("T", " ") + " UTC";
  meta.threads ??= process.env.THREADS; meta.conns ??= process.env.CONNS;
  meta.duration ??= process.env.DURATION; meta.warmup ??= process.env.WARMUP;
  meta.versions = { ...(meta.versions ?? {}), Tessera: commit, "Tessera EF Core": ef, Npgsql: npgsql, PostgreSQL: pg || "-" };
  fs.writeFileSync(out, JSON.stringify(meta) + "\n");
' "$first_meta" "$OUT/meta.json" "$tessera_commit${tessera_dirty:+ (+ local changes)}" "$PG_VERSION" \
  "$(grep -o '"Microsoft.EntityFrameworkCore.Sqlite/[^"]*"' "$WORK/tessera/Tessera.Server.deps.json" | head -1 | tr -d '"' | cut -d/ -f2)" \
  "$(grep -o '"Npgsql/[^"]*"' "$WORK/tessera/Tessera.Server.deps.json" | head -1 | tr -d '"' | cut -d/ -f2)"
echo
node "$BENCH/lib/report.mjs" "$OUT"
log "done in $(( $(date +%s) - T0 )) s; raw results, server logs and checks in $OUT"
