#!/usr/bin/env bash
# The gateway sample in one command: Tessera (with import.template.json, SQLite in a temp dir), the gateway, and two
# services behind it: "orders", which calls "inventory". All on 127.0.0.1, on the ports of ports.env (each overridable
# from the environment: GATEWAY_PORT=6190 samples/gateway/run.sh). Ctrl-C stops all four.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
. "$here/ports.env"
data=$(mktemp -d /tmp/tessera-gateway-sample.XXXXXX)
pids=()
stop() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$data"; }
trap stop EXIT
trap 'exit 130' INT TERM

echo "building..."
dotnet build "$repo/src/Tessera.Server" -c Release -v q --nologo >/dev/null
dotnet build "$repo/src/Tessera.Gateway" -c Release -v q --nologo >/dev/null
dotnet build "$here/Service" -c Release -v q --nologo >/dev/null

wait_for() {   # wait_for URL NAME: at most 60 s
  for _ in $(seq 1 120); do curl -sf -o /dev/null "$1" && { echo "$2 is up: $1"; return 0; }; sleep 0.5; done
  echo "$2 did not start (see $data/$2.log)" >&2; exit 1
}

# The gateway client's redirect and logout URIs name the gateway's port.
sed "s#\${GATEWAY_URL}#$GATEWAY_URL#g" "$here/import.template.json" > "$data/import.json"

(cd "$repo/src/Tessera.Server" && exec dotnet run -c Release --no-build -- --urls "$TESSERA_URL" \
  "--Tessera:Issuer=$TESSERA_URL" --import "$data/import.json" --Tessera:Telemetry:FollowCallerSampling=true \
  "--Tessera:Database:ConnectionString=Data Source=$data/tessera.db") > "$data/tessera.log" 2>&1 &
pids+=($!)
wait_for "$TESSERA_URL/.well-known/openid-configuration" tessera

dotnet run -c Release --no-build --project "$here/Service" -- --urls "$INVENTORY_URL" --Service:Name=inventory \
  "--Tessera:Authority=$TESSERA_URL" > "$data/inventory.log" 2>&1 &
pids+=($!)
dotnet run -c Release --no-build --project "$here/Service" -- --urls "$ORDERS_URL" --Service:Name=orders \
  "--Service:Next=$INVENTORY_URL" "--Tessera:Authority=$TESSERA_URL" > "$data/orders.log" 2>&1 &
pids+=($!)
(cd "$repo/src/Tessera.Gateway" && exec dotnet run -c Release --no-build -- --config "$here/gateway.json" --urls "$GATEWAY_URL" \
  "--Gateway:Authority=$TESSERA_URL" "--ReverseProxy:Clusters:orders:Destinations:orders:Address=$ORDERS_URL/") > "$data/gateway.log" 2>&1 &
pids+=($!)
wait_for "$GATEWAY_URL/login" gateway   # /login answers with a redirect to Tessera once the gateway runs

echo "ready: try the README steps (logs in $data). Ctrl-C stops everything."
wait
