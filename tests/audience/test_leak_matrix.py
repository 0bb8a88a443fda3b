"""The leak matrix: a standard page, an article, a campaign and an idea restricted to a segment,
seen through every channel by an anonymous visitor, an outsider and an insider.

Outsiders and anonymous visitors see nothing (a 404, or absent from the list); insiders see it.
The channels that carry no identity — feeds and the sitemap (and webhooks, the anonymous side of
notifications) — show only what anyone may see, so there the insider does not see it either.
Every probe also checks a public twin through the same channel, so "absent" can never pass
because the channel itself is broken. Test ids read `subject-channel-viewer`."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.files.base import ContentFile
from django_comments import get_form
from django_comments.models import CommentFlag
from django_comments_xtd.models import XtdComment
from wagtail.documents import get_document_model
from wagtail.models import Collection
from wagtail.rich_text import RichText

from ideas.models import Event, Follow, Idea, Stage
from ideas.services import idea_move
from integrations.models import WebhookDelivery
from moderation.models import Flag
from notifications.models import Notification
from tests.audience.conftest import VIEWERS
from tests.factories import UserFactory
from tests.integrations.helpers import endpoint
from voting.models import Vote

pytestmark = pytest.mark.django_db

# Channels that serve everyone alike: only unrestricted content, whoever asks.
FOR_ANYONE = {"feeds", "sitemap"}
# Endpoints the site no longer mounts (django-comments-xtd's API, reply and dislike pages…), and
# a reply sent through another idea's form: nobody gets through, insiders included.
CLOSED = {"comments-unmounted", "comment-reply-elsewhere"}
# Channels that write: a viewer who may not see the idea leaves no row behind.
WRITES = {
    "comment-post",
    "comment-reply",
    "comment-reply-elsewhere",
    "comment-flag",
    "comment-like",
}


def shows(response, text):
    return response.status_code == 200 and text in response.content.decode()


def found(response):
    return response.status_code != 404


# Probes: each returns (what the viewer got of the restricted subject, of its public twin), as
# lists of booleans (one per URL or check); None for a twin check that does not apply.


def page_serving(ctx, restricted, public):
    client = ctx.browse()
    return [client.get(restricted.url).status_code == 200], [
        client.get(public.url).status_code == 200
    ]


def idea_serving(ctx):
    client, w = ctx.browse(), ctx.world
    return [client.get(idea_url(w.idea)).status_code == 200], [
        client.get(idea_url(w.public_idea)).status_code == 200
    ]


def idea_url(idea):
    return f"{idea.campaign.url}ideas/{idea.pk}/"


def campaign_routes(ctx):
    """Every sub-route of the campaign page: ideas, submit, similar, vote, follow, edit…"""
    client, w = ctx.browse(), ctx.world

    def probe(campaign, idea):
        base, one = campaign.url, idea_url(idea)
        return [
            found(client.get(base)),
            found(client.get(f"{base}?sort=top")),
            found(client.get(f"{base}submit/")),
            found(client.get(f"{base}similar/", {"title": "crossing lights"})),
            found(client.get(one)),
            found(client.get(f"{base}ideas/{idea.pk}-some-slug/")),
            found(client.get(f"{one}edit/")),
            found(client.get(f"{one}withdraw/")),
            found(client.post(f"{one}follow/", {"action": "follow"})),
            found(client.post(f"{one}vote/")),
            # Not a campaign sub-route, but the vote button's own address (voting.urls).
            found(client.post(f"/votes/{idea.pk}/")),
            found(client.post(f"/votes/{idea.pk}/", HTTP_HX_REQUEST="true")),
        ]

    return probe(w.campaign, w.idea), probe(w.public_campaign, w.public_idea)


def listed(url):
    def probe(ctx, restricted, public):
        response = ctx.browse().get(url)
        return [shows(response, restricted.title)], [shows(response, public.title)]

    return probe


def search(ctx, restricted, public):
    client = ctx.browse()
    return [shows(client.get("/search/", {"q": "quokka"}), restricted.title)], [
        shows(client.get("/search/", {"q": "wombat"}), public.title)
    ]


def sitemap(ctx, restricted, public):
    response = ctx.browse().get("/sitemap.xml")
    return [shows(response, restricted.url)], [shows(response, public.url)]


def api_list(url):
    def probe(ctx, restricted, public):
        response = ctx.api().get(url)
        return [shows(response, restricted.title)], [shows(response, public.title)]

    return probe


def api_detail(template):
    def probe(ctx, restricted, public):
        client = ctx.api()
        return [client.get(template.format(restricted.pk)).status_code == 200], [
            client.get(template.format(public.pk)).status_code == 200
        ]

    return probe


def campaign_feed(ctx, restricted, public):
    client = ctx.browse()
    urls = ["/feeds/campaigns/{}/", "/feeds/campaigns/{}/atom/"]
    return [client.get(u.format(restricted.slug)).status_code == 200 for u in urls], [
        client.get(u.format(public.slug)).status_code == 200 for u in urls
    ]


def ship(*ideas):
    Idea.objects.filter(pk__in=[i.pk for i in ideas]).update(
        stage=Stage.objects.get(slug="shipped")
    )


def changelog(url):
    def probe(ctx, restricted, public):
        ship(restricted, public)
        response = ctx.browse().get(url)
        return [shows(response, restricted.title)], [shows(response, public.title)]

    return probe


def similar_ideas(ctx, restricted, public):
    client = ctx.browse()

    def probe(idea):
        return shows(
            client.get(f"{idea.campaign.url}similar/", {"title": "crossing lights"}), idea.title
        )

    return [probe(restricted)], [probe(public)]


def profile(ctx, restricted, public):
    response = ctx.browse().get(f"/members/{ctx.world.author.username}/")
    return [shows(response, restricted.title)], [shows(response, public.title)]


def move(ctx, idea):
    team = UserFactory(is_staff=True, is_team=True)
    with ctx.world.capture(execute=True):
        idea_move(idea=idea, to_stage=Stage.objects.get(slug="in-progress"), actor=team)
    return Event.objects.filter(idea=idea, kind=Event.Kind.STAGE_CHANGED).latest("pk")


def notifications(ctx, restricted, public):
    """Members: an on-site notification and an e-mail, for an idea they follow. The anonymous
    side of notifications is a webhook receiver: it gets events of public ideas only."""
    if ctx.viewer == "anonymous":
        endpoint("http://127.0.0.1:9/never-called", events=["idea.stage_changed"])

        def heard(idea):
            return WebhookDelivery.objects.filter(event=move(ctx, idea)).exists()

        return [heard(restricted)], [heard(public)]
    member = ctx.world.user(ctx.viewer)

    def heard(idea):
        mail.outbox.clear()
        event = move(ctx, idea)
        told = Notification.objects.filter(event=event, recipient=member).exists()
        mailed = any(idea.title in m.subject and m.to == [member.email] for m in mail.outbox)
        return [told, mailed]

    return heard(restricted), heard(public)


def notification_centre(ctx, restricted, public):
    """A notification received while the campaign was public leaves the member's notification
    centre once the campaign is restricted."""
    w = ctx.world
    w.unrestrict()
    move(ctx, restricted)
    move(ctx, public)
    w.restrict()
    response = ctx.browse().get("/notifications/")
    if ctx.viewer == "anonymous":  # no centre: sent to sign in
        return [shows(response, restricted.title)], [None]
    return [shows(response, restricted.title)], [shows(response, public.title)]


# The discussion (django-comments-xtd's endpoints, behind ideas.discussion) ---------------------


def comment_form(idea, text, reply_to=0):
    """What the idea page's comment form sends, security hash included."""
    return {
        **get_form()(idea).generate_security_data(),
        "comment": text,
        "reply_to": reply_to,
        "next": idea_url(idea),
        "honeypot": "",
    }


