"""Keeping spam out: blocked words (whole words, any case) and links (by domain), a
pre-moderated campaign and new members' first posts hold ideas (pending) and comments (not
public) for review, and announce it with `ideas.signals.content_held`."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django_comments_xtd.models import XtdComment
from wagtail.models import Site

from ideas.holds import blocked_match, hosts_in
from ideas.models import ContentRules, Idea
from ideas.services import idea_submit, idea_update
from ideas.signals import content_held
from tests.factories import IdeaFactory, UserFactory, make_campaign, moderator
from tests.ideas.test_discussion import post

pytestmark = pytest.mark.django_db

HELD = "Your post is waiting for review"


@pytest.fixture
def held():
    """The (instance, reason) pairs announced by content_held."""
    seen = []

    def listen(sender, instance, reason, **kwargs):
        seen.append((instance, reason))

    content_held.connect(listen, weak=False)
    yield seen
    content_held.disconnect(listen)


def content_rules(**fields):
    make_campaign()  # the site tree
    rules = ContentRules.for_site(Site.objects.get(is_default_site=True))
    for name, value in fields.items():
        setattr(rules, name, value)
    rules.save()
    return rules


def submit(campaign, author, title="Weekly spending summary", description=None):
    return idea_submit(
        campaign=campaign,
        author=author,
        data={
            "title": title,
            "description": description
            or "A short notification every Sunday with what I spent this week.",
        },
    )


# Matching ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "matches"),
    [
        ("Buy VIAGRA now", True),
        ("viagra!", True),
        ("(Viagra)", True),
        ("Viagras are sold here", False),  # a whole word only
        ("The class assignment", False),  # no Scunthorpe problem: "ass" is not in "class"
        ("You ass.", True),
        ("Free   money for you", True),  # a phrase, whatever the spaces
        ("freemoney", False),
        ("Nothing to see", False),
    ],
)
def test_words_match_whole_words_in_any_case(text, matches):
    assert blocked_match([text], words=["viagra", "ass", "free money"], domains=[]) is matches


@pytest.mark.parametrize(
    ("text", "matches"),
    [
        ("see https://spam.example/offer", True),
        ("see http://WWW.Spam.Example", True),
        ("see https://deals.spam.example/x?y=1", True),  # subdomains too
        ("[click](https://spam.example/a)", True),
        ("mail me at spam.example today", True),  # a bare domain
        ("see https://notspam.example/", False),
        ("see https://spam.example.org/", False),
        ("see https://example.com/spam.example", False),  # a path is not a host
    ],
)
def test_links_match_by_domain(text, matches):
    assert blocked_match([text], words=[], domains=["spam.example"]) is matches


def test_hosts_are_found_with_and_without_a_scheme():
    assert hosts_in("go to https://www.a.example:8000/x and b.example.") == {
        "a.example",
        "b.example",
    }


# Ideas ---------------------------------------------------------------------------------------


def test_an_idea_with_a_blocked_word_from_the_admin_setting_is_held(held):
    content_rules(blocked_words="casino\nfree money")
    campaign = make_campaign()
    idea = submit(campaign, UserFactory(), title="Weekly CASINO bonus for savers")
    assert idea.status == Idea.Status.PENDING
    assert held == [(idea, "blocked_words")]


def test_an_idea_with_a_blocked_link_from_the_settings_default_is_held(held, settings):
    settings.BLOCKED_DOMAINS = ["spam.example"]
    campaign = make_campaign()
    idea = submit(
        campaign, UserFactory(), description="Look at https://win.spam.example/now for details."
    )
    assert idea.status == Idea.Status.PENDING and held == [(idea, "blocked_words")]


def test_a_clean_idea_is_published_and_nothing_is_announced(held):
    content_rules(blocked_words="casino")
    idea = submit(make_campaign(), UserFactory(), title="Classic savings casinos? No: classes")
    assert idea.status == Idea.Status.PUBLISHED and held == []


def test_a_pre_moderated_campaign_holds_with_reason_campaign(held):
    campaign = make_campaign(moderation="hold")
    idea = submit(campaign, UserFactory())
    assert idea.status == Idea.Status.PENDING and held == [(idea, "campaign")]


def test_moderators_are_not_held_by_words(held):
    content_rules(blocked_words="casino")
    idea = submit(make_campaign(), moderator(), title="Casino warnings for members")
    assert idea.status == Idea.Status.PUBLISHED and held == []


def test_an_edit_that_brings_in_a_blocked_word_holds_the_idea_again(held):
    content_rules(blocked_words="casino")
    idea = IdeaFactory()
    idea_update(idea=idea, actor=idea.author, data={"title": "Now with a casino link"})
    idea.refresh_from_db()
    assert idea.status == Idea.Status.PENDING and held == [(idea, "blocked_words")]


def test_a_campaign_holds_new_members_first_posts(held):
    campaign = make_campaign(new_member_held_posts=2)
    newcomer = UserFactory()
    first = submit(campaign, newcomer, title="My very first idea here")
    assert first.status == Idea.Status.PENDING and held == [(first, "new_member")]
    # Two posts of theirs published (approved by a moderator, say): no longer new.
    IdeaFactory.create_batch(2, campaign=campaign, author=newcomer)
    later = submit(campaign, newcomer, title="My fourth idea here")
    assert later.status == Idea.Status.PUBLISHED


def test_the_site_holds_new_members_first_posts_in_every_campaign(held):
    content_rules(new_member_held_posts=1)
    idea = submit(make_campaign(), UserFactory())
    assert idea.status == Idea.Status.PENDING and held == [(idea, "new_member")]


def test_the_submit_view_tells_the_author_the_post_waits(member_client):
    content_rules(blocked_words="casino")
    campaign = make_campaign()
    response = member_client.post(
        f"{campaign.url}submit/",
        {
            "title": "A casino for savers",
            "description": "A short notification every Sunday with what I spent.",
            "category": campaign.categories.first().pk,
        },
        follow=True,
    )
    assert HELD in response.content.decode()
    assert Idea.objects.get().status == Idea.Status.PENDING


# Comments ------------------------------------------------------------------------------------


def test_a_comment_with_a_blocked_link_is_held_and_not_counted(member_client, held):
    content_rules(blocked_domains="spam.example")
    idea = IdeaFactory()
    response = post(member_client, idea, "Cheap stuff at https://spam.example/x")
    comment = XtdComment.objects.get()
    assert not comment.is_public and not comment.is_removed
    assert held == [(comment, "blocked_words")]
    idea.refresh_from_db()
    assert idea.comment_count == 0
    page = member_client.get(response.url).content.decode()
    assert HELD in page and "Cheap stuff" not in page


def test_a_clean_comment_is_public(member_client, held):
    content_rules(blocked_words="casino")
    idea = IdeaFactory()
    post(member_client, idea, "Classic idea, I like it")
    assert XtdComment.objects.get().is_public and held == []


def test_new_members_first_comments_are_held(member_client, member, held):
    content_rules(new_member_held_posts=1)
    idea = IdeaFactory()
    post(member_client, idea, "Hello, my first words here")
    comment = XtdComment.objects.get()
    assert not comment.is_public and held == [(comment, "new_member")]
    # Once one of their posts is out, they post freely.
    XtdComment.objects.filter(pk=comment.pk).update(is_public=True)
    post(member_client, idea, "And my second")
    assert XtdComment.objects.get(comment="And my second").is_public


def test_a_pre_moderated_campaign_keeps_its_discussion_open(member_client, held):
    idea = IdeaFactory(campaign=make_campaign(moderation="hold"))
    post(member_client, idea, "Nice")
    assert XtdComment.objects.get().is_public and held == []


def test_comment_type_is_ideas():
    assert ContentType.objects.get_for_model(Idea).app_label == "ideas"
