"""The identify link: a brand's own app sends its signed-in customers to Cocrea already signed in
(docs/sign-in.md).

The app mints a short-lived JWT (HS256, shared `IDENTIFY_SECRET`) with the customer's id in the
app (`sub`), their e-mail address (`email`) and name (`name`), a unique id (`jti`) and an expiry
(`exp`), and links to ``/sso/identify/?token=<JWT>&next=/campaigns/…``. Each token signs in once:
its `jti` is stored until it would have expired anyway, behind a unique constraint.

The member is found by the external id first (`ExternalIdentity`, per issuer), then — only with
IDENTIFY_TRUST_EMAIL — by an address they verified here; otherwise a member is created. Being
suspended does not stop a member from signing in (they read, they cannot post:
members.permissions); a deactivated account is refused.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ExternalIdentity, UsedIdentifyToken, User

ALGORITHM = "HS256"
DEFAULT_ISSUER = "identify"
REQUIRED_CLAIMS = ("sub", "email", "exp", "jti")
CLAIM_MAX_LENGTH = 255


class IdentifyRefused(Exception):
    """The link does not sign anyone in: `message` is for the person who followed it, `status`
    the HTTP status of the page that says so."""

    def __init__(self, message, status=403):
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class Customer:
    """What a valid token says about the brand's customer."""

    issuer: str
    subject: str
    email: str
    name: str
    jti: str
    expires_at: datetime


def enabled() -> bool:
    return bool(settings.IDENTIFY_SECRET)


def issuer() -> str:
    return settings.IDENTIFY_ISSUER or DEFAULT_ISSUER


def _leeway():
    return max(0, int(settings.IDENTIFY_LEEWAY_SECONDS))


def _missing(claim):
    return IdentifyRefused(
        _("This sign-in link is incomplete (it has no “%(claim)s”). Ask the app that sent you.")
        % {"claim": claim},
        status=400,
    )


def _text_claim(claims, name, *, required=True):
    value = claims.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise _missing(name)
        return ""
    if not isinstance(value, str) or len(value) > CLAIM_MAX_LENGTH:
        raise IdentifyRefused(
            _("This sign-in link is not valid (its “%(claim)s” is not readable).")
            % {"claim": name},
            status=400,
        )
    return value.strip()


