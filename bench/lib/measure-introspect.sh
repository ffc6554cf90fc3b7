# shellcheck shell=bash
# Sourced by the row scripts that introspect a token of their own (pat-row.sh, jwt-introspect-row.sh): warms up, runs
# the peers' wrk/introspect.lua against <base>/connect/introspect as client "bench", checks the token is still active,
# and appends the row in the peers' format to <dir>/results.jsonl, with <dir>/meta.json for a report of the row alone.
#   measure_introspect <peer-name> <dir> <base> <server-pid> <token> <check-text>
# Needs: DURATION, WARMUP, THREADS, CONNS; the caller's fail() and json(); peers dir in $peers, this dir in $here.
measure_introspect() {
  local name=$1 dir=$2 base=$3 server_pid=$4 token=$5 check=$6
  local hz; hz=$(getconf CLK_TCK)
  probe() { curl -s -u bench:bench-secret-0123456789abcdef -d "token=$token" "$base/connect/introspect" | json active; }
  [[ $(probe) == true ]] || fail "the token is not active at introspection before the run"
  export TOKEN=$token CLIENT_ID=bench CLIENT_SECRET=bench-secret-0123456789abcdef
  wrk -t"$THREADS" -c"$CONNS" -d"${WARMUP}s" --timeout 10s -s "$peers/wrk/introspect.lua" "$base/connect/introspect" > "$dir/warmup.txt" 2>&1 || true
  busy() { awk '/^cpu /{print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9}' /proc/stat; }
  local j0 j1 s0 t0 s1 t1 hwm wj wall usr sys extra
  j0=$(awk '{print $14 + $15}' "/proc/$server_pid/stat"); read -r s0 t0 < <(busy)
  /usr/bin/time -f '%e %U %S' -o "$dir/wrk-time.txt" \
    wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --timeout 10s -s "$peers/wrk/introspect.lua" "$base/connect/introspect" > "$dir/wrk.txt" 2>&1 || true
  j1=$(awk '{print $14 + $15}' "/proc/$server_pid/stat"); read -r s1 t1 < <(busy)
  hwm=$(awk '/^VmHWM:/{print $2}' "/proc/$server_pid/status" 2>/dev/null || echo 0)
  [[ $(probe) == true ]] || fail "the token was not active after the run"
  wj=$(sed -n 's/^WRK_JSON //p' "$dir/wrk.txt" | tail -1)
  [[ -n $wj ]] || fail "wrk produced no summary (see wrk.txt)"
  read -r wall usr sys < "$dir/wrk-time.txt"
  # Foreign load as the peers' run.sh counts it: machine CPU that was neither the server nor wrk.
  extra=$(node "$here/cpu-extra.mjs" "$wj" "$j0" "$j1" "$hz" "$wall" "$usr" "$sys" "$s0" "$s1" "$t0" "$t1")
  printf '{"peer":"%s","scenario":"introspect","url":"%s","check":"%s",%s,"peak_rss_kib":%s,"wrk":%s}\n' \
    "$name" "$base/connect/introspect" "$check" "$extra" "${hwm:-0}" "$wj" >> "$dir/results.jsonl"
  printf '{"date":"%s","threads":%s,"conns":%s,"duration":%s,"warmup":%s}\n' "$(date -u +%Y-%m-%dT%H:%MZ)" "$THREADS" "$CONNS" "$DURATION" "$WARMUP" > "$dir/meta.json"
  log "$(grep -o '"rps":[0-9.]*' <<<"$wj")"
}
