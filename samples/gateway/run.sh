#!/usr/bin/env bash
# The gateway sample in one command: Tessera (with import.json, SQLite in a temp dir) on 127.0.0.1:5180, the gateway on
# :5190, and two services behind it: "orders" on :5191, which calls "inventory" on :5192. Ctrl-C stops all four.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
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

(cd "$repo/src/Tessera.Server" && exec dotnet run -c Release --no-build -- --urls http://127.0.0.1:5180 \
  --Tessera:Issuer=http://127.0.0.1:5180 --import "$here/import.json" \
  "--Tessera:Database:ConnectionString=Data Source=$data/tessera.db") > "$data/tessera.log" 2>&1 &
pids+=($!)
wait_for http://127.0.0.1:5180/.well-known/openid-configuration tessera

dotnet run -c Release --no-build --project "$here/Service" -- --urls http://127.0.0.1:5192 --Service:Name=inventory > "$data/inventory.log" 2>&1 &
pids+=($!)
dotnet run -c Release --no-build --project "$here/Service" -- --urls http://127.0.0.1:5191 --Service:Name=orders \
  --Service:Next=http://127.0.0.1:5192 > "$data/orders.log" 2>&1 &
pids+=($!)
(cd "$repo/src/Tessera.Gateway" && exec dotnet run -c Release --no-build -- --config "$here/gateway.json") > "$data/gateway.log" 2>&1 &
pids+=($!)
wait_for http://127.0.0.1:5190/login gateway   # /login answers with a redirect to Tessera once the gateway runs

echo "ready: try the README steps (logs in $data). Ctrl-C stops everything."
wait