def token_read(token, *, now=None) -> Customer:
    """The customer a token identifies, or `IdentifyRefused` saying what is wrong with it."""
    import jwt  # PyJWT and cryptography (~10 MB): loaded by the first identify link only

    if not token:
        raise IdentifyRefused(_("This sign-in link has no token."), status=400)
    now = now or timezone.now()
    expected_issuer = settings.IDENTIFY_ISSUER
    required = [*REQUIRED_CLAIMS, *(["iss"] if expected_issuer else [])]
    try:
        claims = jwt.decode(
            token,
            settings.IDENTIFY_SECRET,
            algorithms=[ALGORITHM],
            issuer=expected_issuer or None,
            leeway=_leeway(),
            options={"require": required, "verify_aud": False, "verify_sub": False},
        )
    except jwt.ExpiredSignatureError:
        raise IdentifyRefused(
            _("This sign-in link has expired. Go back to the app and open the link again.")
        ) from None
    except (jwt.InvalidSignatureError, jwt.InvalidAlgorithmError):
        raise IdentifyRefused(
            _("This sign-in link is not valid: its signature does not match.")
        ) from None
    except jwt.MissingRequiredClaimError as missing:
        raise _missing(missing.claim) from None
    except jwt.InvalidIssuerError:
        raise IdentifyRefused(
            _("This sign-in link was issued by someone we do not know.")
        ) from None
    except jwt.ImmatureSignatureError:
        raise IdentifyRefused(
            _("This sign-in link is not valid yet. Check the clock of the app that sent you.")
        ) from None
    except jwt.InvalidTokenError:
        raise IdentifyRefused(
            _("This sign-in link is damaged or incomplete."), status=400
        ) from None

    subject = _text_claim(claims, "sub")
    jti = _text_claim(claims, "jti")
    email = _text_claim(claims, "email")
    try:
        validate_email(email)
    except ValidationError:
        raise IdentifyRefused(
            _("This sign-in link is not valid (its e-mail address is not one)."), status=400
        ) from None
    name = _text_claim(claims, "name", required=False)

    expires_at = datetime.fromtimestamp(int(claims["exp"]), tz=UTC)
    longest = timedelta(seconds=settings.IDENTIFY_MAX_AGE_SECONDS + _leeway())
    issued_at = claims.get("iat")
    lifetime = expires_at - (
        datetime.fromtimestamp(int(issued_at), tz=UTC) if issued_at is not None else now
    )
    if expires_at - now > longest or lifetime > longest:
        raise IdentifyRefused(
            _("This sign-in link lives too long: links must expire within %(n)d minutes.")
            % {"n": max(1, settings.IDENTIFY_MAX_AGE_SECONDS // 60)},
            status=400,
        )
    local, _at, domain = email.rpartition("@")
    return Customer(
        issuer=issuer(),
        subject=subject,
        email=f"{local}@{domain.lower()}",
        name=" ".join(name.split())[: User._meta.get_field("display_name").max_length],
        jti=jti,
        expires_at=expires_at,
    )


def token_use(*, customer, now=None):
    """Record the token's `jti` as used, in its own transaction (a link refused further on is
    spent too); `IdentifyRefused` if it was used before. Also forgets the used tokens that
    have expired: they are refused as expired anyway."""
    now = now or timezone.now()
    leeway = timedelta(seconds=_leeway())
    try:
        with transaction.atomic():
            UsedIdentifyToken.objects.filter(expires_at__lt=now - leeway).delete()
            UsedIdentifyToken.objects.create(
                issuer=customer.issuer,
                jti=customer.jti,
                expires_at=customer.expires_at + leeway,
                used_at=now,
            )
    except IntegrityError:
        raise IdentifyRefused(
            _("This sign-in link was already used. Go back to the app and open the link again.")
        ) from None


def _member_create(customer, language):
    if (
        EmailAddress.objects.filter(email__iexact=customer.email).exists()
        or User.objects.filter(email__iexact=customer.email).exists()
    ):
        raise IdentifyRefused(
            _(
                "A member already uses the e-mail address %(email)s. Sign in with it once "
                "the usual way; ask the site's team to link your accounts."
            )
            % {"email": customer.email},
            status=409,
        )
    local = customer.email.partition("@")[0]
    username = get_adapter().generate_unique_username([customer.name, local, "member"])
    member = User(
        username=username,
        email=customer.email,
        display_name=customer.name,
        language=language if language in dict(settings.LANGUAGES) else "",
    )
    member.set_unusable_password()
    member.save()
    EmailAddress.objects.create(
        user=member, email=customer.email, primary=True, verified=settings.IDENTIFY_TRUST_EMAIL
    )
    return member


def _member_find(customer):
    identity = (
        ExternalIdentity.objects.select_related("member")
        .filter(issuer=customer.issuer, subject=customer.subject)
        .first()
    )
    if identity is not None:
        return identity.member, identity
    if settings.IDENTIFY_TRUST_EMAIL:
        address = (
            EmailAddress.objects.select_related("user")
            .filter(email__iexact=customer.email, verified=True)
            .first()
        )
        if address is not None:
            return address.user, None
    return None, None


def member_identify(*, customer, language="", now=None) -> User:
    """The member a valid, unused token signs in: found by external id, then (when the brand's
    addresses are trusted) by verified e-mail, else created. Spends the token first."""
    now = now or timezone.now()
    token_use(customer=customer, now=now)
    with transaction.atomic():
        member, identity = _member_find(customer)
        if member is None:
            member = _member_create(customer, language)
        if identity is None:
            try:
                with transaction.atomic():
                    identity = ExternalIdentity.objects.create(
                        member=member,
                        issuer=customer.issuer,
                        subject=customer.subject,
                        created_at=now,
                        last_used_at=now,
                    )
            except IntegrityError:
                # Another link for the same new customer won a moment ago (this member, created
                # in this transaction, is rolled back with it).
                raise IdentifyRefused(
                    _("You are being signed in already. Go back to the app and try again."),
                    status=409,
                ) from None
        else:
            ExternalIdentity.objects.filter(pk=identity.pk).update(last_used_at=now)
        if not member.is_active:
            raise IdentifyRefused(_("This account is closed."))
        if not member.display_name and customer.name:
            member.display_name = customer.name
            member.save(update_fields=["display_name"])
    return member
