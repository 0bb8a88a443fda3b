"""Each KPI on the fixed community of conftest.py, with the figures worked out by hand."""

from datetime import date

import pytest

from insights import selectors
from insights.selectors import Scope

MARCH = {"since": date(2026, 3, 2), "until": date(2026, 3, 15)}


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        ({}, 4),  # alice, bob, carol, dave (tess is staff)
        ({"until": date(2026, 3, 8)}, 3),  # carol joined on the 10th
        ({"segment": True}, 2),
        ({"campaign": "a", **MARCH}, 3),  # took part in Savings app
        ({"campaign": "b", **MARCH}, 2),  # alice, bob
    ],
)
def test_members(community, scope, expected):
    assert selectors.members_count(_scope(community, scope)) == expected


def _scope(community, spec):
    spec = dict(spec)
    if spec.get("segment"):
        spec["segment"] = community.segment
    if "campaign" in spec:
        spec["campaign"] = getattr(community, spec["campaign"])
    return Scope(**spec)


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        (MARCH, 2),  # bob, carol
        ({"since": date(2026, 3, 2), "until": date(2026, 3, 8)}, 1),  # bob
        ({**MARCH, "segment": True}, 1),  # bob
        ({**MARCH, "campaign": "b"}, 1),  # bob voted in Cards; carol did not take part
    ],
)
def test_new_members(community, scope, expected):
    assert selectors.new_members_count(_scope(community, scope)) == expected


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        ({"until": date(2026, 3, 15)}, 3),  # alice, bob, carol; dave's idea waits
        ({"until": date(2026, 3, 15), "campaign": "b"}, 2),  # alice, bob
        ({"until": date(2026, 3, 15), "segment": True}, 2),
        ({"until": date(2026, 5, 1)}, 0),  # nothing in the 30 days before May
    ],
)
def test_active_members_in_the_30_days_before_the_end(community, scope, expected):
    assert selectors.active_members_count(_scope(community, scope)) == expected


@pytest.mark.parametrize(
    ("scope", "ideas", "votes", "comments"),
    [
        ({}, 4, 4, 4),
        (MARCH, 4, 4, 4),
        ({"since": date(2026, 3, 9)}, 2, 2, 2),
        ({"campaign": "a"}, 3, 3, 3),
        ({"segment": True}, 3, 3, 2),  # comments by alice and bob: c3, c4
    ],
)
def test_ideas_votes_and_comments(community, scope, ideas, votes, comments):
    scope = _scope(community, scope)
    assert selectors.ideas_count(scope) == ideas
    assert selectors.votes_count(scope) == votes
    assert selectors.comments_count(scope) == comments


def test_activity_per_campaign(community):
    assert selectors.activity_by_campaign(Scope(**MARCH)) == [
        {"campaign": "Savings app", "participants": 3, "ideas": 3, "votes": 3, "comments": 3},
        {"campaign": "Cards", "participants": 2, "ideas": 1, "votes": 1, "comments": 1},
    ]


def test_activity_per_iso_week(community):
    assert selectors.activity_by_week(Scope(**MARCH)) == [
        {
            "week": "2026-W10",
            "new_members": 1,
            "active_members": 3,
            "ideas": 2,
            "votes": 2,
            "comments": 2,
        },
        {
            "week": "2026-W11",
            "new_members": 1,
            "active_members": 3,
            "ideas": 2,
            "votes": 2,
            "comments": 2,
        },
    ]


def test_weeks_without_activity_show_zero(community):
    rows = selectors.activity_by_week(Scope(since=date(2026, 3, 2), until=date(2026, 3, 29)))
    assert [r["week"] for r in rows] == ["2026-W10", "2026-W11", "2026-W12", "2026-W13"]
    assert rows[3] == {
        "week": "2026-W13",
        "new_members": 0,
        "active_members": 0,
        "ideas": 0,
        "votes": 0,
        "comments": 0,
    }


def test_share_of_ideas_with_an_official_response(community):
    assert selectors.official_response_share(Scope()) == {"ideas": 4, "answered": 2, "share": 0.5}
    segment = Scope(segment=community.segment)
    assert selectors.official_response_share(segment) == {
        "ideas": 3,
        "answered": 1,
        "share": 0.3333,
    }


def test_time_to_first_team_response(community):
    # i1 2 h (a note), i2 4 h (a staff comment), i3 24 h; i4 none. p90 = 4 + 0.8 × 20.
    assert selectors.first_response_times(Scope()) == {
        "count": 3,
        "median_hours": 4.0,
        "p90_hours": 20.0,
    }
    assert selectors.first_response_times(Scope(campaign=community.b)) == {
        "count": 0,
        "median_hours": None,
        "p90_hours": None,
    }


def test_time_to_first_helpful_comment(community):
    # i1 5 h (carol's comment), i3 10 h (bob's).
    assert selectors.first_helpful_times(Scope()) == {
        "count": 2,
        "median_hours": 7.5,
        "p90_hours": 9.5,
    }


def test_decided_roadmap_and_shipped(community):
    scope = Scope()
    assert selectors.decided_share(scope) == {"ideas": 4, "decided": 2, "share": 0.5}
    assert selectors.roadmap_conversion(scope) == {"ideas": 4, "roadmap": 1, "share": 0.25}
    assert selectors.shipped_conversion(scope) == {"ideas": 4, "shipped": 1, "share": 0.25}


def test_staff_participation(community):
    assert selectors.staff_participation(Scope()) == {
        "comments": 4,
        "by_staff": 1,
        "staff_comment_share": 0.25,
        "ideas": 4,
        "with_staff_reply": 1,
        "staff_reply_share": 0.25,
    }


def test_share_of_comments_marked_helpful(community):
    assert selectors.helpful_share(Scope()) == {"comments": 4, "helpful": 2, "share": 0.5}
    assert selectors.helpful_share(Scope(campaign=community.b)) == {
        "comments": 1,
        "helpful": 0,
        "share": 0.0,
    }


def test_top_contributors_from_the_ledger_without_staff(community):
    assert selectors.top_contributors(Scope()) == [
        {"member": "Alice", "points": 60},
        {"member": "Bob", "points": 17},
    ]
    assert selectors.top_contributors(Scope(campaign=community.b)) == [
        {"member": "Bob", "points": 2}
    ]
    assert selectors.top_contributors(Scope(until=date(2026, 3, 8))) == [
        {"member": "Alice", "points": 10}
    ]


def test_an_empty_site_has_no_shares(db):
    assert selectors.official_response_share(Scope()) == {"ideas": 0, "answered": 0, "share": None}
    assert selectors.activity_by_week(Scope()) == []


@pytest.mark.parametrize(
    ("values", "fraction", "expected"),
    [
        ([2, 4, 24], 0.5, 4),
        ([2, 4, 24], 0.9, 20),
        ([5, 10], 0.5, 7.5),
        ([3], 0.9, 3),
        ([], 0.5, None),
    ],
)
def test_the_python_percentile_matches_percentile_cont(values, fraction, expected):
    assert (
        selectors.percentile(values, fraction) == pytest.approx(expected)
        if values
        else (selectors.percentile(values, fraction) is None)
    )
