"""The privacy self-service: “Download my data” and “Delete my account”. This app sits above
every domain app because a member's data lives in all of them."""

import logging

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_comments_xtd.models import XtdComment
from rest_framework.authtoken.models import Token

from ideas.models import Follow, Idea
from members.models import ConsentRecord, ExternalIdentity, Suspension, User
from notifications.models import Notification, NotificationPreference
from reputation.models import MemberPoints, PointsEntry
from segments.audience import hidden_page_ids, visible_ideas
from segments.models import Segment
from segments.services import memberships_forget
from voting.models import Vote
from voting.services import votes_remove_all

log = logging.getLogger(__name__)


def _when(value):
    return value.isoformat() if value else None


def _idea_namer(member, idea_ids, own_ids):
    """Names an idea the member voted for, followed, commented on or heard about: by id and
    title while they may see it (the audience policy, judged now), by id alone once its
    campaign is restricted to others (docs/audience.md). Their own ideas are always named. One
    query."""
    visible = set(own_ids) | set(
        visible_ideas(Idea.objects.filter(pk__in=idea_ids), member).values_list("pk", flat=True)
    )

    def name(idea_id, title):
        if idea_id in visible:
            return {"id": idea_id, "title": title}
        return {"id": idea_id, "title": None, "hidden": True}

    return name


def member_data_export(*, member) -> dict:
    """Everything Cocrea holds about `member`, for “Download my data”. Only the member's own
    data: ideas they commented on or voted for appear by id and title, never with other
    members' names or addresses — and by id alone when the member may no longer see them.
    Their own ideas are always there in full (but the name of a campaign now hidden from
    them)."""
    ideas = list(
        Idea.objects.filter(author=member)
        .select_related("campaign", "category", "stage")
        .order_by("created_at", "pk")
    )
    comments = list(
        XtdComment.objects.filter(
            user=member, content_type__app_label="ideas", content_type__model="idea"
        ).order_by("submit_date", "pk")
    )
    idea_titles = dict(
        Idea.objects.filter(pk__in={int(c.object_pk) for c in comments}).values_list("pk", "title")
    )
    votes = Vote.objects.filter(member=member).select_related("idea").order_by("created_at")
    follows = Follow.objects.filter(member=member).select_related("idea").order_by("created_at")
    notifications = list(
        Notification.objects.filter(recipient=member).select_related("event__idea")
    )
    votes, follows = list(votes), list(follows)
    idea_name = _idea_namer(
        member,
        {int(c.object_pk) for c in comments}
        | {v.idea_id for v in votes}
        | {f.idea_id for f in follows}
        | {n.event.idea_id for n in notifications},
        {idea.pk for idea in ideas},
    )
    hidden_campaigns = hidden_page_ids(member)
    return {
        "exported_at": _when(timezone.now()),
        "profile": {
            "username": member.username,
            "display_name": member.display_name,
            "email": member.email,
            "first_name": member.first_name,
            "last_name": member.last_name,
            "language": member.language,
            "country": member.country.code or "",
            "tier": member.tier,
            "company": member.company,
            "external_id": member.external_id or "",
            "interests": list(member.interests.values_list("name", flat=True)),
            "date_joined": _when(member.date_joined),
            "last_login": _when(member.last_login),
            "code_of_conduct_accepted_at": _when(member.code_of_conduct_accepted_at),
            "marketing_consent_at": _when(member.marketing_consent_at),
            "email_addresses": [
                {"email": a.email, "verified": a.verified, "primary": a.primary}
                for a in EmailAddress.objects.filter(user=member).order_by("pk")
            ],
        },
        "ideas": [
            {
                "id": idea.pk,
                "title": idea.title,
                "description": idea.description,
                "campaign": None if idea.campaign_id in hidden_campaigns else idea.campaign.title,
                "category": idea.category.name if idea.category_id else None,
                "tags": sorted(idea.tags.names()),
                "created": _when(idea.created_at),
                "status": idea.status,
                "stage": idea.stage.name,
                "votes": idea.vote_count,
            }
            for idea in ideas
        ],
        "comments": [
            {
                "text": comment.comment,
                "idea": idea_name(int(comment.object_pk), idea_titles.get(int(comment.object_pk))),
                "date": _when(comment.submit_date),
                "reply": bool(comment.parent_id and comment.parent_id != comment.pk),
                "removed": comment.is_removed,
            }
            for comment in comments
        ],
        "votes": [
            {"idea": idea_name(v.idea_id, v.idea.title), "date": _when(v.created_at)} for v in votes
        ],
        "follows": [
            {"idea": idea_name(f.idea_id, f.idea.title), "since": _when(f.created_at)}
            for f in follows
        ],
        "notification_preferences": {
            p.kind: p.frequency for p in NotificationPreference.objects.filter(member=member)
        },
        "notifications": [
            {
                "kind": n.kind,
                "idea": idea_name(n.event.idea_id, n.event.idea.title),
                "created": _when(n.created_at),
                "read": _when(n.read_at),
            }
            for n in notifications
        ],
        "consents": [
            {"given": c.given, "source": c.source, "at": _when(c.at)}
            for c in ConsentRecord.objects.filter(member=member).order_by("at", "pk")
        ],
        # Their own suspensions (not who decided: that is the moderators' data).
        "suspensions": [
            {
                "from": _when(s.created_at),
                "until": _when(s.until) if s.until else "permanently",
                "reason": s.reason,
                "lifted": _when(s.lifted_at),
            }
            for s in Suspension.objects.filter(member=member).order_by("created_at", "pk")
        ],
        # Accounts elsewhere that sign them in here (docs/sign-in.md), with what the provider
        # sent about them.
        "linked_accounts": [
            {
                "provider": a.provider,
                "uid": a.uid,
                "data": a.extra_data,
                "linked": _when(a.date_joined),
            }
            for a in SocialAccount.objects.filter(user=member).order_by("pk")
        ]
        + [
            {"provider": i.issuer, "uid": i.subject, "linked": _when(i.created_at)}
            for i in ExternalIdentity.objects.filter(member=member).order_by("pk")
        ],
        "segments": list(
            Segment.objects.filter(memberships__member=member)
            .order_by("name")
            .values_list("name", flat=True)
        ),
        # The ledger says what each award was for, not which idea (that may be hidden now).
        "reputation": {
            "points": MemberPoints.objects.filter(member=member)
            .values_list("points", flat=True)
            .first()
            or 0,
            "level": member.reputation_level,
            "entries": [
                {"reason": e.reason, "points": e.points, "date": _when(e.created_at)}
                for e in PointsEntry.objects.filter(member=member).order_by("created_at", "pk")
            ],
        },
    }


