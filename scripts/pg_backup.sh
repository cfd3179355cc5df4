#!/usr/bin/env bash
# Back up the service's PostgreSQL database in pg_dump's custom format (compressed, restorable
# table by table, in parallel): scripts/pg_backup.sh [FILE]
#   DATABASE_URL  the database to back up (required), e.g. postgres://user@host:5432/mobility
#   FILE          default: backups/mobility-<UTC time>.dump
# Writes FILE.tmp and renames it when pg_dump succeeded, so a FILE is always a whole backup.
# Back up the documents folder or bucket (DOCUMENTS_ROOT / the S3 bucket) at the same time.
set -euo pipefail
: "${DATABASE_URL:?set DATABASE_URL to the database to back up}"
file="${1:-backups/mobility-$(date -u +%Y%m%dT%H%M%SZ).dump}"
mkdir -p "$(dirname "$file")"
pg_dump --format=custom --compress=6 --no-owner --no-privileges --file="$file.tmp" --dbname="$DATABASE_URL"
pg_restore --list "$file.tmp" >/dev/null  # the archive is readable
mv "$file.tmp" "$file"
echo "$file"
