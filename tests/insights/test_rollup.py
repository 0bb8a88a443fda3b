"""The votes roll-up gives the dashboard the same figures as counting every vote: with no
roll-up, with one that holds every day, and with one cut in the middle of the data (whole days
from the roll-up, the rest counted live)."""

from datetime import date

from django.core.management import call_command

from ideas.models import Idea
from insights import panels, rollup, selectors
from insights.models import DailyVoters, RollupState
from insights.selectors import Scope
from tests.factories import UserFactory
from voting.models import Vote

SCOPES = [
    {},
    {"since": date(2026, 3, 2), "until": date(2026, 3, 15)},
    {"since": date(2026, 3, 9)},
    {"until": date(2026, 3, 8)},
    {"until": date(2026, 3, 15)},
    {"campaign": "a"},
    {"campaign": "b", "since": date(2026, 3, 2), "until": date(2026, 3, 15)},
    {"segment": True},
    {"segment": True, "since": date(2026, 3, 2), "until": date(2026, 3, 15)},
]
VOTE_FIGURES = ("members", "campaigns", "weeks")


def _scope(community, spec):
    spec = dict(spec)
    if spec.get("segment"):
        spec["segment"] = community.segment
    if "campaign" in spec:
        spec["campaign"] = getattr(community, spec["campaign"])
    return Scope(**spec)


def figures(community):
    return {
        (index, name): panels._build(name, _scope(community, spec))["table"]["cells"]
        for index, spec in enumerate(SCOPES)
        for name in VOTE_FIGURES
    }


def test_the_rollup_changes_no_figure(community):
    live = figures(community)
    assert not RollupState.objects.exists()
    first_vote = min(Vote.objects.values_list("created_at", flat=True)).date()
    for cut in (date.today(), date(2026, 3, 10), date(2026, 3, 9), first_vote):
        rollup.rollup_rebuild(today=cut)
        assert figures(community) == live, f"roll-up before {cut}"


def test_the_rollup_holds_one_row_per_day_campaign_and_member(community):
    rows = rollup.rollup_rebuild()
    assert rows == DailyVoters.objects.count() > 0
    assert sum(DailyVoters.objects.values_list("votes", flat=True)) == selectors.votes_count(
        Scope()
    )
    assert rollup.rollup_rebuild() == rows  # rebuilt, not added to
    assert RollupState.objects.get().covers_before == date.today()


def test_votes_after_the_rollup_are_counted_live(community):
    rollup.rollup_rebuild()
    before = selectors.votes_count(Scope())
    idea = Idea.objects.filter(campaign=community.a, status=Idea.Status.PUBLISHED).first()
    Vote.objects.create(idea=idea, campaign=community.a, member=UserFactory())
    assert selectors.votes_count(Scope()) == before + 1
    assert selectors.active_members_count(Scope()) >= 1


def test_the_command_rebuilds_it(community, capsys):
    call_command("insights_rollup")
    assert "rows" in capsys.readouterr().out
    assert RollupState.objects.get().covers_before == date.today()


def test_a_range_is_cut_into_whole_days_and_live_parts():
    from django.utils import timezone

    def at(day, hour):
        return timezone.make_aware(timezone.datetime(2026, 3, day, hour))

    until = date(2026, 3, 12)  # the roll-up holds the days before the 12th
    # From the first vote to noon on the 10th: days to the 9th rolled up, the 10th live.
    cut = rollup.split(None, at(10, 12), until=until)
    assert cut.first_day is None and cut.last_day == date(2026, 3, 9)
    assert cut.live == ((at(10, 0), at(10, 12)),)
    # From 8:00 on the 3rd: the rest of the 3rd live too.
    head = rollup.split(at(3, 8), at(10, 12), until=until)
    assert (head.first_day, head.last_day) == (date(2026, 3, 4), date(2026, 3, 9))
    assert head.live == ((at(3, 8), at(4, 0)), (at(10, 0), at(10, 12)))
    # Within one day: all live.
    none = rollup.split(at(9, 8), at(9, 20), until=until)
    assert not none.uses_rollup and none.live == ((at(9, 8), at(9, 20)),)
    # Past the roll-up: its days, then live from the 12th.
    later = rollup.split(at(1, 0), at(20, 0), until=until)
    assert (later.first_day, later.last_day) == (date(2026, 3, 1), date(2026, 3, 11))
    assert later.live == ((at(12, 0), at(20, 0)),)


def _activity_today(community, hours_ago):
    """A vote, an idea and a comment `hours_ago` hours before now, by a new member."""
    from datetime import timedelta

    from django.utils import timezone
    from django_comments_xtd.models import XtdComment

    from tests.factories import IdeaFactory, comment_on

    when = timezone.now() - timedelta(hours=hours_ago)
    member = UserFactory()
    idea = Idea.objects.filter(campaign=community.a, status=Idea.Status.PUBLISHED).first()
    Vote.objects.create(idea=idea, campaign=community.a, member=member, created_at=when)
    comment = comment_on(idea, UserFactory())
    XtdComment.objects.filter(pk=comment.pk).update(submit_date=when)
    posted = IdeaFactory(campaign=community.b, author=UserFactory())
    Idea.objects.filter(pk=posted.pk).update(created_at=when)
    return member


def test_a_refresh_in_the_middle_of_the_day_changes_no_figure(community):
    """The hourly refresh holds today's activity up to now; what comes after is counted live,
    and the figures are those of counting everything live."""
    from datetime import datetime

    from django.utils import timezone

    _activity_today(community, 2)
    rollup.rollup_rebuild()
    state = RollupState.objects.get()
    midnight = timezone.make_aware(datetime.combine(state.covers_before, datetime.min.time()))
    assert state.covers_until > midnight
    _activity_today(community, 0)  # after the refresh: counted live
    rolled = figures(community)
    RollupState.objects.all().delete()
    assert rolled == figures(community)


def test_the_hourly_refresh_rebuilds_today_and_keeps_the_older_days(community):
    rollup.rollup_rebuild()
    older = set(DailyVoters.objects.values_list("day", "campaign_id", "member_id", "votes"))
    member = _activity_today(community, 0)
    assert rollup.rollup_refresh() >= 1
    after = set(DailyVoters.objects.values_list("day", "campaign_id", "member_id", "votes"))
    assert older <= after
    assert after - older == {(date.today(), community.a.pk, member.pk, 1)}
    assert figures(community) == _live_figures(community)


def _live_figures(community):
    state = list(RollupState.objects.all())
    RollupState.objects.all().delete()
    try:
        return figures(community)
    finally:
        RollupState.objects.bulk_create(state)


def test_a_refresh_after_the_upgrade_rebuilds_every_day(community):
    """A roll-up state from before the activity tables (no covers_until) is rebuilt whole by
    the next refresh, not only from its last day on."""
    rollup.rollup_rebuild()
    live = _live_figures(community)
    from insights.models import DailyActive

    DailyActive.objects.all().delete()
    RollupState.objects.update(covers_until=None)
    rollup.rollup_refresh()
    assert DailyActive.objects.exists()
    assert figures(community) == live