class CannotDelete(Exception):
    pass


def _sessions_end(member):
    """Sign the member out everywhere (database sessions; with other engines the session points
    at a user that no longer exists, which Django treats as signed out)."""
    if settings.SESSION_ENGINE not in ("django.contrib.sessions.backends.db", "core.sessions"):
        return
    ended = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(member.pk):
            ended.append(session.pk)
    Session.objects.filter(pk__in=ended).delete()
    if settings.SESSION_ENGINE == "core.sessions":  # and their cached copies
        from core.sessions import SessionStore

        for key in ended:
            SessionStore(key).delete(key)


@transaction.atomic
def member_delete(*, member):
    """Delete a member's account for good (“Delete my account”).

    The User row is deleted, not anonymized: every foreign key to it either cascades (votes,
    follows, notifications and preferences, e-mail deliveries, consents, segment memberships,
    e-mail addresses, API tokens) or is SET_NULL (idea author, stage-change actor, assignee,
    comments), so nothing dangles and no personal field is left behind to forget. What others
    wrote in reply stays; the member's ideas and comments stay, shown as “Former member”:
    comments lose their user, name, e-mail, URL and IP address and keep their text. Votes are
    removed with the ideas' counts kept exact."""
    if member.is_superuser:
        raise CannotDelete(
            _("An administrator account cannot be deleted here: ask another administrator.")
        )
    User.objects.select_for_update().filter(pk=member.pk).values_list("pk").get()
    votes_remove_all(member=member)
    Idea.objects.filter(author=member).update(author=None)
    # update(), not save(): the comment signals would recount and notify for nothing.
    XtdComment.objects.filter(user=member).update(
        user=None, user_name="", user_email="", user_url="", ip_address=None, followup=False
    )
    Follow.objects.filter(member=member).delete()
    Notification.objects.filter(recipient=member).delete()
    NotificationPreference.objects.filter(member=member).delete()
    ConsentRecord.objects.filter(member=member).delete()
    EmailAddress.objects.filter(user=member).delete()
    Token.objects.filter(user=member).delete()
    memberships_forget(member=member)
    _sessions_end(member)
    member_id = member.pk
    member.delete()
    log.info("privacy: account %s deleted by its owner", member_id)
