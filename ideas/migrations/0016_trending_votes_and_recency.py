"""Trending becomes log2(votes + 1) + half-lives (two days) since the epoch (docs/pipeline.md):
every stored score is recomputed with the new formula."""

import math
from datetime import UTC, datetime

from django.db import migrations

EPOCH = datetime(2025, 1, 1, tzinfo=UTC)
HALF_LIFE_SECONDS = 2 * 24 * 3600


def score(vote_count, created_at):
    since = (created_at - EPOCH).total_seconds()
    return round(math.log2(max(vote_count, 0) + 1) + since / HALF_LIFE_SECONDS, 7)


def recompute(apps, schema_editor):
    Idea = apps.get_model("ideas", "Idea")
    batch = []
    for idea in Idea.objects.only("pk", "vote_count", "created_at").iterator(chunk_size=2000):
        idea.trending = score(idea.vote_count, idea.created_at)
        batch.append(idea)
        if len(batch) >= 2000:
            Idea.objects.bulk_update(batch, ["trending"])
            batch = []
    if batch:
        Idea.objects.bulk_update(batch, ["trending"])


class Migration(migrations.Migration):
    dependencies = [("ideas", "0015_event_kinds_helpful_and_moderation")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop, elidable=True)]
