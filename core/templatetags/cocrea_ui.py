"""Template helpers of the design system (templates/components/): initials avatars and form
field help text."""

import unicodedata

from django import template
from django.contrib.auth import password_validation
from django.utils.translation import gettext, ngettext

register = template.Library()

AVATAR_COLOURS = 8  # .avatar--0 … .avatar--7 in static/css/cocrea.css


def initials(name: str) -> str:
    """Up to two letters: the first of the first and last words ("Ana María López" → "AL")."""
    words = str(name or "").replace("_", " ").replace(".", " ").split()
    # Words that start with a letter ("Demo member 17" → "DM"), else any ("42" → "42").
    words = [w for w in words if w[:1].isalpha()] or [w for w in words if w[:1].isalnum()]
    if not words:
        return "?"
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else words[0][1:2])
    return letters.upper()


def avatar_colour(name: str) -> int:
    """A stable colour per name (Python's hash() changes between processes)."""
    text = unicodedata.normalize("NFC", str(name or ""))
    return sum(ord(c) for c in text) % AVATAR_COLOURS


@register.inclusion_tag("components/avatar.html")
def avatar(name, size=""):
    return {"initials": initials(name), "colour": avatar_colour(name), "size": size}


def password_rules() -> str:
    """Django's password validators as one sentence of help text, instead of the bullet list
    `password_validators_help_text_html` makes; a validator it does not know is appended as is."""
    rules, others = [], []
    for validator in password_validation.get_default_password_validators():
        name = type(validator).__name__
        if name == "MinimumLengthValidator":
            n = validator.min_length
            rules.insert(
                0, ngettext("at least %(n)d character", "at least %(n)d characters", n) % {"n": n}
            )
        elif name == "NumericPasswordValidator":
            rules.append(gettext("not only digits"))
        elif name == "CommonPasswordValidator":
            rules.append(gettext("not a common password"))
        elif name == "UserAttributeSimilarityValidator":
            rules.append(gettext("not too close to your username or e-mail"))
        else:
            others.append(str(validator.get_help_text()))
    sentence = gettext("Use %(rules)s.") % {"rules": ", ".join(rules)} if rules else ""
    return " ".join([sentence, *others]).strip()


@register.filter
def field_help(bound_field):
    """The help text to show under a field: the password rules in a sentence."""
    help_text = bound_field.help_text
    if (
        help_text
        and "<ul" in str(help_text)
        and str(help_text) == str(password_validation.password_validators_help_text_html())
    ):
        return password_rules()
    return help_text


@register.filter
def is_checkbox(bound_field):
    return getattr(bound_field.field.widget, "input_type", "") == "checkbox"
