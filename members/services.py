"""Writes about members: their profile and consent, imports, segment refreshes, and the privacy
self-service (data export, account deletion). Views, the admin and tasks all come through here."""

import logging
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from .models import ConsentRecord, Segment, SegmentMembership, User

log = logging.getLogger(__name__)

# Above this many changed members an import refreshes every segment once instead of queueing
# one task per member.
MEMBER_REFRESH_BATCH = 200
LOOKUP_CHUNK = 500


# Queueing segment refreshes -------------------------------------------------------------------


def _send(task_name, args):
    """Ask a worker to run the task. Never fails the caller: the nightly refresh
    (`segments_refresh_all`) is the safety net when Redis or the worker is down."""
    from . import tasks

    _pending_list, queued = getattr(transaction.get_connection(), "_cocrea_queued", (None, set()))
    queued.discard((task_name, args))
    try:
        getattr(tasks, task_name).apply_async(args=list(args), retry=False)
    except Exception:
        log.exception("segments: %s%r left for the nightly refresh", task_name, args)


def _queue(task_name, *args):
    """Queue `task_name(*args)` after commit, once per transaction: a profile save touches
    several fields and relations, each of which asks for the same refresh."""
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        # Django replaces `run_on_commit` with a new list whenever callbacks are dropped (a
        # rollback) or run (a commit), so "same list" means "still pending".
        pending_list, queued = getattr(connection, "_cocrea_queued", (None, set()))
        if pending_list is not connection.run_on_commit:
            queued = set()
            connection._cocrea_queued = (connection.run_on_commit, queued)
        if (task_name, args) in queued:
            return
        queued.add((task_name, args))
    transaction.on_commit(partial(_send, task_name, args))


def member_refresh_queue(member_id):
    _queue("member_refresh_task", member_id)


def segment_refresh_queue(segment_id):
    _queue("segment_refresh_task", segment_id)


def segments_refresh_all_queue():
    _queue("segments_refresh_all")


# Profile and consent --------------------------------------------------------------------------

PROFILE_FIELDS = ("display_name", "language", "country", "company")


@transaction.atomic
def marketing_consent_set(*, member, given, source) -> bool:
    """Give or withdraw marketing consent, with a ConsentRecord of the change. Returns whether
    anything changed (asking for what is already the case records nothing)."""
    current = (
        User.objects.select_for_update()
        .filter(pk=member.pk)
        .values_list("marketing_consent_at", flat=True)
        .get()
    )
    if (current is not None) == bool(given):
        member.marketing_consent_at = current
        return False
    now = timezone.now()
    value = now if given else None
    User.objects.filter(pk=member.pk).update(marketing_consent_at=value)
    member.marketing_consent_at = value
    ConsentRecord.objects.create(member=member, given=bool(given), source=source, at=now)
    return True


@transaction.atomic
def member_profile_update(*, member, data, interests=None, marketing_consent=None) -> User:
    """A member edits their own profile. `data` holds PROFILE_FIELDS (the tier and external id
    are the brand's, not the member's); `interests` replaces the member's interests when given;
    `marketing_consent` True/False gives or withdraws consent (None: unchanged)."""
    changed = [name for name in PROFILE_FIELDS if name in data]
    for name in changed:
        setattr(member, name, data[name])
    if changed:
        member.save(update_fields=changed)
    if interests is not None:
        member.interests.set(interests)
    if marketing_consent is not None:
        marketing_consent_set(
            member=member, given=marketing_consent, source=ConsentRecord.Source.PROFILE
        )
    member_refresh_queue(member.pk)
    return member


# Imports --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportProblem:
    line: int
    value: str
    reason: str


@dataclass
class ImportReport:
    rows: int = 0
    matched: int = 0
    changed: int = 0
    consents: int = 0
    problems: list = field(default_factory=list)

    def problem(self, line, value, reason):
        self.problems.append(ImportProblem(line, value, reason))


