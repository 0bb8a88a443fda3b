"""Time the similar-idea suggestion as a member types (issue 13): p50/p95/max over many typed
prefixes against the campaign with the most ideas.

    DATABASE_URL=postgres://…/cocrea_x_bench DJANGO_SETTINGS_MODULE=bench.settings \\
        .venv/bin/python scripts/similar_timing.py [--prefixes 400] [--explain "text"]

Prefixes are cut from real demo titles (English and Spanish) and from the large campaign's own
titles, at every few characters from the fourth on, as the form sends them while typing.

Each prefix is timed as the site's hint asks it (for a signed-in member, `viewer`), with the
kept answers of the campaign dropped before each one (a new ideas generation: every answer is
ranked), unless `--kept`: then each prefix is asked once first and the second answer, from the
cache, is timed."""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from campaigns.models import CampaignPage  # noqa: E402
from ideas import similar  # noqa: E402
from ideas.models import Idea  # noqa: E402
from ideas.selectors import similar_ideas  # noqa: E402
from members.models import User  # noqa: E402

OTHER = [
    "Round up purchases into savings",
    "Dark mode that follows the system",
    "Export my statements as a PDF",
    "Notificaciones cuando recibo una transferencia",
    "Alertas cuando gasto demasiado",
    "Shared budget for the family",
    "Widget showing my card balance",
    "Ahorro automático cada mes",
]


def prefixes(texts, step, rng):
    out = []
    for text in texts:
        for end in range(4, len(text) + 1, step):
            out.append(text[:end])
        out.append(text)
    rng.shuffle(out)
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--prefixes", type=int, default=400)
    parser.add_argument("--slowest", type=int, default=0, help="print the N slowest")
    parser.add_argument("--explain", help="EXPLAIN ANALYZE the suggestion's query for this text")
    parser.add_argument("--kept", action="store_true", help="time answers kept in the cache")
    args = parser.parse_args()
    rng = random.Random(13)  # noqa: S311 (a repeatable sample, not a secret)
    campaign_id = (
        Idea.objects.values("campaign").annotate(n=Count("pk")).order_by("-n")[0]["campaign"]
    )
    campaign = CampaignPage.objects.get(pk=campaign_id)
    n_ideas = Idea.objects.filter(campaign=campaign).count()
    viewer = User.objects.filter(is_staff=False, is_active=True).order_by("pk").first()
    if args.explain:
        similar.new_generation(campaign.pk)
        with CaptureQueriesContext(connection) as captured:
            similar_ideas(campaign=campaign, text=args.explain, viewer=viewer)
        for query in captured.captured_queries:
            if "ideas_idea" not in query["sql"]:
                continue
            # The planner's SET LOCALs go in front of the EXPLAIN, in the same round trip.
            *planner, sql = query["sql"].split("; ")
            with connection.cursor() as cursor:
                cursor.execute("; ".join([*planner, "EXPLAIN (ANALYZE, BUFFERS) " + sql]))
                while cursor.description is None and cursor.nextset():
                    pass
                print("\n".join(row[0] for row in cursor.fetchall()))
        return
    demo = list(Idea.objects.exclude(campaign=campaign).values_list("title", flat=True))
    own = list(
        Idea.objects.filter(campaign=campaign).order_by("?").values_list("title", flat=True)[:40]
    )
    texts = prefixes(demo + OTHER + own, 3, rng)[: args.prefixes]
    for text in texts[:10]:  # warm caches and connections
        similar_ideas(campaign=campaign, text=text, viewer=viewer)
    timings, found, slowest = [], 0, []
    for text in texts:
        if args.kept:
            similar_ideas(campaign=campaign, text=text, viewer=viewer)
        else:
            similar.new_generation(campaign.pk)
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            found += bool(similar_ideas(campaign=campaign, text=text, viewer=viewer))
            timings.append((time.perf_counter() - start) * 1000)
        slowest.append((timings[-1], text, [float(q["time"]) * 1000 for q in captured]))
    timings.sort()
    if args.slowest:
        for ms, text, queries in sorted(slowest, reverse=True)[: args.slowest]:
            print(f"{ms:7.1f} ms  {text!r}: queries {', '.join(f'{q:.0f}' for q in queries)} ms")
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(
        f"{'kept' if args.kept else 'ranked'}: "
        f"{n_ideas} ideas, {len(timings)} prefixes: p50 {statistics.median(timings):.1f} ms, "
        f"p95 {p95:.1f} ms, max {timings[-1]:.1f} ms; {found} with a suggestion"
    )


if __name__ == "__main__":
    main()
