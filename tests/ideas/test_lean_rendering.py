"""The idea pages render without a template per item where it costs (issue 13), and look and
behave as before: one reply form per page (under the comment asked for without JavaScript),
the filter selects as Django writes them, memoised components as their templates write them."""

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation

from core.templatetags.cocrea_ui import avatar, avatar_colour
from core.widgets import Select, plain_widget
from reputation.templatetags.reputation_tags import member_mark
from tests.factories import IdeaFactory, make_campaign
from tests.ideas.test_discussion import add_comment

pytestmark = pytest.mark.django_db


def test_the_idea_page_has_one_reply_form_whatever_the_comments(member_client, member):
    idea = IdeaFactory()
    roots = [add_comment(idea, member, f"comment {n}") for n in range(5)]
    html = member_client.get(f"{idea.campaign.url}ideas/{idea.pk}/").content.decode()
    # The comment form at the top, and the one reply form to copy under a comment.
    assert html.count('<form class="comment-form"') == 2
    assert html.count('<template id="reply-form-template">') == 1
    assert 'id="comment-form-__reply__"' in html
    for root in roots:
        assert f'data-reply-to="{root.pk}"' in html
        # Without JavaScript, "Reply" leads to the page with the form under that comment.
        assert f'<a href="?reply={root.pk}#c{root.pk}">Write a reply</a>' in html


def test_without_javascript_the_reply_link_opens_the_form_under_the_comment(member_client, member):
    idea = IdeaFactory()
    root = add_comment(idea, member, "root comment")
    other = add_comment(idea, member, "another")
    url = f"{idea.campaign.url}ideas/{idea.pk}/"
    html = member_client.get(f"{url}?reply={root.pk}").content.decode()
    assert f'<form class="comment-form" id="comment-form-{root.pk}"' in html
    assert f'<input type="hidden" name="reply_to" value="{root.pk}">' in html
    assert f'id="comment-status-{root.pk}"' in html
    assert f'id="comment-form-{other.pk}"' not in html
    assert '<details class="reply" open>' in html
    # What it posts is a reply to that comment.
    from tests.ideas.test_discussion import post

    assert (
        post(member_client, idea, "a reply without JavaScript", reply_to=root.pk).status_code == 302
    )
    assert "a reply without JavaScript" in member_client.get(url).content.decode()


def test_a_reply_link_keeps_the_page_of_comments(client, member, settings):
    settings.COMMENTS_PER_PAGE = 1
    idea = IdeaFactory()
    first = add_comment(idea, member, "first")
    add_comment(idea, member, "second")
    client.force_login(member)
    html = client.get(f"{idea.campaign.url}ideas/{idea.pk}/?comments=2").content.decode()
    assert f'href="?comments=2&amp;reply={first.pk}#c{first.pk}"' in html


def test_visitors_get_no_reply_form(client, member):
    idea = IdeaFactory()
    add_comment(idea, member, "root comment")
    html = client.get(f"{idea.campaign.url}ideas/{idea.pk}/").content.decode()
    assert "reply-form-template" not in html and "flag-form-template" not in html


class Filters(forms.Form):
    sort = forms.ChoiceField(choices=[("top", "Top"), ("new", "New & <fresh>")], required=False)
    tag = forms.CharField(max_length=100, required=False)
    grouped = forms.ChoiceField(choices=[("Group", [("a", "A")])], required=False)


@pytest.mark.parametrize(
    "data",
    [{}, {"sort": "new", "tag": 'x"<y>'}, {"sort": "nope", "tag": ""}, None],
    ids=["empty", "chosen", "invalid", "unbound"],
)
def test_plain_widgets_write_what_django_writes(data):
    form = Filters(data)
    form.is_valid() if data is not None else None
    for field in form:
        assert str(plain_widget(field)) == str(field), field.name


def test_the_plain_select_writes_what_django_writes():
    choices = [("", "All"), ("1", "One"), (2, "Two & more")]
    for value in (None, "", "1", 2, "9"):
        plain = Select(choices=choices).render("n", value, attrs={"id": "id_n"})
        django = forms.Select(choices=choices).render("n", value, attrs={"id": "id_n"})
        assert plain == django, value


def test_memoised_components_write_what_their_templates_write():
    source = Template(
        '{% load cocrea_ui %}{% include "components/avatar.html" with initials=i colour=c %}'
    )
    name = "Ana María López"
    assert avatar(name) == source.render(Context({"i": "AL", "c": avatar_colour(name)}))
    assert avatar("Ana María López") is avatar("Ana María López")  # rendered once
    with translation.override("en"):
        english = member_mark(2)
    with translation.override("es"):
        spanish = member_mark(2)
    assert english != spanish and "Level 2" in english and "Nivel 2" in spanish
    assert member_mark(0).strip() == ""


def test_the_campaign_filters_render_as_before(member_client):
    campaign = make_campaign()
    IdeaFactory(campaign=campaign)
    html = member_client.get(f"{campaign.url}?sort=top&category=savings&tag=a%22b").content.decode()
    assert '<select name="sort" id="id_sort">' in html
    assert '<option value="top" selected>Top</option>' in html
    assert '<option value="savings" selected>Savings</option>' in html
    assert '<input type="text" name="tag" value="a&quot;b" maxlength="100" id="id_tag">' in html
