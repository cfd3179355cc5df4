#!/usr/bin/env bash
# Restore a pg_backup.sh archive into an EMPTY database: scripts/pg_restore.sh FILE
#   DATABASE_URL  the database to restore into (required); it must exist and hold no tables
#                 (createdb it first), so a restore never mixes with or overwrites live data.
#   JOBS          parallel restore jobs (default 2)
# Runs in one transaction when JOBS=1 (all or nothing); with JOBS>1 a failure leaves a partial
# database: drop it and start again. Then run `python manage.py migrate` (a newer release may
# have migrations the backup predates) and `python manage.py check`.
set -euo pipefail
: "${DATABASE_URL:?set DATABASE_URL to the empty database to restore into}"
file="${1:?usage: pg_restore.sh FILE}"
[ -r "$file" ] || { echo "cannot read $file" >&2; exit 2; }
tables="$(psql --dbname="$DATABASE_URL" -tAc \
  "select count(*) from pg_tables where schemaname not in ('pg_catalog', 'information_schema')")"
if [ "$tables" != "0" ]; then
  echo "refusing: the target database already has $tables tables (restore into an empty database)" >&2
  exit 3
fi
jobs="${JOBS:-2}"
if [ "$jobs" = "1" ]; then
  pg_restore --exit-on-error --no-owner --no-privileges --single-transaction --dbname="$DATABASE_URL" "$file"
else
  pg_restore --exit-on-error --no-owner --no-privileges --jobs="$jobs" --dbname="$DATABASE_URL" "$file"
fi
psql --dbname="$DATABASE_URL" -c "ANALYZE" >/dev/null
echo "restored $file"