IMPORT_KEYS = ("email", "external_id")
IMPORT_ATTRIBUTES = ("country", "language", "tier", "company", "external_id", "marketing_consent")
IMPORT_COLUMNS = ("email", *IMPORT_ATTRIBUTES)
YES, NO = "yes", "no"


def _chunks(values, size=LOOKUP_CHUNK):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def members_by_email(emails):
    """{lower-cased e-mail: [member, …]} for the given e-mails, in a few queries."""
    found = {}
    for chunk in _chunks({e.lower() for e in emails if e}):
        for member in User.objects.annotate(email_lower=Lower("email")).filter(
            email_lower__in=chunk
        ):
            found.setdefault(member.email_lower, []).append(member)
    return found


def members_by_external_id(external_ids):
    found = {}
    for chunk in _chunks({e for e in external_ids if e}):
        for member in User.objects.filter(external_id__in=chunk):
            found[member.external_id] = member
    return found


def _find_member(report, line, email, external_id, by_email, by_external_id):
    """The member a row is about (by e-mail first, else by external id), or None after
    reporting why not."""
    if email:
        matches = by_email.get(email.lower(), [])
        if len(matches) > 1:
            report.problem(line, email, _("Several members have this e-mail address."))
            return None
        if not matches:
            report.problem(line, email, _("No member has this e-mail address."))
            return None
        return matches[0]
    if external_id:
        member = by_external_id.get(external_id)
        if member is None:
            report.problem(line, external_id, _("No member has this external customer id."))
        return member
    report.problem(line, "", _("The row has neither an e-mail address nor an external id."))
    return None


def _tier_value(raw):
    wanted = raw.strip().lower()
    for value, label in settings.MEMBER_TIERS:
        if wanted in (value.lower(), str(label).lower()):
            return value
    return None


def _attribute_changes(report, line, member, row, external_ids_taken):
    """The attribute updates one row asks for, or None after reporting what is wrong. An empty
    cell leaves the attribute as it is."""
    changes, ok = {}, True
    country = row.get("country", "").strip()
    if country:
        code = countries.alpha2(country) or countries.by_name(country)
        if not code:
            report.problem(line, country, _("Unknown country: use a two-letter ISO code (ES)."))
            ok = False
        else:
            changes["country"] = code
    language = row.get("language", "").strip().lower()
    if language:
        if language not in dict(settings.LANGUAGES):
            allowed = ", ".join(code for code, _name in settings.LANGUAGES)
            report.problem(
                line, language, _("Unknown language: use one of %(codes)s.") % {"codes": allowed}
            )
            ok = False
        else:
            changes["language"] = language
    tier = row.get("tier", "").strip()
    if tier:
        value = _tier_value(tier)
        if value is None:
            allowed = ", ".join(str(label) for _value, label in settings.MEMBER_TIERS)
            report.problem(
                line, tier, _("Unknown tier: use one of %(tiers)s.") % {"tiers": allowed}
            )
            ok = False
        else:
            changes["tier"] = value
    company = row.get("company", "").strip()
    if company:
        if len(company) > User._meta.get_field("company").max_length:
            report.problem(line, company[:40], _("The company name is too long."))
            ok = False
        else:
            changes["company"] = company
    external_id = row.get("external_id", "").strip()
    if external_id and external_id != member.external_id:
        owner = external_ids_taken.get(external_id)
        if len(external_id) > User._meta.get_field("external_id").max_length:
            report.problem(line, external_id[:40], _("The external id is too long."))
            ok = False
        elif owner is not None and owner != member.pk:
            report.problem(
                line, external_id, _("This external id already belongs to another member.")
            )
            ok = False
        else:
            changes["external_id"] = external_id
    consent = row.get("marketing_consent", "").strip().lower()
    if consent and consent not in (YES, NO):
        report.problem(line, consent, _("marketing_consent must be “yes”, “no” or left empty."))
        ok = False
    return (changes, consent) if ok else None


