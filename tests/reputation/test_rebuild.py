"""`reputation_rebuild` recomputes every total from the ledger and reports the drift."""

from io import StringIO

import pytest
from django.core.management import call_command

from reputation.models import MemberPoints
from tests.factories import IdeaFactory, UserFactory, ledger_points, total_points
from voting.services import vote_cast

pytestmark = pytest.mark.django_db


def rebuild():
    out = StringIO()
    call_command("reputation_rebuild", stdout=out)
    return out.getvalue()


def test_exact_totals_report_no_drift(member):
    idea = IdeaFactory(author=member)
    vote_cast(idea=idea, member=UserFactory())
    assert "drift 0" in rebuild()
    assert total_points(member) == ledger_points(member) > 0


def test_a_wrong_total_is_reported_and_repaired(member):
    idea = IdeaFactory(author=member)
    vote_cast(idea=idea, member=UserFactory())
    right = total_points(member)
    MemberPoints.objects.filter(member=member).update(points=right + 7)
    assert "drift 7" in rebuild()
    assert total_points(member) == right
    member.refresh_from_db()
    assert member.reputation_level >= 1
    assert "drift 0" in rebuild()