def comment_post(ctx, restricted, public):
    client = ctx.browse()

    def probe(idea):
        before = XtdComment.objects.count()
        response = client.post("/comments/post/", comment_form(idea, "Me too"))
        if ctx.viewer == "anonymous":  # sent to sign in (public) or 404 (restricted)
            return [found(response)]
        return [found(response), XtdComment.objects.count() > before]

    return probe(restricted), probe(public)


def comment_reply(ctx, restricted, public):
    client, comments = ctx.browse(), ctx.world.comments

    def probe(idea):
        form = comment_form(idea, "A reply", reply_to=comments[idea.pk].pk)
        return found(client.post("/comments/post/", form))

    return [probe(restricted)], [probe(public)]


def comment_reply_elsewhere(ctx, restricted, public):
    """A reply posted through the public idea's form to a comment of the restricted idea."""
    client, comments = ctx.browse(), ctx.world.comments

    def probe(parent_idea):
        form = comment_form(public, "A reply", reply_to=comments[parent_idea.pk].pk)
        return found(client.post("/comments/post/", form))

    return [probe(restricted)], [probe(public)]


def comment_action(action):
    def probe(ctx, restricted, public):
        client, comments = ctx.browse(), ctx.world.comments

        def one(idea):
            url = f"/comments/{action}/{comments[idea.pk].pk}/"
            page = client.get(url)
            text = comments[idea.pk].comment
            shown = found(page) if ctx.viewer == "anonymous" else shows(page, text)
            return [shown, found(client.post(url, {"next": idea_url(idea)}))]

        return one(restricted), one(public)

    return probe


