"""Slack-compatible endpoints get one readable sentence with a link."""

import json

import pytest

from ideas.models import Stage
from ideas.services import idea_move
from integrations.webhooks import slack_message
from tests.factories import IdeaFactory
from tests.integrations.helpers import endpoint

pytestmark = pytest.mark.django_db


def test_slack_endpoints_get_a_sentence_with_a_link(
    receiver, campaign, team_member, django_capture_on_commit_callbacks
):
    server = receiver()
    endpoint(server.url, format="slack")
    idea = IdeaFactory(campaign=campaign, title="Round up <card> payments & save")
    with django_capture_on_commit_callbacks(execute=True):
        idea_move(
            idea=idea,
            to_stage=Stage.objects.get(slug="planned"),
            actor=team_member,
            note="Coming in spring.",
        )
    assert len(server.requests) == 1
    body = json.loads(server.requests[0]["body"])
    assert set(body) == {"text"}
    url = f"http://testserver{campaign.url}ideas/{idea.pk}/"
    assert body["text"] == (
        f"<{url}|Round up &lt;card&gt; payments &amp; save> moved from New to Planned"
        "\n> Coming in spring."
    )


@pytest.mark.parametrize(
    ("payload", "text"),
    [
        ({"event": "idea.created"}, "New idea: <http://x/i/1/|Dark mode>"),
        (
            {"event": "idea.merged", "target": {"title": "Night theme", "url": "http://x/i/2/"}},
            "<http://x/i/1/|Dark mode> was merged into <http://x/i/2/|Night theme>",
        ),
        (
            {"event": "comment.created", "comment": {"excerpt": "Yes please"}},
            "New comment on <http://x/i/1/|Dark mode>: “Yes please”",
        ),
        (
            {
                "event": "idea.stage_changed",
                "stage_change": {"is_response": True, "note": "Thanks!"},
            },
            "Official response on <http://x/i/1/|Dark mode>\n> Thanks!",
        ),
    ],
)
def test_slack_sentences(payload, text):
    payload = {"idea": {"title": "Dark mode", "url": "http://x/i/1/"}, **payload}
    assert slack_message(payload) == {"text": text}
