"""A honeypot for the public forms that write (sign-up, idea submit and edit, comments): a text
field people never see (hidden from sight and from screen readers, out of the tab order) that
bots, filling every input, fill. A filled honeypot is refused quietly: nothing is stored and the
bot is sent on as if it had worked, so it learns nothing.

No maintained library fits our Python and every form here (django-honeypot needs a newer
Python): this is the whole mechanism. The comment form keeps django-comments' own `honeypot`
field, checked the same way by `ideas.discussion` before the library sees it."""

from functools import wraps

from django import forms
from django.shortcuts import redirect, resolve_url
from django.utils.html import format_html
from django.utils.translation import gettext as _

FIELD = "website"


class HoneypotWidget(forms.TextInput):
    """Renders its own hidden wrapper and label (forms that render `as_p` need no template)."""

    def render(self, name, value, attrs=None, renderer=None):
        input_id = (attrs or {}).get("id") or f"id_{name}"
        return format_html(
            '<span class="visually-hidden" aria-hidden="true"><label for="{}">{}</label>'
            '<input type="text" name="{}" id="{}" value="" tabindex="-1" autocomplete="off">'
            "</span>",
            input_id,
            _("Leave this field empty"),
            name,
            input_id,
        )


class HoneypotField(forms.CharField):
    """Add as `website = HoneypotField()`; the view refuses a filled one (`honeypot_protected`)."""

    widget = HoneypotWidget

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", "")
        super().__init__(**kwargs)


def tripped(request, field=FIELD) -> bool:
    """Whether a POST filled the honeypot."""
    return request.method == "POST" and bool(request.POST.get(field, "").strip())


def honeypot_protected(view=None, *, field=FIELD, redirect_to=None):
    """A view decorator: a POST with the honeypot filled is answered with a redirect (to
    `redirect_to`, a URL name or path, or the same page) and the view never runs."""

    def decorate(view_func):
        @wraps(view_func)
        def wrapped(request, *args, **kwargs):
            if tripped(request, field):
                return redirect(resolve_url(redirect_to) if redirect_to else request.path)
            return view_func(request, *args, **kwargs)

        return wrapped

    return decorate(view) if view is not None else decorate
