"""The authorization matrix, generated from the URL conf: every URL pattern the site mounts —
ours, i18n_patterns, and the third-party apps (allauth, Wagtail, the Django admin, the comment
endpoints) — has a row saying what each role gets. A new URL without a row fails
`test_every_url_pattern_has_a_row`, so nothing is mounted without someone deciding who may reach
it. The Wagtail admin and the Django admin are summarised by prefix rules, with sample URLs.
Written down in docs/permissions.md."""

from dataclasses import dataclass, field
from importlib import import_module

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django_comments_xtd.models import XtdComment
from wagtail.documents import get_document_model
from wagtail.models import Collection

from ideas.models import Event, Idea
from notifications.models import Notification
from tests.factories import (
    IdeaFactory,
    UserFactory,
    editor,
    ensure_baseline,
    make_campaign,
    team_member,
)

ROLES = ["anonymous", "member", "other_member", "product_team", "editor", "superuser"]
MEMBERS = ROLES[1:]


def url_patterns(patterns=None, prefix=""):
    """Every pattern of the URL conf as its full route ("members/<str:username>/"), walking
    included apps and i18n_patterns (whose language prefix is left out: it is optional)."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from url_patterns(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


def expect(default=200, **by_role):
    """{role: status}: `default` for every role not named (`members=` names all signed-in)."""
    members = by_role.pop("members", default)
    statuses = dict.fromkeys(MEMBERS, members)
    statuses["anonymous"] = default
    statuses.update(by_role)
    return statuses


EVERYONE = expect(200)
SIGNED_IN = expect(302, members=200)  # anonymous visitors are sent to sign in
SIGNED_OUT = expect(200, members=302)  # signed-in members are sent on (login, signup…)
NOBODY = expect(404)
WAGTAIL_ADMIN = expect(302, product_team=200, editor=200, superuser=200)
SUPERUSERS = expect(302, superuser=200)
INSIGHTS = expect(302, product_team=200, superuser=200)  # and community managers


@dataclass
class Row:
    url: object  # the URL to request: a string, or a function of the world
    statuses: dict
    method: str = "get"
    data: dict = field(default_factory=dict)


# route (as url_patterns() spells it) → its row(s). Keep in step with docs/permissions.md.
ROUTES = {
    # Wagtail's document serving: documents are public unless every page using them is hidden
    # from the visitor (segments.documents; tested in tests/audience).
    "documents/^(\\d+)/(.*)$": Row(lambda w: w.document.url, EVERYONE),
    "documents/authenticate_with_password/<int:restriction_id>/": Row(
        "/documents/authenticate_with_password/999999/", NOBODY
    ),
    # The discussion: only the endpoints Cocrea uses, behind the audience policy.
    "comments/post/": Row("/comments/post/", expect(405)),
    "comments/like/<int:comment_id>/": Row(lambda w: f"/comments/like/{w.comment.pk}/", SIGNED_IN),
    "comments/liked/": Row("/comments/liked/", EVERYONE),
    "comments/cr/<int:content_type_id>/<str:object_pk>/": Row(
        lambda w: f"/comments/cr/{w.idea_type}/{w.idea.pk}/", expect(302)
    ),
    "i18n/setlang/": Row("/i18n/setlang/", expect(302), method="post", data={"language": "es"}),
    # The vote button's address: visitors are sent to sign in, members vote and are sent back
    # (the audience first: tests/audience); GET is not a vote.
    "votes/<int:idea_id>/": [
        Row(lambda w: f"/votes/{w.idea.pk}/", expect(302), method="post", data={"action": "vote"}),
        Row(lambda w: f"/votes/{w.idea.pk}/", expect(405)),
    ],
    "sitemap.xml": Row("/sitemap.xml", EVERYONE),
    # Probes: they tell nothing but "up" and which service answers.
    "health/": Row("/health/", EVERYONE),
    "ready/": Row("/ready/", EVERYONE),
    # The REST API (docs/api.md): reads for anyone, triage for the product team.
    "api/v1/^campaigns/$": Row("/api/v1/campaigns/", EVERYONE),
    "api/v1/^campaigns/(?P<id>[^/.]+)/$": Row(
        lambda w: f"/api/v1/campaigns/{w.campaign.pk}/", EVERYONE
    ),
    "api/v1/^ideas/$": Row("/api/v1/ideas/", EVERYONE),
    "api/v1/^ideas/(?P<id>[^/.]+)/$": Row(lambda w: f"/api/v1/ideas/{w.idea.pk}/", EVERYONE),
    "api/v1/^ideas/(?P<id>[^/.]+)/history/$": Row(
        lambda w: f"/api/v1/ideas/{w.idea.pk}/history/", EVERYONE
    ),
    "api/v1/^ideas/(?P<id>[^/.]+)/merge/$": Row(
        lambda w: f"/api/v1/ideas/{w.idea.pk}/merge/",
        expect(403, anonymous=401, product_team=400, superuser=400),
        method="post",
    ),
    "api/v1/^ideas/(?P<id>[^/.]+)/move/$": Row(
        lambda w: f"/api/v1/ideas/{w.idea.pk}/move/",
        expect(403, anonymous=401, product_team=400, superuser=400),
        method="post",
    ),
    "api/v1/^stages/$": Row("/api/v1/stages/", EVERYONE),
    "api/v1/roadmap/": Row("/api/v1/roadmap/", EVERYONE),
    "api/v1/schema/": Row("/api/v1/schema/", EVERYONE),
    "api/v1/docs/": Row("/api/v1/docs/", EVERYONE),
    # Anything else under the API answers the API's JSON 404, not the site's HTML page.
    "api/v1/^.*/$": Row("/api/v1/no-such-thing/", NOBODY),
    # Feeds carry no identity: public content only.
    # An idea's image, behind the audience policy (tests/audience/test_idea_images.py).
    "idea-images/<int:pk>/<str:name>": Row(lambda w: w.idea.image_url, EVERYONE),
    "feeds/changelog/": Row("/feeds/changelog/", EVERYONE),
    "feeds/changelog/atom/": Row("/feeds/changelog/atom/", EVERYONE),
    "feeds/campaigns/<slug:slug>/": Row(lambda w: f"/feeds/campaigns/{w.campaign.slug}/", EVERYONE),
    "feeds/campaigns/<slug:slug>/atom/": Row(
        lambda w: f"/feeds/campaigns/{w.campaign.slug}/atom/", EVERYONE
    ),
    # allauth: signing in, up and out, e-mail and password management.
    "accounts/login/": Row("/accounts/login/", SIGNED_OUT),
    "accounts/logout/": Row("/accounts/logout/", expect(302, members=200)),
    "accounts/inactive/": Row("/accounts/inactive/", EVERYONE),
    "accounts/signup/": Row("/accounts/signup/", SIGNED_OUT),
    "accounts/reauthenticate/": Row("/accounts/reauthenticate/", SIGNED_IN),
    "accounts/reauthenticate/code/": Row("/accounts/reauthenticate/code/", SIGNED_IN),
    "accounts/reauthenticate/code/confirm/": Row(
        "/accounts/reauthenticate/code/confirm/", expect(302)
    ),
    "accounts/email/": Row("/accounts/email/", SIGNED_IN),
    "accounts/confirm-email/": Row("/accounts/confirm-email/", EVERYONE),
    "accounts/password/change/": Row("/accounts/password/change/", SIGNED_IN),
    "accounts/password/set/": Row("/accounts/password/set/", expect(302)),
    "accounts/password/reset/": Row("/accounts/password/reset/", EVERYONE),
    "accounts/login/code/confirm/": Row("/accounts/login/code/confirm/", expect(302)),
    "accounts/^confirm-email/(?P<key>[-:\\w]+)/$": Row(
        "/accounts/confirm-email/not-a-key/", EVERYONE
    ),
    "accounts/password/reset/key/done/": Row("/accounts/password/reset/key/done/", EVERYONE),
    "accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": Row(
        "/accounts/password/reset/key/1-not-a-key/", EVERYONE
    ),
    "accounts/password/reset/done/": Row("/accounts/password/reset/done/", EVERYONE),
    # Sign-in with other accounts (docs/sign-in.md). None is configured here: the provider
    # pages are not found; with one configured, its login URL redirects to the provider
    # (tests/members/test_social_sign_in.py).
    "accounts/google/login/": Row("/accounts/google/login/", NOBODY),
    "accounts/google/login/callback/": Row("/accounts/google/login/callback/", NOBODY),
    "accounts/google/login/token/": Row("/accounts/google/login/token/", NOBODY),
    "accounts/microsoft/login/": Row("/accounts/microsoft/login/", NOBODY),
    "accounts/microsoft/login/callback/": Row("/accounts/microsoft/login/callback/", NOBODY),
    "accounts/github/login/": Row("/accounts/github/login/", NOBODY),
    "accounts/github/login/callback/": Row("/accounts/github/login/callback/", NOBODY),
    "accounts/oidc/^(?P<provider_id>[^/]+)/login/": Row("/accounts/oidc/sso/login/", NOBODY),
    "accounts/oidc/^(?P<provider_id>[^/]+)/login/callback/": Row(
        "/accounts/oidc/sso/login/callback/", NOBODY
    ),
    "accounts/3rdparty/login/cancelled/": Row("/accounts/3rdparty/login/cancelled/", EVERYONE),
    "accounts/3rdparty/login/error/": Row("/accounts/3rdparty/login/error/", expect(401)),
    # Only in the middle of a social sign-up (the provider's answer in the session).
    "accounts/3rdparty/signup/": Row("/accounts/3rdparty/signup/", expect(302)),
    "accounts/3rdparty/": Row("/accounts/3rdparty/", SIGNED_IN),
    # The identify link is off while IDENTIFY_SECRET is empty (tests/members/test_identify_link.py
    # for what it does when on).
    "sso/identify/": Row("/sso/identify/", NOBODY),
    # The member's own pages.
    "members/settings/my-data.json": Row("/members/settings/my-data.json", SIGNED_IN),
    "members/settings/delete/": Row("/members/settings/delete/", SIGNED_IN),
    "members/settings/": Row("/members/settings/", SIGNED_IN),
    "members/<str:username>/": Row(lambda w: f"/members/{w.member.username}/", EVERYONE),
    # Moderation: flag what you may see (the form page; posting is the service's), and the
    # decision page only for the content's author and moderators (docs/permissions.md).
    "moderation/flag/idea/<int:idea_id>/": Row(
        lambda w: f"/moderation/flag/idea/{w.idea.pk}/", SIGNED_IN
    ),
    "moderation/flag/comment/<int:comment_id>/": Row(
        lambda w: f"/moderation/flag/comment/{w.comment.pk}/", SIGNED_IN
    ),
    "moderation/decisions/<int:decision_id>/": Row(
        lambda w: f"/moderation/decisions/{w.decision().pk}/",
        expect(302, member=200, other_member=404, product_team=200, editor=404, superuser=200),
    ),
    "notifications/": Row("/notifications/", SIGNED_IN),
    "notifications/read/": Row("/notifications/read/", expect(405, anonymous=302)),
    # Only the recipient opens a notification; everyone else gets 404, staff included.
    "notifications/<int:pk>/open/": Row(
        lambda w: f"/notifications/{w.notification.pk}/open/",
        expect(404, anonymous=302, member=302),
        method="post",
    ),
    "notifications/settings/": Row("/notifications/settings/", SIGNED_IN),
    # Unsubscribe links carry their own signed token; a forged one unsubscribes nobody.
    "notifications/unsubscribe/<str:token>/": Row(
        "/notifications/unsubscribe/forged/", expect(400)
    ),
    "unsubscribe/<str:token>/": Row("/unsubscribe/forged/", expect(400)),
    "mailings/unsubscribe/<str:token>/": Row("/mailings/unsubscribe/forged/", expect(400)),
    "search/": Row("/search/?q=idea", EVERYONE),
    "code-of-conduct/": Row("/code-of-conduct/", EVERYONE),
    # Wagtail's front end: pages (through the audience policy, tests/audience) and the
    # password/login forms of Wagtail's own page privacy.
    "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/": Row(
        "/_util/authenticate_with_password/999999/999999/", NOBODY
    ),
    "_util/login/": Row("/_util/login/", EVERYONE),
    "^((?:[\\w\\-]+/)*)$": [
        Row("/", EVERYONE),
        Row(lambda w: w.campaign.url, EVERYONE),
        Row(lambda w: f"{w.campaign.url}ideas/{w.idea.pk}/", EVERYONE),
        # Reputation's campaign sub-routes: the leaderboard is public (through the campaign's
        # audience); marking a comment helpful is the product team's (and superusers').
        Row(lambda w: f"{w.campaign.url}leaderboard/", EVERYONE),
        Row(
            lambda w: f"{w.campaign.url}ideas/{w.idea.pk}/comments/{w.comment.pk}/helpful/",
            expect(302, members=403, product_team=302, superuser=302),
            method="post",
            data={"action": "mark"},
        ),
    ],
}

# Whole apps summarised by a prefix: every pattern under it is covered by these sample rows.
PREFIXES = {
    # Wagtail's admin: staff (the product team, editors) and superusers; each view then asks
    # Wagtail's permissions: pages and documents are the editors' (the team triages ideas),
    # editors see and edit members (segments), superusers everything.
    "admin/": [
        Row("/admin/", WAGTAIL_ADMIN),
        Row("/admin/pages/", expect(302, editor=200, superuser=200)),
        Row("/admin/documents/", expect(302, editor=200, superuser=200)),
        Row("/admin/users/", expect(302, editor=200, superuser=200)),
        # Suspensions: moderators (here the product team and superusers; the Moderators group
        # in tests/members/test_suspension_admin.py). Editors are sent back to the admin home.
        Row("/admin/suspended_members/", expect(302, product_team=200, superuser=200)),
        Row(
            lambda w: f"/admin/member_directory/{w.member.pk}/suspend/",
            expect(302, product_team=200, superuser=200),
        ),
        Row(
            lambda w: f"/admin/member_directory/{w.member.pk}/lift/",
            expect(302, product_team=200, superuser=200),
        ),
        Row(
            lambda w: f"/admin/member_directory/{w.member.pk}/suspend/",
            expect(302),
            method="post",
            data={"permanent": "on", "reason": "Spam"},
        ),
        # The moderation queue: moderators, the product team and superusers (the admin sends
        # everyone else away with a message).
        Row("/admin/moderation/", expect(302, product_team=200, editor=302, superuser=200)),
        Row(
            lambda w: f"/admin/moderation/cases/{w.decision().case_id}/history/",
            expect(302, product_team=200, editor=302, superuser=200),
        ),
        Row(
            "/admin/moderation/decide/",
            expect(302, product_team=302, editor=302, superuser=302),
            method="post",
        ),
        Row(
            "/admin/moderation/appeals/999999/",
            expect(302, product_team=404, editor=302, superuser=404),
            method="post",
        ),
        # The community dashboard: community managers (tests/insights), the product team and
        # superusers; Wagtail sends other staff back to the admin home.
        Row("/admin/insights/", INSIGHTS),
        Row("/admin/insights/export/members.csv", INSIGHTS),
        Row("/admin/insights/export/campaigns.xlsx", INSIGHTS),
    ],
    # The Django admin is a back door for superusers only (cocrea/urls.py).
    "django-admin/": [
        Row("/django-admin/", SUPERUSERS),
        Row("/django-admin/django_comments_xtd/xtdcomment/", SUPERUSERS),
        Row("/django-admin/auth/group/", SUPERUSERS),
    ],
}


def covering_rule(route):
    if route in ROUTES:
        return route
    return next((prefix for prefix in PREFIXES if route.startswith(prefix)), None)


def test_every_url_pattern_has_a_row():
    uncovered = [route for route in url_patterns() if covering_rule(route) is None]
    assert not uncovered, (
        "URL patterns without a row in the authorization matrix (add one, and to "
        f"docs/permissions.md): {uncovered}"
    )


def test_every_row_is_still_mounted():
    routes = set(url_patterns())
    stale = [route for route in ROUTES if route not in routes]
    stale += [p for p in PREFIXES if not any(route.startswith(p) for route in routes)]
    assert not stale, f"rows for URL patterns the site no longer mounts: {stale}"


def test_unused_comment_endpoints_are_not_mounted():
    """django-comments-xtd's API, reply, dislike, mute, confirm and moderation pages, and
    django-comments' posted page: Cocrea does not use them, so they are not there."""
    mounted = {route for route in url_patterns() if route.startswith("comments/")}
    assert mounted == {route for route in ROUTES if route.startswith("comments/")}


