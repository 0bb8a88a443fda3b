import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ideas.models import Idea, Stage
from tests.factories import IdeaFactory, UserFactory, make_campaign

pytestmark = pytest.mark.django_db


def png(width=40, height=30):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "teal").save(buffer, "PNG")
    return SimpleUploadedFile("idea.png", buffer.getvalue(), content_type="image/png")


def submit(client, campaign, **overrides):
    data = {
        "title": "Weekly spending summary on Sunday",
        "description": "A short notification every Sunday with what I spent.",
        "category": campaign.categories.first().pk,
        "tags": "summary, budget",
        **overrides,
    }
    return client.post(f"{campaign.url}submit/", data)


def test_campaign_page_lists_ideas_with_title_author_stage_votes_and_comments(client, campaign):
    IdeaFactory(
        campaign=campaign,
        title="Freeze my card from the lock screen",
        vote_count=7,
        comment_count=3,
    )
    html = client.get(campaign.url).content.decode()
    assert "Freeze my card from the lock screen" in html
    assert "New" in html and "3 comments" in html and ">7<" in html


def test_idea_list_sorts_top_newest_and_discussed(client, campaign):
    a = IdeaFactory(campaign=campaign, title="Alpha idea with many votes", vote_count=50)
    b = IdeaFactory(campaign=campaign, title="Bravo idea with the comments", comment_count=9)
    c = IdeaFactory(campaign=campaign, title="Charlie newest idea of all")
    order = lambda sort: [  # noqa: E731
        i.pk for i in client.get(campaign.url, {"sort": sort}).context["ideas"].object_list
    ]
    assert order("top")[0] == a.pk
    assert order("discussed")[0] == b.pk
    assert order("newest")[0] == c.pk


def test_random_order_is_stable_for_a_seed_and_the_links_keep_it(client, campaign):
    from django.contrib.sessions.models import Session

    for n in range(30):
        IdeaFactory(campaign=campaign, title=f"Idea number {n} in random order")
    response = client.get(campaign.url, {"sort": "random"})
    first = [i.pk for i in response.context["ideas"]]
    # The seed drawn for this visitor is in the next page's link and in the filter form.
    match = re.search(r'href="\?([^"]*)&amp;page=2"', response.content.decode())
    assert match and "seed=" in match.group(1)
    params = dict(pair.split("=") for pair in match.group(1).replace("&amp;", "&").split("&"))
    seed = params["seed"]
    assert f'name="seed" value="{seed}"' in response.content.decode()
    again = client.get(campaign.url, {"sort": "random", "seed": seed})
    page2 = client.get(campaign.url, {"sort": "random", "seed": seed, "page": 2})
    assert [i.pk for i in again.context["ideas"]] == first
    second = [i.pk for i in page2.context["ideas"]]
    assert not set(first) & set(second)
    assert len(first) + len(second) == 30
    # Another seed, another order; no visitor got a session for it.
    other = client.get(campaign.url, {"sort": "random", "seed": (int(seed) + 2**30) % 2**31})
    assert [i.pk for i in other.context["ideas"]] != first
    assert not Session.objects.exists()
    assert "sessionid" not in response.cookies


def test_random_order_chosen_in_place_keeps_its_seed_in_the_address_and_the_form(client, campaign):
    for n in range(3):
        IdeaFactory(campaign=campaign, title=f"Idea number {n} in random order")
    headers = {"HX-Request": "true", "HX-Target": "idea-list"}
    response = client.get(campaign.url, {"sort": "random", "category": ""}, headers=headers)
    pushed = response["HX-Push-Url"]
    seed = re.search(r"seed=(\d+)", pushed).group(1)
    assert pushed.startswith(campaign.url) and "sort=random" in pushed
    html = response.content.decode()
    assert f'name="seed" id="id_seed" value="{seed}" hx-swap-oob="true"' in html
    # With the seed, nothing is drawn again.
    again = client.get(campaign.url, {"sort": "random", "seed": seed}, headers=headers)
    assert "HX-Push-Url" not in again and "hx-swap-oob" not in again.content.decode()


def test_idea_list_filters_by_category_stage_and_tag(client, campaign):
    savings, security = campaign.categories.all()
    a = IdeaFactory(campaign=campaign, category=savings)
    b = IdeaFactory(campaign=campaign, category=security, stage=Stage.objects.get(slug="planned"))
    b.tags.add("widget")
    ids = lambda **q: {i.pk for i in client.get(campaign.url, q).context["ideas"]}  # noqa: E731
    assert ids(category=savings.slug) == {a.pk}
    assert ids(stage="planned") == {b.pk}
    assert ids(tag="widget") == {b.pk}


def test_unknown_filters_are_ignored_with_a_message_not_an_error(client, campaign):
    IdeaFactory(campaign=campaign)
    response = client.get(campaign.url, {"category": "nope", "sort": "sideways", "page": "abc"})
    assert response.status_code == 200
    assert "were not understood" in response.content.decode()


def test_idea_list_is_paginated(client, campaign):
    IdeaFactory.create_batch(25, campaign=campaign)
    response = client.get(campaign.url)
    assert len(response.context["ideas"]) == 20
    assert "Page 1 of 2" in response.content.decode()


def test_htmx_filter_request_returns_only_the_list(client, campaign):
    IdeaFactory(campaign=campaign, title="Only the list comes back")
    response = client.get(campaign.url, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="idea-list")
    html = response.content.decode()
    assert "Only the list comes back" in html and "<html" not in html


