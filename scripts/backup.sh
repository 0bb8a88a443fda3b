#!/usr/bin/env bash
# Back up Cocrea: the database (pg_dump, custom format) and the media (a tar of MEDIA_ROOT, or a
# copy of the bucket with `aws s3 sync` when AWS_STORAGE_BUCKET_NAME is set).
#
#   DATABASE_URL=postgres://… scripts/backup.sh /backups/2026-12-01
#
# Writes <dir>/cocrea.dump and <dir>/media.tar.gz (or <dir>/media/ from the bucket), and
# <dir>/MANIFEST with the row counts restore.sh checks. docs/operations.md, "Backups".
set -euo pipefail
dest="${1:?usage: scripts/backup.sh <directory>}"
: "${DATABASE_URL:?set DATABASE_URL}"
root="$(cd "$(dirname "$0")/.." && pwd)"
media="${MEDIA_ROOT:-$root/media}"
mkdir -p "$dest"

pg_dump --format=custom --no-owner --no-privileges --file="$dest/cocrea.dump" "$DATABASE_URL"

if [ -n "${AWS_STORAGE_BUCKET_NAME:-}" ]; then
  aws s3 sync ${AWS_S3_ENDPOINT_URL:+--endpoint-url "$AWS_S3_ENDPOINT_URL"} \
    "s3://$AWS_STORAGE_BUCKET_NAME" "$dest/media"
elif [ -d "$media" ]; then
  tar -czf "$dest/media.tar.gz" -C "$media" .
else
  tar -czf "$dest/media.tar.gz" --files-from /dev/null
fi

# What the restore must find again.
psql "$DATABASE_URL" -At -c "
  SELECT 'ideas ' || count(*) FROM ideas_idea UNION ALL
  SELECT 'votes ' || count(*) FROM voting_vote UNION ALL
  SELECT 'members ' || count(*) FROM members_user UNION ALL
  SELECT 'pages ' || count(*) FROM wagtailcore_page UNION ALL
  SELECT 'comments ' || count(*) FROM django_comments" > "$dest/MANIFEST"
echo "Backed up to $dest: $(tr '\n' ' ' < "$dest/MANIFEST")"
