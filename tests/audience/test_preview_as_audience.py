"""Editors preview a page as a segment would see it, and as an anonymous visitor: the page's
targeted blocks, and a 404 when that audience may not see the page at all."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from cms.models import StandardPage
from segments.audience import PREVIEW_ANONYMOUS, _stand_in, hidden_page_ids, viewer_segment_ids
from segments.models import Segment
from tests.audience.conftest import SEGMENT_NAME
from tests.factories import UserFactory, site_tree

pytestmark = pytest.mark.django_db

INSIDE = "Early access for premium customers"
FALLBACK = "Ask us about Premium"


@pytest.fixture
def editor_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def preview(client, page, mode):
    revision = page.latest_revision
    url = reverse("wagtailadmin_pages:revisions_view", args=[page.pk, revision.pk])
    return client.get(url, {"mode": mode})


@pytest.fixture
def targeted_page(world):
    """A public page whose body has content for the segment and a fallback for everyone else."""
    home, _index = site_tree()
    page = StandardPage(
        title="Offers",
        slug="offers",
        body=[
            (
                "targeted",
                {
                    "segments": [world.segment.pk],
                    "content": [("paragraph", f"<p>{INSIDE}</p>")],
                    "fallback": [("paragraph", f"<p>{FALLBACK}</p>")],
                },
            )
        ],
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    return StandardPage.objects.get(pk=page.pk)


def test_preview_modes_offer_anonymous_and_each_segment(world):
    other = Segment.objects.create(name="Beta testers", slug="beta")
    modes = dict(world.page.preview_modes)
    assert list(modes)[:2] == ["", PREVIEW_ANONYMOUS]
    assert modes[f"segment:{world.segment.pk}"] == f"As {SEGMENT_NAME}"
    assert modes[f"segment:{other.pk}"] == "As Beta testers"


def test_preview_as_the_segment_shows_its_targeted_content(editor_client, targeted_page, world):
    html = preview(editor_client, targeted_page, f"segment:{world.segment.pk}").content.decode()
    assert INSIDE in html and FALLBACK not in html
    assert "Shown to:" not in html  # rendered as the member sees it, not the staff view


def test_preview_as_an_anonymous_visitor_shows_the_fallback(editor_client, targeted_page):
    response = preview(editor_client, targeted_page, PREVIEW_ANONYMOUS)
    html = response.content.decode()
    assert response.status_code == 200
    assert FALLBACK in html and INSIDE not in html and SEGMENT_NAME not in html


def test_default_preview_is_the_staff_view_with_every_variant(editor_client, targeted_page):
    html = preview(editor_client, targeted_page, "").content.decode()
    assert INSIDE in html and "Shown to:" in html


@pytest.mark.parametrize("subject", ["page", "article", "campaign"])
def test_a_restricted_page_previews_as_404_for_outsiders(editor_client, world, subject):
    page = getattr(world, subject)
    assert preview(editor_client, page, PREVIEW_ANONYMOUS).status_code == 404
    outsiders = Segment.objects.create(name="Beta testers", slug="beta")
    assert preview(editor_client, page, f"segment:{outsiders.pk}").status_code == 404


@pytest.mark.parametrize("subject", ["page", "article", "campaign"])
def test_a_restricted_page_previews_for_its_segment(editor_client, world, subject):
    page = getattr(world, subject)
    response = preview(editor_client, page, f"segment:{world.segment.pk}")
    assert response.status_code == 200 and page.title in response.content.decode()


def test_the_preview_judges_the_audience_being_edited_not_the_stored_one(editor_client, world):
    """Preview of a draft that removes the audience: anyone would see it once published."""
    draft = world.page
    draft.audience.set([])
    draft.save_revision()
    assert preview(editor_client, draft, PREVIEW_ANONYMOUS).status_code == 200


def test_viewer_segment_ids_follow_the_preview_else_the_member(world):
    request = RequestFactory().get("/")
    request.user = world.insider
    assert viewer_segment_ids(request) == {world.segment.pk}
    request.audience_preview = PREVIEW_ANONYMOUS
    assert viewer_segment_ids(request) == frozenset()
    request.audience_preview = frozenset({42})
    assert viewer_segment_ids(request) == {42}


def test_the_stand_in_is_judged_as_the_audience_but_keeps_the_editors_admin_access(world):
    editor = UserFactory(is_staff=True, is_superuser=True)
    as_segment = _stand_in(editor, frozenset({world.segment.pk}))
    assert world.page.pk not in hidden_page_ids(as_segment)
    assert world.campaign.pk not in hidden_page_ids(as_segment)
    anonymous = _stand_in(editor, PREVIEW_ANONYMOUS)
    assert {world.page.pk, world.campaign.pk} <= hidden_page_ids(anonymous)
    assert anonymous.has_perm("wagtailadmin.access_admin")  # the user bar still shows
    assert not anonymous.has_perm("wagtailcore.change_page")
    assert editor.is_superuser and editor.is_staff  # the real editor is untouched
