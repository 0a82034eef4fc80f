#!/usr/bin/env bash
# Regenerates the SeaORM entities in entity/src/<database>/ from the migrations.
#
#   scripts/generate-entities.sh          rewrite entity/src/<database>/
#   scripts/generate-entities.sh --check  regenerate into a temporary folder and fail on any difference
#
# It migrates a scratch PostgreSQL database (created and dropped here; server from
# PGHOST/PGPORT/PGUSER or TEST_DATABASE_URL, default 127.0.0.1:5432 as postgres), runs
# sea-orm-cli 2.0.4 on each schema and strips the `schema_name` sea-orm-cli writes (it would pin
# the entities to one PostgreSQL schema and break SQLite).
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-write}
base_url=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
server=${base_url%/*}
scratch="gateway_entities_$$"
databases="head_shakers usegemz character_creation mind_vault deed_o deed_o_auth"

if ! command -v sea-orm-cli >/dev/null || ! sea-orm-cli --version | grep -q ' 2.0.4'; then
  echo "installing sea-orm-cli 2.0.4" >&2
  cargo install --locked sea-orm-cli@2.0.4 --no-default-features --features codegen,sqlx-postgres,runtime-tokio >&2
fi

psql "$base_url" -qXc "CREATE DATABASE $scratch" >/dev/null
cleanup() { psql "$base_url" -qXc "DROP DATABASE IF EXISTS $scratch" >/dev/null 2>&1 || true; rm -rf "$out"; }
out=$(mktemp -d)
trap cleanup EXIT

DATABASE_URL="$server/$scratch" cargo run -q -p migration >&2

for db in $databases; do
  sea-orm-cli generate entity -u "$server/$scratch" -s "$db" -o "$out/$db" >/dev/null
  # sea-orm-cli pins every entity to the schema it read; the gateway reaches each schema
  # through search_path, and SQLite has no schemas.
  find "$out/$db" -name '*.rs' -exec sed -i 's/schema_name = "[^"]*", //' {} +
done

status=0
for db in $databases; do
  if [ "$mode" = "--check" ]; then
    if ! diff -ru "entity/src/$db" "$out/$db"; then
      status=1
    fi
  else
    rm -rf "entity/src/$db"
    cp -r "$out/$db" "entity/src/$db"
  fi
done
if [ "$status" != 0 ]; then
  echo "entities drifted from the migrations: run scripts/generate-entities.sh and commit" >&2
fi
exit $status
