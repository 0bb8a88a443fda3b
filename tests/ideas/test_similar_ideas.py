"""The similar-idea hint ranks exact and near-exact titles first, folds accents, stems English
and Spanish, offers at most five, drops weak matches, and never offers merged, hidden,
withdrawn or pending ideas (merged: tests/ideas/test_merged_duplicates.py; restricted
campaigns: tests/audience/test_leak_matrix.py)."""

import pytest

from ideas.selectors import similar_ideas
from tests.factories import IdeaFactory, make_campaign

pytestmark = pytest.mark.django_db
# The ranking itself is PostgreSQL's (pg_trgm, full text); SQLite's fallback is tested at the end.
postgres = pytest.mark.postgres


@pytest.fixture
def campaign():
    return make_campaign()


def titles(campaign, text, **kwargs):
    return [idea.title for idea in similar_ideas(campaign=campaign, text=text, **kwargs)]


@postgres
def test_the_exact_title_comes_first_and_weak_matches_stay_out(campaign):
    for title in (
        "Savings goal progress on the home widget",
        "Round up card purchases into a savings pot",
        "Dark mode that follows the system",
        "Export my statements as a PDF",
        "Round up purchases into savings",
        "Weekly summary of my savings",
    ):
        IdeaFactory(campaign=campaign, title=title)
    found = titles(campaign, "Round up purchases into savings")
    assert found[:2] == [
        "Round up purchases into savings",
        "Round up card purchases into a savings pot",
    ]
    assert "Savings goal progress on the home widget" not in found
    assert "Dark mode that follows the system" not in found
    assert "Export my statements as a PDF" not in found


@postgres
def test_while_typing_the_half_typed_last_word_counts(campaign):
    IdeaFactory(campaign=campaign, title="Round up purchases into savings")
    IdeaFactory(campaign=campaign, title="Dark mode that follows the system")
    assert titles(campaign, "Round up purch") == ["Round up purchases into savings"]


@postgres
def test_accents_do_not_matter(campaign):
    IdeaFactory(campaign=campaign, title="Metas de ahorro compartidas en familia")
    IdeaFactory(campaign=campaign, title="Modo oscuro para la aplicación")
    assert titles(campaign, "Metas de áhorro compartidas") == [
        "Metas de ahorro compartidas en familia"
    ]
    assert titles(campaign, "modo oscuro aplicacion") == ["Modo oscuro para la aplicación"]


@postgres
def test_spanish_and_english_words_are_stemmed(campaign):
    IdeaFactory(
        campaign=campaign,
        title="Alertas cuando gasto demasiado",
        description="Quiero recibir avisos cuando mis gastos superan el presupuesto mensual.",
    )
    IdeaFactory(campaign=campaign, title="Spend alerts for my cards")
    assert "Alertas cuando gasto demasiado" in titles(campaign, "alerta de gastos mensuales")
    # "alerting" ~ "alerts", "spending" ~ "spend"
    assert titles(campaign, "alerting on card spending") == ["Spend alerts for my cards"]


def test_at_most_five_and_never_hidden_withdrawn_or_pending(campaign):
    for n in range(8):
        IdeaFactory(campaign=campaign, title=f"Shared savings pot for family number {n}")
    for status in ("hidden", "withdrawn", "pending", "rejected"):
        IdeaFactory(
            campaign=campaign, title=f"Shared savings pot for family {status}", status=status
        )
    found = titles(campaign, "Shared savings pot for family")
    assert len(found) == 5
    assert all("number" in title for title in found)
    assert len(titles(campaign, "Shared savings pot for family", limit=50)) == 5


def test_without_postgresql_titles_sharing_more_words_come_first(campaign):
    from ideas import similar
    from ideas.selectors import campaign_ideas

    IdeaFactory(campaign=campaign, title="Savings goal progress on the home widget")
    IdeaFactory(campaign=campaign, title="Round up purchases into savings")
    IdeaFactory(campaign=campaign, title="Dark mode that follows the system")
    found = similar.rank_simple(campaign_ideas(campaign), "Round up purchases into savings", 5)
    assert [i.title for i in found] == [
        "Round up purchases into savings",
        "Savings goal progress on the home widget",
    ]


