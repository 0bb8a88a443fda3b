"""The idea page shows the official response, the stage history and merges, never internal notes."""

import pytest

from ideas.models import InternalNote
from ideas.services import idea_move, ideas_merge
from tests.factories import IdeaFactory, UserFactory
from tests.ideas.test_discussion import add_comment
from tests.ideas.test_roadmap import stage

pytestmark = pytest.mark.django_db

SECRET = "INTERNAL-MARKER-1b2c3d"


@pytest.fixture
def team():
    return UserFactory(
        is_team=True, is_staff=True, display_name="Tomás", email="tomas-secret@example.com"
    )


def page(client, idea):
    response = client.get(f"{idea.campaign.url}ideas/{idea.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_official_response_is_shown_above_the_discussion_with_stage_and_date(client, team):
    idea = IdeaFactory()
    idea_move(idea=idea, to_stage=stage("planned"), actor=team, note="We plan this for **May**.")
    html = page(client, idea)
    assert 'id="official-response-heading"' in html
    assert "We plan this for **May**." in html  # plain text, escaped
    response_at = html.index('id="official-response-heading"')
    assert response_at < html.index('id="discussion-heading"')
    section = html[response_at : html.index("</section>", response_at)]
    assert "Product team" in section and "Planned" in section and "<time" in section


def test_stage_history_lists_each_move_with_note_and_public_name_only(client, team):
    idea = IdeaFactory()
    idea_move(idea=idea, to_stage=stage("under-review"), actor=team)
    idea_move(idea=idea, to_stage=stage("planned"), actor=team, note="On the roadmap now.")
    idea_move(idea=idea, to_stage=stage("planned"), actor=team, note="Design is done.")
    InternalNote.objects.create(idea=idea, author=team, body=f"{SECRET} costs too much?")
    html = page(client, idea)
    history = html[html.index('<details class="stage-history">') : html.index("</details>")]
    assert history.count('<li class="stage-history__item">') == 3
    assert "Under review" in history and "Planned" in history and "New" in history
    assert "On the roadmap now." in history and "Design is done." in history
    assert "Tomás" in history
    assert team.email not in html and "tomas-secret" not in html
    assert SECRET not in html
    # newest first
    assert history.index("Design is done.") < history.index("On the roadmap now.")


def test_stage_history_of_a_former_team_member_says_product_team(client, team):
    idea = IdeaFactory()
    idea_move(idea=idea, to_stage=stage("planned"), actor=team, note="Planned.")
    team.delete()
    html = page(client, idea)
    history = html[html.index('<details class="stage-history">') : html.index("</details>")]
    assert "Product team" in history and "Tomás" not in history


def test_an_idea_without_history_shows_no_response_or_history(client):
    html = page(client, IdeaFactory())
    assert "stage-history" not in html and "official-response" not in html


def test_merged_idea_shows_a_banner_to_its_target_and_keeps_its_comments(client, team):
    target = IdeaFactory(title="The original idea everyone wants")
    source = IdeaFactory(campaign=target.campaign, title="A duplicate of the original")
    add_comment(source, UserFactory(), "I said it first, in other words")
    ideas_merge(source=source, target=target, actor=team, note="Same as the original idea.")
    html = page(client, source)
    assert "Merged into" in html
    assert f'<a href="{target.campaign.url}ideas/{target.pk}/">{target.title}</a>' in html
    assert "I said it first, in other words" in html
    assert "Same as the original idea." in html  # the merge note is the official response
    assert "Follow this idea" not in html  # followers moved to the target
    assert "Merged into" not in page(client, target)


def test_the_target_of_a_merge_links_the_ideas_merged_into_it(client, team):
    target = IdeaFactory(title="The original idea everyone wants")
    first = IdeaFactory(campaign=target.campaign, title="A first duplicate of it")
    second = IdeaFactory(campaign=target.campaign, title="A second duplicate of it")
    assert "Merged here" not in page(client, target)
    for source in (first, second):
        ideas_merge(source=source, target=target, actor=team, note="Same idea.")
    html = page(client, target)
    assert "Merged here:" in html
    for source in (first, second):
        assert f'<a href="{target.campaign.url}ideas/{source.pk}/">{source.title}</a>' in html
    assert "Merged here" not in page(client, first)  # the duplicate says "Merged into"


def test_merged_here_shows_ten_links_and_how_many_more(client, team):
    from ideas.selectors import MERGED_HERE_LIMIT

    target = IdeaFactory(title="The original idea everyone wants")
    for n in range(MERGED_HERE_LIMIT + 2):
        source = IdeaFactory(campaign=target.campaign, title=f"Duplicate number {n:02d}")
        ideas_merge(source=source, target=target, actor=team, note="Same idea.")
    html = page(client, target)
    shown = [n for n in range(MERGED_HERE_LIMIT + 2) if f"Duplicate number {n:02d}</a>" in html]
    assert len(shown) == MERGED_HERE_LIMIT
    assert shown == list(range(2, MERGED_HERE_LIMIT + 2))  # the latest merges
    assert "and 2 more" in html


def test_merged_here_costs_one_query_whatever_the_number_of_duplicates(client, team):
    from tests.test_query_counts import MAX_QUERIES, queries

    target = IdeaFactory()
    url = f"{target.campaign.url}ideas/{target.pk}/"
    client.force_login(UserFactory())
    without = queries(client, url)
    ideas_merge(
        source=IdeaFactory(campaign=target.campaign), target=target, actor=team, note="Same idea."
    )
    one = queries(client, url)
    for _ in range(12):
        ideas_merge(
            source=IdeaFactory(campaign=target.campaign),
            target=target,
            actor=team,
            note="Same idea.",
        )
    assert queries(client, url) == one == without + 1 <= MAX_QUERIES + 4


def test_idea_page_queries_do_not_grow_with_the_history(client, team):
    from tests.test_query_counts import MAX_QUERIES, queries

    idea = IdeaFactory()
    client.force_login(UserFactory())
    url = f"{idea.campaign.url}ideas/{idea.pk}/"
    idea_move(idea=idea, to_stage=stage("under-review"), actor=team)
    small = queries(client, url)
    for n in range(10):
        idea_move(idea=idea, to_stage=stage("planned"), actor=team, note=f"Update {n}")
    assert queries(client, url) == small <= MAX_QUERIES + 4