def test_member_submits_an_idea_and_lands_on_it(member_client, campaign):
    response = submit(member_client, campaign)
    idea = Idea.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"ideas/{idea.pk}/")
    page = member_client.get(response.url).content.decode()
    assert "Weekly spending summary on Sunday" in page and "#summary" in page


def test_invalid_submission_shows_field_errors_and_keeps_the_text(member_client, campaign):
    response = submit(member_client, campaign, title="Hey", description="short")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Make the title at least" in html
    assert "at least 20 characters" in html
    assert 'value="Hey"' in html and "short</textarea>" in html
    assert not Idea.objects.exists()


def test_visitor_is_sent_to_sign_in_before_submitting(client, campaign):
    response = client.get(f"{campaign.url}submit/")
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_submit_page_explains_when_the_campaign_takes_no_ideas(member_client):
    campaign = make_campaign(phase="closed")
    response = member_client.get(f"{campaign.url}submit/")
    assert "no longer takes new ideas" in response.content.decode()
    assert submit(member_client, campaign).status_code == 200
    assert not Idea.objects.exists()


def test_an_image_can_be_attached(member_client, campaign):
    submit(member_client, campaign, image=png())
    assert Idea.objects.get().image.name.startswith("ideas/")


def test_a_fake_image_is_refused_with_a_message(member_client, campaign):
    fake = SimpleUploadedFile("cat.png", b"<?php echo 'not an image'; ?>", content_type="image/png")
    html = submit(member_client, campaign, image=fake).content.decode()
    assert "This file is not an image." in html
    assert not Idea.objects.exists()


def test_an_oversized_image_is_refused_with_a_message(member_client, campaign, settings):
    settings.IDEA_IMAGE_MAX_BYTES = 200
    html = submit(member_client, campaign, image=png(200, 200)).content.decode()
    assert "the limit is 200" in html
    assert not Idea.objects.exists()


def test_an_image_with_too_many_pixels_is_refused(member_client, campaign, settings):
    settings.IDEA_IMAGE_MAX_PIXELS = 1000
    html = submit(member_client, campaign, image=png(100, 100)).content.decode()
    assert "megapixels" in html
    assert not Idea.objects.exists()


def test_xss_in_title_and_description_renders_inert(client, campaign):
    idea = IdeaFactory(
        campaign=campaign,
        title="<script>alert('t')</script> title",
        description="**Bold** <img src=x onerror=alert(1)> [link](javascript:alert(2)) <script>x()</script>",
    )
    detail = client.get(f"{campaign.url}ideas/{idea.pk}/").content.decode()
    listing = client.get(campaign.url).content.decode()
    for html in (detail, listing):
        assert "<script>alert" not in html and "<script>x()" not in html
        assert "<img src=x" not in html
        assert 'href="javascript' not in html
    assert "<strong>Bold</strong>" in detail
    assert 'href="javascript' not in detail
    assert "&lt;script&gt;alert(&#x27;t&#x27;)&lt;/script&gt;" in detail


def test_pending_idea_is_visible_to_its_author_only(client, campaign):
    idea = IdeaFactory(campaign=campaign, status=Idea.Status.PENDING)
    url = f"{campaign.url}ideas/{idea.pk}/"
    assert client.get(url).status_code == 404
    client.force_login(idea.author)
    assert "Waiting for moderation" in client.get(url).content.decode()
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404


def test_slugged_idea_url_redirects_to_the_canonical_one(client, campaign):
    idea = IdeaFactory(campaign=campaign)
    response = client.get(f"{campaign.url}ideas/{idea.pk}-some-title/")
    assert response.status_code == 301 and response.url.endswith(f"/ideas/{idea.pk}/")


def test_idea_of_another_campaign_is_not_found_under_this_one(client, campaign):
    other = IdeaFactory()
    assert client.get(f"{campaign.url}ideas/{other.pk}/").status_code == 404


def test_author_edits_and_withdraws_through_the_pages(client, campaign):
    idea = IdeaFactory(campaign=campaign)
    client.force_login(idea.author)
    url = f"{campaign.url}ideas/{idea.pk}/"
    response = client.post(
        url + "edit/",
        {
            "title": "Edited title that is long",
            "description": idea.description,
            "category": campaign.categories.first().pk,
        },
    )
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.title == "Edited title that is long"
    client.post(url + "withdraw/")
    idea.refresh_from_db()
    assert idea.status == Idea.Status.WITHDRAWN
    assert client.get(url).status_code == 404


def test_similar_ideas_are_suggested_while_typing(client, campaign):
    IdeaFactory(campaign=campaign, title="Round up card purchases into a savings pot")
    IdeaFactory(campaign=campaign, title="Dark mode that follows the system")
    html = client.get(f"{campaign.url}similar/", {"title": "round up purchases"}).content.decode()
    assert "Round up card purchases" in html and "Dark mode" not in html
    assert client.get(f"{campaign.url}similar/", {"title": "ab"}).content.decode().strip() == ""


def test_csrf_is_enforced_on_submit_and_vote(campaign, member):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    idea = IdeaFactory(campaign=campaign)
    assert submit(client, campaign).status_code == 403
    assert client.post(f"{campaign.url}ideas/{idea.pk}/vote/").status_code == 403