@postgres
@pytest.mark.django_db(transaction=True)  # VACUUM: the planner then knows the GIN indexes
@pytest.mark.parametrize(
    "text", ["Round up purch", "alerta de gastos mensuales", "Rnd upp purchses intto savngs"]
)
def test_the_suggestion_reads_its_candidates_from_the_indexes(text):
    """Whatever the number of ideas, the suggestion scans none of them: its candidates come
    from the GIN full-text or trigram index."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from ideas.models import Idea

    campaign = make_campaign()
    first = IdeaFactory(campaign=campaign, title="Round up purchases into savings")
    IdeaFactory(campaign=campaign, title="Alertas cuando gasto demasiado")
    words = "budget card goal widget chart export travel family pot notify".split()
    Idea.objects.bulk_create(
        Idea(
            campaign=campaign,
            title=f"{words[n % 10]} {words[n // 10 % 10]} {words[n // 100]} number {n}",
            description="Generated so that the planner has something to choose from.",
            stage=first.stage,
        )
        for n in range(1000)
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE ideas_idea")
    with CaptureQueriesContext(connection) as captured:
        titles(campaign, text)
    # The statements as sent, but the SET LOCALs in front of the suggestion's own.
    reads = [q["sql"].split("; ")[-1] for q in captured if 'FROM "ideas_idea"' in q["sql"]]
    assert reads
    plans = []
    with transaction.atomic(), connection.cursor() as cursor:
        # At a thousand ideas reading them all is cheapest; the plan at scale is the one left.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        if "Rnd" in text:
            cursor.execute("SET LOCAL pg_trgm.word_similarity_threshold = 0.5")
        for sql in reads:
            cursor.execute("EXPLAIN (ANALYZE) " + sql)
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    for plan in plans:
        assert "Seq Scan on ideas_idea" not in plan, plan
    index = "idea_title_folded_trgm" if "Rnd" in text else "idea_search_vector"
    read = [
        line
        for plan in plans
        for line in plan.splitlines()
        if f"Bitmap Index Scan on {index}" in line and "never executed" not in line
    ]
    assert read, plans


@postgres
@pytest.mark.parametrize("page_cache", [0, 60])
def test_the_kept_hint_follows_every_change_of_the_ideas(client, member, campaign, page_cache):
    """The hint is kept a few seconds (ideas.similar.Cached), yet a new idea, a new title, a
    vote, a hidden or merged idea show at once, however they were written."""
    from django.db import connection
    from django.test import override_settings
    from django.test.utils import CaptureQueriesContext

    from ideas.models import Idea

    client.force_login(member)

    def hint(text="Round up purchases"):
        return client.get(f"{campaign.url}similar/", {"title": text}).content.decode()

    with override_settings(PAGE_CACHE_SECONDS=page_cache):
        first = IdeaFactory(campaign=campaign, title="Round up purchases into savings")
        IdeaFactory(campaign=campaign, title="Dark mode that follows the system")
        assert "Round up purchases into savings" in hint()
        with CaptureQueriesContext(connection) as captured:
            assert "Round up purchases into savings" in hint()
        ideas_read = [q for q in captured if '"ideas_idea"' in q["sql"]]
        # Kept: no ranking again; with the page cache on, not even the ideas are read.
        assert len(ideas_read) == (1 if page_cache == 0 else 0), ideas_read
        assert all("similarity" not in q["sql"] for q in ideas_read)

        second = IdeaFactory(campaign=campaign, title="Round up purchases to the next euro")
        assert "Round up purchases to the next euro" in hint()

        first.title = "Round up purchases into a savings pot"
        first.save()
        assert "Round up purchases into a savings pot" in hint()

        Idea.objects.filter(pk=second.pk).update(vote_count=7)  # as votes are counted
        assert "(7 votes)" in hint()

        Idea.objects.filter(pk=second.pk).update(status=Idea.Status.HIDDEN)  # as moderation
        assert "Round up purchases to the next euro" not in hint()
        assert "Round up purchases into a savings pot" in hint()
