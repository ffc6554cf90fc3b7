#!/usr/bin/env bash
# Starts ONE fresh Tessera process for bench/run.sh (called by the peers' run.sh as EXTRA_CMD, once per
# scenario, with PORT in the environment). Every start gets an empty database: a new SQLite file, or a new
# PostgreSQL database on the throw-away cluster, which Tessera's migrations create on start.
#   start-tessera.sh <jwt-RS256|jwt-ES256|opaque> <sqlite|postgres>
# Needs (exported by bench/run.sh): TESSERA_DLL, BENCH_DATA, and for postgres PG_PORT (PG_CONN_EXTRA is appended
# to the Npgsql connection string, for experiments, e.g. "Max Auto Prepare=20"). PG_DATABASE and PG_USER replace the
# fresh database and the postgres role (bench/dbcost.sh: two nodes share one database, each under its own role).
set -euo pipefail
variant=$1 db=$2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
import=$here/imports/$variant.json
[[ -f $import ]] || { echo "start-tessera: no import file $import" >&2; exit 2; }
stamp=$(date +%s%N)
case $db in
  sqlite)   export Tessera__Database__Provider=sqlite
            export Tessera__Database__ConnectionString="Data Source=$BENCH_DATA/tessera-$variant-$stamp.db" ;;
  postgres) export Tessera__Database__Provider=postgres
            export Tessera__Database__ConnectionString="Host=127.0.0.1;Port=$PG_PORT;Username=${PG_USER:-postgres};Database=${PG_DATABASE:-tessera_$stamp}${PG_CONN_EXTRA:+;$PG_CONN_EXTRA}" ;;
  *) echo "start-tessera: database must be sqlite or postgres" >&2; exit 2 ;;
esac
export Tessera__Import=$import
# ISSUER: a second node of a cluster answers for the first one's issuer (bench/lib/two-node-row.sh).
export Tessera__Issuer=${ISSUER:-http://127.0.0.1:$PORT}
# Same environment as the .NET peers: Production, logging at Warning.
export ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production Logging__LogLevel__Default=Warning
# A throw-away database per run: the key ring may sit in clear in it (Production refuses that otherwise).
export Tessera__DataProtection__AllowUnprotected=true
exec dotnet "$TESSERA_DLL" --urls "http://127.0.0.1:$PORT"