def comment_flag(ctx, restricted, public):
    """Reporting a comment (the moderation app's flag form and its POST)."""
    client, comments = ctx.browse(), ctx.world.comments

    def one(idea):
        url = f"/moderation/flag/comment/{comments[idea.pk].pk}/"
        page = client.get(url)
        text = comments[idea.pk].comment
        shown = found(page) if ctx.viewer == "anonymous" else shows(page, text)
        return [shown, found(client.post(url, {"reason": "spam"}))]

    return one(restricted), one(public)


def comment_redirect(ctx, restricted, public):
    """django-comments' content-type redirect (`comment.get_absolute_url()`): to the idea, with
    the request's host (a relative address), never the `Site` domain."""
    client, type_id = ctx.browse(), ContentType.objects.get_for_model(Idea).pk

    def probe(idea):
        response = client.get(f"/comments/cr/{type_id}/{idea.pk}/")
        return response.status_code == 302 and response["Location"] == idea_url(idea)

    return [probe(restricted)], [probe(public)]


def comments_unmounted(ctx, restricted, _public):
    """The library's endpoints Cocrea does not use answer 404, for the restricted idea and any
    other (the twin does not apply)."""
    client, comment = ctx.browse(), ctx.world.comments[restricted.pk]
    urls = [
        f"/comments/api/ideas-idea/{restricted.pk}/",
        f"/comments/api/ideas-idea/{restricted.pk}/count/",
        "/comments/api/comment/",
        "/comments/api/feedback/",
        "/comments/api/flag/",
        f"/comments/reply/{comment.pk}/",
        f"/comments/dislike/{comment.pk}/",
        f"/comments/sent/?c={comment.pk}",
        f"/comments/posted/?c={comment.pk}",
        f"/comments/delete/{comment.pk}/",
        f"/comments/approve/{comment.pk}/",
        "/comments/mute/some-key/",
        "/comments/confirm/some-key/",
    ]
    return [client.get(url).status_code != 404 for url in urls], [None]


def data_export(ctx, restricted, public):
    """A member's "Download my data": their vote, follow and comment on an idea whose campaign
    became restricted keep only the idea's id (docs/audience.md)."""
    w = ctx.world
    member = w.user(ctx.viewer)
    if member is not None:
        for idea in (restricted, public):
            Vote.objects.get_or_create(idea=idea, member=member, campaign_id=idea.campaign_id)
            XtdComment.objects.create(
                content_type=ContentType.objects.get_for_model(Idea),
                object_pk=str(idea.pk),
                site_id=1,
                user=member,
                user_name=member.username,
                comment="My own words",
            )
    response = ctx.browse().get("/members/settings/my-data.json")
    if member is None:  # sent to sign in
        return [shows(response, restricted.title)], [None]
    return [shows(response, restricted.title)], [shows(response, public.title)]


def root_collection():
    # Transactional tests elsewhere flush the root collection the migrations create.
    return Collection.get_first_root_node() or Collection.add_root(name="Root")


def document_serving(ctx, restricted, public):
    """A document linked from a page is served only to those who may see a page that uses it
    (Wagtail's own serving knows nothing of audiences: segments.documents)."""
    w = ctx.world

    def attach(page, name):
        document = get_document_model().objects.create(
            collection=root_collection(),
            title=name,
            file=ContentFile(b"%PDF-1.4 secret", name=f"{name}.pdf"),
        )
        link = f'<p><a linktype="document" id="{document.pk}">{name}</a></p>'
        page.body = [("paragraph", RichText(link))]
        with w.capture(execute=True):
            page.save_revision().publish()
        return document

    documents = attach(restricted, "quokka-plan"), attach(public, "wombat-plan")
    client = ctx.browse()
    seen = [client.get(d.url).status_code == 200 for d in documents]
    return seen[:1], seen[1:]


