#!/usr/bin/env bash
# Range partitions by expiry against one table with batched deletes, for the opaque-token table (issue "Scale", item 1:
# "consider range partitions ... measure both and keep what wins"). Starts a throw-away PostgreSQL 15 (default durability)
# and measures, on a copy of OpaqueTokens' columns:
#   plain   — the table as Tessera has it: primary key "Hash", index on "ExpiresAt"; expired rows deleted in batches
#   parted  — PARTITION BY RANGE ("ExpiresAt"), one partition per hour (26), primary key ("Hash", "ExpiresAt") as
#             PostgreSQL requires; expired rows go by dropping whole partitions
# 1. issuance: pgbench, 4 clients for SECONDS, each transaction one 32-row INSERT (a group commit's batch)
# 2. introspection miss: pgbench, 4 clients for SECONDS, SELECT of one row by "Hash" alone (what a lookup knows)
# 3. pruning 500,000 expired rows: batches of 1,000 (housekeeping's default, one transaction each) against DROP TABLE of
#    the expired partitions
#   bash bench/partitions.sh            # about a minute; SECONDS=10 ROWS=500000 PG_PORT=55600 PG_BIN=...
# Binds 127.0.0.1; the trap stops the server and removes its directory.
set -euo pipefail
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_PORT=${PG_PORT:-55600}
SECONDS_EACH=${SECONDS_EACH:-10}
ROWS=${ROWS:-500000}
work=$(mktemp -d /tmp/tessera-partitions.XXXXXX)
chmod 755 "$work"
as_pg() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() { as_pg "$PG_BIN/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
mkdir -p "$work/pg"; [[ $(id -u) == 0 ]] && chown postgres "$work/pg"
as_pg "$PG_BIN/initdb" -D "$work/pg" -U postgres --auth=trust -E UTF8 >/dev/null
as_pg "$PG_BIN/pg_ctl" -D "$work/pg" -l "$work/pg/log" -w -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $work/pg" start >/dev/null
psql() { "$PG_BIN/psql" -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 "$@"; }
now=$(date +%s)

psql <<SQL
CREATE TABLE plain ("Hash" bytea PRIMARY KEY, "Jti" varchar(64) NOT NULL, "ClientId" varchar(200) NOT NULL,
  "Subject" varchar(200) NOT NULL, "Audiences" text NOT NULL, "Scope" text NOT NULL, "IssuedAt" bigint NOT NULL,
  "ExpiresAt" bigint NOT NULL, "RevokedAt" bigint);
CREATE INDEX ON plain ("ExpiresAt");
CREATE TABLE parted ("Hash" bytea NOT NULL, "Jti" varchar(64) NOT NULL, "ClientId" varchar(200) NOT NULL,
  "Subject" varchar(200) NOT NULL, "Audiences" text NOT NULL, "Scope" text NOT NULL, "IssuedAt" bigint NOT NULL,
  "ExpiresAt" bigint NOT NULL, "RevokedAt" bigint, PRIMARY KEY ("Hash", "ExpiresAt")) PARTITION BY RANGE ("ExpiresAt");
-- Hourly partitions from three hours ago to a day ahead (an API's token lives at most a day).
DO \$\$ BEGIN
  FOR h IN -3..22 LOOP
    EXECUTE format('CREATE TABLE parted_%s PARTITION OF parted FOR VALUES FROM (%s) TO (%s)', h + 3,
      ($now / 3600 + h) * 3600, ($now / 3600 + h + 1) * 3600);
  END LOOP;
END \$\$;
SQL

# The backlog: ROWS tokens that expired one to two hours ago, in both tables.
expired="sha256(int8send(i)), i::text, 'bench', 'bench', 'https://api.example', 'api', $now - 7200 - i % 3600, ($now / 3600 - 2) * 3600 + i % 3600, NULL FROM generate_series(1, $ROWS) AS i"
psql -c "INSERT INTO plain SELECT $expired" -c "INSERT INTO parted SELECT $expired" -c "VACUUM ANALYZE"

cat > "$work/insert-plain.sql" <<'SQL'
INSERT INTO plain SELECT sha256(random()::text::bytea), md5(random()::text), 'bench', 'bench', 'https://api.example', 'api', extract(epoch from now())::bigint, extract(epoch from now())::bigint + 3600 + (random() * 60)::int, NULL FROM generate_series(1, 32);
SQL
sed 's/INTO plain/INTO parted/' "$work/insert-plain.sql" > "$work/insert-parted.sql"
cat > "$work/select-plain.sql" <<'SQL'
\set i random(1, 500000)
SELECT * FROM plain WHERE "Hash" = sha256(int8send(:i));
SQL
sed 's/FROM plain/FROM parted/' "$work/select-plain.sql" > "$work/select-parted.sql"
bench() { "$PG_BIN/pgbench" -n -h 127.0.0.1 -p "$PG_PORT" -U postgres -c 4 -j 2 -T "$SECONDS_EACH" -f "$work/$1.sql" postgres 2>/dev/null | sed -n 's/^tps = \([0-9.]*\).*/\1/p'; }
for table in plain parted; do
  echo "$table: issuance, 32-row INSERTs/s: $(bench insert-$table)"
  echo "$table: lookup by Hash, SELECTs/s: $(bench select-$table)"
done
echo "plain: plan of a lookup by Hash:"; psql -c "EXPLAIN SELECT * FROM plain WHERE \"Hash\" = sha256(int8send(1))" | sed -n '3,4p'
echo "parted: index scans in a lookup by Hash: $(psql -At -c "EXPLAIN SELECT * FROM parted WHERE \"Hash\" = sha256(int8send(1))" | grep -c 'Index Scan')"

start=$(date +%s%N)
psql <<SQL
DO \$\$ DECLARE n int; BEGIN
  LOOP
    DELETE FROM plain WHERE ctid IN (SELECT ctid FROM plain WHERE "ExpiresAt" <= $now ORDER BY "ExpiresAt" LIMIT 1000);
    GET DIAGNOSTICS n = ROW_COUNT;
    COMMIT;
    EXIT WHEN n < 1000;
  END LOOP;
END \$\$;
SQL
echo "plain: $ROWS expired rows deleted in batches of 1,000: $(( ($(date +%s%N) - start) / 1000000 )) ms"
start=$(date +%s%N)
psql -c "DROP TABLE parted_0, parted_1"
echo "parted: the expired partitions dropped: $(( ($(date +%s%N) - start) / 1000000 )) ms"
echo "left: plain $(psql -At -c "SELECT count(*) FROM plain WHERE \"ExpiresAt\" <= $now"), parted $(psql -At -c "SELECT count(*) FROM parted WHERE \"ExpiresAt\" <= $now")"
