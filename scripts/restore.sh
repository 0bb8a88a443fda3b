#!/usr/bin/env bash
# Restore a backup made by backup.sh into an EMPTY database and media directory, then check the
# row counts against the backup's MANIFEST.
#
#   DATABASE_URL=postgres://…/cocrea_restored MEDIA_ROOT=/srv/cocrea/media \
#     scripts/restore.sh /backups/2026-12-01
#
# Then run `manage.py migrate` (a no-op for a backup of the same release) and start the site.
set -euo pipefail
src="${1:?usage: scripts/restore.sh <directory>}"
: "${DATABASE_URL:?set DATABASE_URL}"
root="$(cd "$(dirname "$0")/.." && pwd)"
media="${MEDIA_ROOT:-$root/media}"

if [ "$(psql "$DATABASE_URL" -At -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")" != "0" ]; then
  echo "The target database is not empty: restore into a new database." >&2
  exit 2
fi
pg_restore --no-owner --no-privileges --exit-on-error --dbname="$DATABASE_URL" "$src/cocrea.dump"

if [ -d "$src/media" ]; then
  if [ -n "${AWS_STORAGE_BUCKET_NAME:-}" ]; then
    aws s3 sync ${AWS_S3_ENDPOINT_URL:+--endpoint-url "$AWS_S3_ENDPOINT_URL"} \
      "$src/media" "s3://$AWS_STORAGE_BUCKET_NAME"
  else
    mkdir -p "$media" && cp -a "$src/media/." "$media/"
  fi
elif [ -f "$src/media.tar.gz" ]; then
  mkdir -p "$media" && tar -xzf "$src/media.tar.gz" -C "$media"
fi

found="$(psql "$DATABASE_URL" -At -c "
  SELECT 'ideas ' || count(*) FROM ideas_idea UNION ALL
  SELECT 'votes ' || count(*) FROM voting_vote UNION ALL
  SELECT 'members ' || count(*) FROM members_user UNION ALL
  SELECT 'pages ' || count(*) FROM wagtailcore_page UNION ALL
  SELECT 'comments ' || count(*) FROM django_comments")"
if [ "$found" != "$(cat "$src/MANIFEST")" ]; then
  echo "Restored counts differ from the backup's:" >&2
  diff <(cat "$src/MANIFEST") <(echo "$found") >&2 || true
  exit 1
fi
echo "Restored from $src: $(echo "$found" | tr '\n' ' ')"