def stored_rows(idea):
    """Everything a write on the idea's discussion may leave."""
    comments = XtdComment.objects.filter(object_pk=str(idea.pk))
    return (
        comments.count(),
        CommentFlag.objects.filter(comment__in=comments).count(),
        Flag.objects.filter(case__idea=idea).count(),
        Follow.objects.filter(idea=idea).count(),
        Event.objects.filter(idea=idea).count(),
    )


# subject → the restricted object and its twin (names of World attributes)
SUBJECTS = {
    "page": ("page", "public_page"),
    "article": ("article", "public_article"),
    "campaign": ("campaign", "public_campaign"),
    "idea": ("idea", "public_idea"),
}

CHANNELS = [
    ("page", "serving", page_serving),
    ("page", "search", search),
    ("page", "sitemap", sitemap),
    ("page", "documents", document_serving),
    ("article", "serving", page_serving),
    ("article", "home", listed("/")),
    ("article", "index", listed("/news/")),
    ("article", "search", search),
    ("article", "sitemap", sitemap),
    ("campaign", "serving", page_serving),
    ("campaign", "routes", lambda ctx, _r, _p: campaign_routes(ctx)),
    ("campaign", "home", listed("/")),
    ("campaign", "index", listed("/campaigns/")),
    ("campaign", "search", search),
    ("campaign", "api-list", api_list("/api/v1/campaigns/")),
    ("campaign", "api-detail", api_detail("/api/v1/campaigns/{}/")),
    ("campaign", "feeds", campaign_feed),
    ("campaign", "sitemap", sitemap),
    ("idea", "serving", lambda ctx, _r, _p: idea_serving(ctx)),
    ("idea", "search", search),
    ("idea", "roadmap", listed("/roadmap/")),
    ("idea", "changelog", changelog("/changelog/")),
    ("idea", "profile", profile),
    ("idea", "api-list", api_list("/api/v1/ideas/")),
    ("idea", "api-detail", api_detail("/api/v1/ideas/{}/")),
    ("idea", "api-history", api_detail("/api/v1/ideas/{}/history/")),
    ("idea", "api-roadmap", api_list("/api/v1/roadmap/")),
    ("idea", "feeds", changelog("/feeds/changelog/")),
    ("idea", "similar", similar_ideas),
    ("idea", "notifications", notifications),
    ("idea", "notification-centre", notification_centre),
    ("idea", "comment-post", comment_post),
    ("idea", "comment-reply", comment_reply),
    ("idea", "comment-reply-elsewhere", comment_reply_elsewhere),
    ("idea", "comment-flag", comment_flag),
    ("idea", "comment-like", comment_action("like")),
    ("idea", "comment-redirect", comment_redirect),
    ("idea", "comments-unmounted", comments_unmounted),
    ("idea", "data-export", data_export),
]


class Context:
    def __init__(self, world, viewer, browse, api):
        self.world, self.viewer = world, viewer
        self.browse = lambda: browse(world, viewer)
        self.api = lambda: api(world, viewer)


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize(
    ("subject", "channel", "probe"),
    [pytest.param(s, c, p, id=f"{s}-{c}") for s, c, p in CHANNELS],
)
def test_leak_matrix(world, browse, api, subject, channel, probe, viewer):
    restricted_name, public_name = SUBJECTS[subject]
    ctx = Context(world, viewer, browse, api)
    before = stored_rows(world.idea)
    restricted, public = probe(ctx, getattr(world, restricted_name), getattr(world, public_name))
    should_see = viewer == "insider" and channel not in FOR_ANYONE | CLOSED
    if channel in WRITES and not should_see:
        assert stored_rows(world.idea) == before, f"{viewer} wrote into the restricted idea"
    assert restricted == [should_see] * len(restricted), (
        f"{viewer} {'should' if should_see else 'must not'} see the restricted {subject} "
        f"through {channel}: {restricted}"
    )
    expected_public = [None if p is None else True for p in public]
    assert public == expected_public, f"the public {subject} must show through {channel}"