def root_collection():
    # Transactional tests elsewhere flush the root collection the migrations create.
    return Collection.get_first_root_node() or Collection.add_root(name="Root")


@dataclass
class World:
    users: dict
    member: object
    campaign: object
    idea: Idea
    comment: XtdComment
    notification: Notification
    document: object
    idea_type: int
    _decision: object = None

    def decision(self):
        """A moderator's decision on the member's comment (made once, on first use)."""
        if self._decision is None:
            from moderation.models import Decision, ModerationReason
            from moderation.services import case_decide, case_hold

            case = case_hold(item=self.comment, reason="new_member")
            self._decision = case_decide(
                case=case,
                action=Decision.Action.REJECT,
                actor=self.users["superuser"],
                reason=ModerationReason.objects.first(),
            )
        return self._decision


def roles_baseline():
    """The groups and permissions the migrations give (Wagtail's editors' page and document
    permissions among them): a transactional test elsewhere may have flushed them."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupCollectionPermission, GroupPagePermission, Page

    from tests.factories import grant_group_permissions

    ensure_baseline()
    for config in apps.get_app_configs():
        create_permissions(config, verbosity=0)
    import_module("members.migrations.0002_groups").create_groups(apps, None)
    grant_group_permissions()
    editors = Group.objects.get(name="Editors")
    root = Page.get_first_root_node()
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.get_or_create(
            group=editors, page=root, permission=Permission.objects.get(codename=codename)
        )
    for codename in ("add_document", "change_document", "choose_document"):
        GroupCollectionPermission.objects.get_or_create(
            group=editors,
            collection=root_collection(),
            permission=Permission.objects.get(
                codename=codename, content_type__app_label="wagtaildocs"
            ),
        )


@pytest.fixture
def world(db):
    roles_baseline()
    member = UserFactory()
    users = {
        "anonymous": None,
        "member": member,
        "other_member": UserFactory(),
        "product_team": team_member(),
        "editor": editor(),
        "superuser": UserFactory(is_staff=True, is_superuser=True),
    }
    campaign = make_campaign(title="Open campaign", slug="open-campaign")
    idea = IdeaFactory(campaign=campaign, author=member)
    idea.image.save("pixel.png", ContentFile(b"\x89PNG\r\n\x1a\n"), save=True)
    idea_type = ContentType.objects.get_for_model(Idea)
    comment = XtdComment.objects.create(
        content_type=idea_type,
        object_pk=str(idea.pk),
        site_id=1,
        user=member,
        user_name=member.username,
        comment="A comment",
    )
    event = Event.objects.filter(idea=idea).latest("pk")
    notification = Notification.objects.create(recipient=member, event=event, kind="comment")
    document = get_document_model().objects.create(
        collection=root_collection(),
        title="Price list",
        file=ContentFile(b"%PDF-1.4", name="price-list.pdf"),
    )
    return World(
        users, member, campaign, idea, comment, notification, document, idea_type=idea_type.pk
    )


def rows():
    for route, spec in [*ROUTES.items(), *PREFIXES.items()]:
        for n, row in enumerate(spec if isinstance(spec, list) else [spec]):
            yield pytest.param(row, id=f"{route}#{n}" if isinstance(spec, list) else route)


@pytest.mark.django_db
@pytest.mark.parametrize("row", list(rows()))
def test_authorization_matrix(world, row):
    got = {}
    for role in ROLES:
        client = Client()
        if world.users[role] is not None:
            client.force_login(world.users[role])
        url = row.url(world) if callable(row.url) else row.url
        got[role] = getattr(client, row.method)(url, row.data).status_code
    assert got == row.statuses