@transaction.atomic
def member_attributes_import(*, rows) -> ImportReport:
    """Update member attributes from CSV rows: `rows` are (line number, {column: value}) with
    the columns of IMPORT_COLUMNS. A row is matched by e-mail, or else by external id; a row with
    any problem changes nothing and is reported. Marketing consent is only ever given by an
    explicit `marketing_consent` = yes (recorded with source “import”); “no” withdraws it."""
    rows = list(rows)
    report = ImportReport(rows=len(rows))
    by_email = members_by_email(r.get("email", "").strip() for _line, r in rows)
    by_external_id = members_by_external_id(
        r.get("external_id", "").strip() for _line, r in rows if not r.get("email", "").strip()
    )
    taken = {
        external_id: member.pk
        for external_id, member in members_by_external_id(
            r.get("external_id", "").strip() for _line, r in rows
        ).items()
    }
    changed_ids = set()
    for line, row in rows:
        email, external_id = row.get("email", "").strip(), row.get("external_id", "").strip()
        member = _find_member(report, line, email, external_id, by_email, by_external_id)
        if member is None:
            continue
        report.matched += 1
        result = _attribute_changes(report, line, member, row, taken)
        if result is None:
            continue
        changes, consent = result
        changes = {k: v for k, v in changes.items() if getattr(member, k) != v}
        if changes:
            # update(): one refresh for the whole import below, not one per row.
            User.objects.filter(pk=member.pk).update(**changes)
            for name, value in changes.items():
                setattr(member, name, value)
            if "external_id" in changes:
                taken[changes["external_id"]] = member.pk
            changed_ids.add(member.pk)
        if consent and marketing_consent_set(
            member=member, given=consent == YES, source=ConsentRecord.Source.IMPORT
        ):
            report.consents += 1
            changed_ids.add(member.pk)
    report.changed = len(changed_ids)
    if len(changed_ids) > MEMBER_REFRESH_BATCH:
        segments_refresh_all_queue()
    else:
        for member_id in sorted(changed_ids):
            member_refresh_queue(member_id)
    return report


@transaction.atomic
def segment_include_import(*, segment, rows) -> ImportReport:
    """Add members to a segment's hand-picked “always include” list. `rows` are
    (line number, kind, value) with kind "email" or "external_id". Members the segment excludes
    by hand stay out and are reported, as are values that match no (active) member."""
    rows = list(rows)
    report = ImportReport(rows=len(rows))
    by_email = members_by_email(v for _line, kind, v in rows if kind == "email")
    by_external_id = members_by_external_id(v for _line, kind, v in rows if kind == "external_id")
    excluded = set(segment.exclude.values_list("pk", flat=True))
    already = set(segment.include.values_list("pk", flat=True))
    to_add = set()
    for line, kind, value in rows:
        if kind == "email":
            member = _find_member(report, line, value, "", by_email, {})
        else:
            member = _find_member(report, line, "", value, {}, by_external_id)
        if member is None:
            continue
        if not member.is_active:
            report.problem(line, value, _("This member's account is deactivated."))
            continue
        if member.pk in excluded:
            report.problem(line, value, _("This member is in the segment's “always exclude” list."))
            continue
        report.matched += 1
        if member.pk not in already:
            to_add.add(member.pk)
    if to_add:
        segment.include.add(*to_add)
    report.changed = len(to_add)
    segment_refresh_queue(segment.pk)
    return report


# Privacy self-service -------------------------------------------------------------------------


def _when(value):
    return value.isoformat() if value else None


