"""The moderation figures on the community dashboard: what moderators reviewed, how fast and
how many flags they upheld, in the table and its CSV export."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from moderation.models import Case, FlagReason, ModerationReason
from moderation.services import case_decide, item_flag
from tests.factories import IdeaFactory, UserFactory, comment_on, moderator
from tests.insights.test_dashboard import URL, community_manager

pytestmark = pytest.mark.django_db


def test_the_dashboard_shows_and_exports_the_moderation_figures(client):
    mod = moderator()
    comment = comment_on(IdeaFactory())
    for _n in range(2):
        item_flag(item=comment, member=UserFactory(), reason=FlagReason.SPAM)
    case = Case.objects.get(comment=comment)
    Case.objects.filter(pk=case.pk).update(opened_at=timezone.now() - timedelta(hours=2))
    case_decide(
        case=case, action="hide", actor=mod, reason=ModerationReason.objects.get(code="spam")
    )
    client.force_login(community_manager())
    html = client.get(URL).content.decode()
    assert "Moderation" in html and "Items reviewed" in html
    rows = {
        row[0]: row[1]
        for row in csv.reader(
            io.StringIO(client.get(URL + "export/moderation.csv").content.decode())
        )
    }
    assert rows["Items reviewed"] == "1"
    assert rows["Flags upheld"] == "2" and rows["Flags dismissed"] == "0"
    assert rows["Median time to decision (hours)"] == "2.0"
    assert rows["Share of flags upheld (%)"] == "100.0"
