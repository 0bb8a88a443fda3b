"""The oracle itself: every live payload is caught when it is not escaped, and escaping it
with Django makes it text."""

import pytest
from django.utils.html import escape

from .checks import live_markup
from .xss_corpus import BREAKOUTS, HANDLERS, SCRIPT, SVG_MATHML, URLS

# Not live on their own: bait for strip-based sanitizers (`<scr<script>ipt>`), an attribute
# left open to the end of the document, and mutation XSS that needs a browser's foreign-content
# parsing. Escaped, they are text like the rest (checked in the output tests).
NOT_LIVE_ALONE = {SCRIPT[2], HANDLERS[1], SVG_MATHML[4]}
LIVE = [p for p in SCRIPT + HANDLERS + URLS + SVG_MATHML if p not in NOT_LIVE_ALONE]


@pytest.mark.parametrize("payload", LIVE)
def test_a_payload_left_unescaped_in_text_is_caught(payload):
    assert live_markup(f"<p>{payload}</p>")
    assert not live_markup(f"<p>{escape(payload)}</p>")


@pytest.mark.parametrize("payload", BREAKOUTS)
def test_a_payload_left_unescaped_in_an_attribute_is_caught(payload):
    quoted = f"<input value=\"{payload}\"><a title='{payload}'>x</a>"
    assert live_markup(quoted)
    assert not live_markup(f"<input value=\"{escape(payload)}\"><a title='{escape(payload)}'>x</a>")
