"""The load-test data set of `seed_demo` (see large_campaign)."""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.contrib.sites.models import Site
from django.db import connection, transaction
from django.utils import timezone
from django_comments_xtd.models import XtdComment

from ideas.models import Idea, Stage
from insights.rollup import rollup_rebuild
from members.models import User
from segments.models import Segment
from segments.services import segment_refresh
from voting.models import Vote
from voting.services import vote_counts_recount


def large_campaign(command, index, n_ideas, n_votes):
    """A large campaign for measuring (`seed_demo --ideas 20000 --votes 1000000`): a bench data
    set, bulk loaded (PostgreSQL COPY for votes) and then counted exactly by voting's service."""
    now = timezone.now()
    spec = {
        "title": "Load test campaign",
        "slug": "load-test",
        "summary": "Generated for measuring.",
        "categories": ["Alpha", "Beta", "Gamma", "Delta"],
    }
    campaign = command.campaign(
        index,
        spec,
        submission_opens_at=now - timedelta(days=365),
        voting_opens_at=now - timedelta(days=365),
    )
    existing = campaign.ideas.count()
    if existing >= n_ideas:
        command.stdout.write(f"load-test already has {existing} ideas; nothing to add.")
        return
    rng = command.rng
    per_member = min(200, n_ideas)
    n_members = max(1, -(-n_votes // per_member)) if n_votes else 1
    command.stdout.write(f"Creating {n_members} members, {n_ideas} ideas, {n_votes} votes…")
    with transaction.atomic():
        existing_users = set(
            User.objects.filter(username__startswith="load").values_list("username", flat=True)
        )
        User.objects.bulk_create(
            [
                User(
                    username=f"load{n:06d}",
                    email=f"load{n:06d}@cocrea.test",
                    password="!",
                    display_name=f"Load {n}",
                )
                for n in range(n_members)
                if f"load{n:06d}" not in existing_users
            ],
            batch_size=5000,
        )
        members = list(
            User.objects.filter(username__startswith="load")
            .order_by("pk")
            .values_list("pk", flat=True)
        )[:n_members]
        categories = list(campaign.categories.all())
        stages = list(Stage.objects.filter(is_closed=False))
        words = "save budget card alert goal transfer widget chart export travel family shared pot notify".split()
        Idea.objects.bulk_create(
            [
                Idea(
                    campaign=campaign,
                    author_id=members[i % len(members)],
                    title=f"{rng.choice(words).title()} {rng.choice(words)} {rng.choice(words)} idea {i}",
                    description=" ".join(rng.choice(words) for _ in range(40)),
                    category=categories[i % len(categories)],
                    stage=stages[i % len(stages)],
                    created_at=now - timedelta(minutes=rng.randint(0, 525_600)),
                )
                for i in range(existing, n_ideas)
            ],
            batch_size=5000,
        )
        created = dict(campaign.ideas.values_list("pk", "created_at"))
        idea_ids = list(created)
        # Each vote at a moment between its idea's creation and now, as on a real site.
        rows = (
            (
                idea_id,
                member,
                campaign.pk,
                created[idea_id] + (now - created[idea_id]) * rng.random(),
            )
            for m_index, member in enumerate(members)
            for idea_id in rng.sample(
                idea_ids, k=min(per_member, len(idea_ids), n_votes - m_index * per_member)
            )
            if n_votes - m_index * per_member > 0
        )
        # A bench data set: bulk loaded (COPY), then counted exactly by voting's service.
        insert_votes(rows)
        vote_counts_recount(campaign_id=campaign.pk)
        panel_segment(members[::4])
        rollup_rebuild()  # the dashboard's roll-up, as the hourly refresh keeps it
    if connection.vendor == "postgresql":
        # Fresh statistics and visibility map, as autovacuum would leave them in production.
        # VACUUM cannot run inside a transaction (e.g. in tests): ANALYZE alone then.
        verb = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        with connection.cursor() as cursor:
            cursor.execute(f"{verb} ideas_idea")
            cursor.execute(f"{verb} voting_vote")
            cursor.execute(f"{verb} segments_segmentmembership")
    command.stdout.write(
        command.style.SUCCESS(
            f"load-test: {campaign.ideas.count()} ideas, {Vote.objects.filter(campaign=campaign).count()} votes."
        )
    )


def panel_segment(member_ids):
    """A segment of a quarter of the load-test members, hand-picked, to measure the dashboard
    and the lists filtered by a segment of a realistic size."""
    segment, _created = Segment.objects.get_or_create(
        slug="load-test-panel",
        defaults={"name": "Load-test panel", "description": "Generated for measuring."},
    )
    segment.include.add(*member_ids)
    segment_refresh(segment)
    return segment


def insert_votes(rows):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            raw = cursor.cursor
            with raw.copy(
                "COPY voting_vote (idea_id, member_id, campaign_id, created_at) FROM STDIN"
            ) as copy:
                for row in rows:
                    copy.write_row(row)
        return
    batch = []
    for idea_id, member, campaign, when in rows:
        batch.append(Vote(idea_id=idea_id, member_id=member, campaign_id=campaign, created_at=when))
        if len(batch) >= 20_000:
            Vote.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    Vote.objects.bulk_create(batch, ignore_conflicts=True)


def idea_comment(idea, author, text, when, parent=None):
    """A comment on `idea` by `author` at `when` (a reply to `parent`), written directly, as a
    loader does: the comment's own signals keep counts, follows and notifications."""
    tree = {"parent_id": parent.pk} if parent else {}  # a root is its own parent
    return XtdComment.objects.create(
        **tree,
        content_type=ContentType.objects.get_for_model(Idea),
        object_pk=str(idea.pk),
        site=Site.objects.get_current(),
        user=author,
        user_name=author.username,
        user_email=author.email,
        comment=text,
        submit_date=when,
    )
