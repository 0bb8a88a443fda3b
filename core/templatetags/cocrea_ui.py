"""Template helpers of the design system (templates/components/): initials avatars and form
field help text."""

import unicodedata
from functools import lru_cache, wraps

from django import template
from django.contrib.auth import password_validation
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, ngettext

from core.widgets import plain_widget

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


def memoised_component(template_name, maxsize=4096):
    """A template tag body for a component whose HTML depends only on its arguments and the
    active language (an avatar, a member's mark, a stage badge): the component's template is
    rendered once per distinct arguments and language, then its HTML is reused — a page of 200
    comments renders each avatar's template once per name, not 200 times. `build(*args)` returns
    the template's context; its arguments must be hashable values, never a model instance."""

    def decorator(build):
        @lru_cache(maxsize=maxsize)
        def rendered(language, *args):
            return mark_safe(render_to_string(template_name, build(*args)))  # noqa: S308 - a template's autoescaped output

        @wraps(build)
        def tag(*args):
            return rendered(get_language(), *args)

        tag.cache_clear = rendered.cache_clear
        return tag

    return decorator


@register.simple_tag(name="avatar")
@memoised_component("components/avatar.html")
def avatar(name, size=""):
    name = str(name or "")
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


@register.filter(name="plain_widget")
def plain_widget_filter(bound_field):
    """`{{ field }}` for the selects and text inputs of a filter form, written straight out
    instead of through Django's widget templates (core/widgets.py): the same HTML."""
    return plain_widget(bound_field)
