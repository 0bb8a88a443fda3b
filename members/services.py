"""Writes about members: their profile and consent, and imports of their attributes. Views,
the admin and tasks all come through here."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries
from wagtail.log_actions import log

from core.exceptions import NotAllowed

from .imports import ImportReport, find_member, members_by_email, members_by_external_id
from .models import ConsentRecord, Suspension, User
from .permissions import can_moderate, can_suspend, refuse_if_suspended
from .signals import member_suspended, member_suspension_lifted, members_changed

# Audit log actions (registered in members/wagtail_hooks.py).
SUSPEND_ACTION = "cocrea.member.suspend"
LIFT_ACTION = "cocrea.member.suspension_lift"
REASON_MAX = 2000
# What others read of a member: a suspended member cannot change it (language, country and
# company are private settings and stay open).
PUBLISHED_PROFILE_FIELDS = ("display_name",)

IMPORT_ATTRIBUTES = ("country", "language", "tier", "company", "external_id", "marketing_consent")
IMPORT_COLUMNS = ("email", *IMPORT_ATTRIBUTES)
YES, NO = "yes", "no"


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
    published = [name for name in PUBLISHED_PROFILE_FIELDS if name in data]
    if published:
        # Compared with what is stored: a ModelForm has already set the new values on `member`.
        stored = User.objects.filter(pk=member.pk).values(*published).first() or {}
        if any(stored.get(name) != data[name] for name in published):
            refuse_if_suspended(member)
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
    members_changed.send(sender=User, member_ids={member.pk})
    return member


# Suspensions ----------------------------------------------------------------------------------


def _lock_member(member):
    return User.objects.select_for_update().filter(pk=member.pk).values_list("pk").get()


@transaction.atomic
def member_suspend(*, member, until, reason, actor) -> Suspension:
    """Suspend `member` until the moment `until` (an aware datetime in the future), or
    permanently with `until=None`, for `reason` (required, told to the member). A moderator
    cannot suspend staff, superusers or themselves. A suspension still open (in force or run
    out) is closed first, so the history keeps every one. Logged in the audit log; the member
    is told by e-mail (`member_suspended`)."""
    if not can_moderate(actor):
        raise NotAllowed(_("Only moderators can suspend members."))
    if not can_suspend(actor, member):
        raise NotAllowed(_("Staff members, superusers and yourself cannot be suspended here."))
    reason = (reason or "").strip()
    if not reason:
        raise NotAllowed(_("Say why: the member reads the reason."))
    if len(reason) > REASON_MAX:
        raise NotAllowed(_("A reason can be at most %(n)d characters.") % {"n": REASON_MAX})
    now = timezone.now()
    if until is not None and until <= now:
        raise NotAllowed(_("A suspension must end in the future (or be permanent)."))
    _lock_member(member)
    Suspension.objects.filter(member=member, lifted_at__isnull=True).update(
        lifted_at=now, lifted_by=actor, lift_note=_("Replaced by a new suspension.")
    )
    suspension = Suspension.objects.create(
        member=member, until=until, reason=reason, created_by=actor, created_at=now
    )
    log(
        member,
        SUSPEND_ACTION,
        user=actor,
        data={
            "suspension": suspension.pk,
            "until": until.isoformat() if until else None,
            "reason": reason,
        },
    )
    member_suspended.send(sender=Suspension, suspension=suspension)
    return suspension


@transaction.atomic
def member_suspension_lift(*, member, actor, note="") -> Suspension:
    """End the member's suspension now (logged; the member is told by e-mail)."""
    if not can_moderate(actor):
        raise NotAllowed(_("Only moderators can lift suspensions."))
    _lock_member(member)
    now = timezone.now()
    suspension = Suspension.objects.in_force(now).filter(member=member).first()
    if suspension is None:
        raise NotAllowed(_("This member is not suspended."))
    note = (note or "").strip()[:REASON_MAX]
    suspension.lifted_at, suspension.lifted_by, suspension.lift_note = now, actor, note
    suspension.save(update_fields=["lifted_at", "lifted_by", "lift_note"])
    log(member, LIFT_ACTION, user=actor, data={"suspension": suspension.pk, "note": note})
    member_suspension_lifted.send(sender=Suspension, suspension=suspension)
    return suspension


# Imports ---------------------------------------------------------------------------------------


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
        member = find_member(report, line, email, external_id, by_email, by_external_id)
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
    if changed_ids:
        members_changed.send(sender=User, member_ids=changed_ids)
    return report