def member_data_export(*, member) -> dict:
    """Everything Cocrea holds about `member`, for “Download my data”. Only the member's own
    data: ideas they commented on or voted for appear by id and title, never with other
    members' names or addresses."""
    from allauth.account.models import EmailAddress
    from django_comments_xtd.models import XtdComment

    from ideas.models import Idea
    from voting.models import Vote

    from .models import Follow, Notification, NotificationPreference

    ideas = (
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
    notifications = Notification.objects.filter(recipient=member).select_related("event__idea")
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
                "campaign": idea.campaign.title,
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
                "idea": {
                    "id": int(comment.object_pk),
                    "title": idea_titles.get(int(comment.object_pk)),
                },
                "date": _when(comment.submit_date),
                "reply": bool(comment.parent_id and comment.parent_id != comment.pk),
                "removed": comment.is_removed,
            }
            for comment in comments
        ],
        "votes": [
            {"idea": {"id": v.idea_id, "title": v.idea.title}, "date": _when(v.created_at)}
            for v in votes
        ],
        "follows": [
            {"idea": {"id": f.idea_id, "title": f.idea.title}, "since": _when(f.created_at)}
            for f in follows
        ],
        "notification_preferences": {
            p.kind: p.frequency for p in NotificationPreference.objects.filter(member=member)
        },
        "notifications": [
            {
                "kind": n.kind,
                "idea": {"id": n.event.idea_id, "title": n.event.idea.title},
                "created": _when(n.created_at),
                "read": _when(n.read_at),
            }
            for n in notifications
        ],
        "consents": [
            {"given": c.given, "source": c.source, "at": _when(c.at)}
            for c in ConsentRecord.objects.filter(member=member).order_by("at", "pk")
        ],
        "segments": list(
            Segment.objects.filter(memberships__member=member)
            .order_by("name")
            .values_list("name", flat=True)
        ),
    }


class CannotDelete(Exception):
    pass


def _votes_remove(member):
    """Remove the member's votes keeping every idea's count exact: the ideas' rows are locked
    (in id order, so two deletions cannot deadlock), the votes deleted and each count moved by
    exactly the votes removed, as `voting.services.vote_withdraw` does one vote at a time."""
    from ideas.models import Idea, trending_score
    from voting.models import Vote

    idea_ids = sorted(set(Vote.objects.filter(member=member).values_list("idea_id", flat=True)))
    for chunk in _chunks(idea_ids):
        list(Idea.objects.select_for_update().filter(pk__in=chunk).order_by("pk").values("pk"))
        # At most one vote per member and idea (a unique constraint): each count moves by 1.
        voted = list(
            Vote.objects.filter(member=member, idea_id__in=chunk).values_list("idea_id", flat=True)
        )
        Vote.objects.filter(member=member, idea_id__in=chunk).delete()
        Idea.objects.filter(pk__in=voted).update(vote_count=F("vote_count") - 1)
        ideas = list(Idea.objects.filter(pk__in=chunk).only("pk", "vote_count", "created_at"))
        for idea in ideas:
            idea.trending = trending_score(idea.vote_count, idea.created_at)
        Idea.objects.bulk_update(ideas, ["trending"])
    return len(idea_ids)


def _sessions_end(member):
    """Sign the member out everywhere (database sessions; with other engines the session points
    at a user that no longer exists, which Django treats as signed out)."""
    if settings.SESSION_ENGINE != "django.contrib.sessions.backends.db":
        return
    from django.contrib.sessions.models import Session

    ended = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(member.pk):
            ended.append(session.pk)
    Session.objects.filter(pk__in=ended).delete()


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
    from allauth.account.models import EmailAddress
    from django_comments_xtd.models import XtdComment
    from rest_framework.authtoken.models import Token

    from ideas.models import Idea

    from .models import Follow, Notification, NotificationPreference

    if member.is_superuser:
        raise CannotDelete(
            _("An administrator account cannot be deleted here: ask another administrator.")
        )
    User.objects.select_for_update().filter(pk=member.pk).values_list("pk").get()
    _votes_remove(member)
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
    segment_ids = set(
        SegmentMembership.objects.filter(member=member).values_list("segment_id", flat=True)
    )
    SegmentMembership.objects.filter(member=member).delete()
    _sessions_end(member)
    member_id = member.pk
    member.delete()
    for segment_id in segment_ids:
        Segment.objects.filter(pk=segment_id).update(
            member_count=SegmentMembership.objects.filter(segment_id=segment_id).count()
        )
    if segment_ids:
        from .segments import audience_changed

        transaction.on_commit(audience_changed)
    log.info("members: account %s deleted by its owner", member_id)
