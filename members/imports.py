"""Finding members by e-mail or external id, for CSV imports (member attributes here, the
“always include” list of a segment in segments), and the report an import gives back."""

from dataclasses import dataclass, field

from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from .models import User

LOOKUP_CHUNK = 500


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


def chunks(values, size=LOOKUP_CHUNK):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def members_by_email(emails):
    """{lower-cased e-mail: [member, …]} for the given e-mails, in a few queries."""
    found = {}
    for chunk in chunks({e.lower() for e in emails if e}):
        for member in User.objects.annotate(email_lower=Lower("email")).filter(
            email_lower__in=chunk
        ):
            found.setdefault(member.email_lower, []).append(member)
    return found


def members_by_external_id(external_ids):
    found = {}
    for chunk in chunks({e for e in external_ids if e}):
        for member in User.objects.filter(external_id__in=chunk):
            found[member.external_id] = member
    return found


def find_member(report, line, email, external_id, by_email, by_external_id):
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
