"""Is any payload of the corpus live markup in an output? A parser walks the HTML the way a
browser would see tags and attributes; escaped text is fine, a tag or attribute is not."""

import re
from html.parser import HTMLParser

from .xss_corpus import EVALUATED, MARKER

URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "xlink:href",
    "poster",
    "background",
    "srcdoc",
    "srcset",
    "values",
    "to",
    "from",
}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:text/html", "data:image/svg")
RAW_TEXT = {"script", "style", "xmp", "noembed", "noframes", "iframe", "textarea", "title"}
# Elements that load or run what their URL says: one whose URL carries the marker was opened by
# a member (`<script src=//evil/XSS2.js>`).
LOADING_ELEMENTS = {
    "script",
    "img",
    "iframe",
    "frame",
    "object",
    "embed",
    "svg",
    "math",
    "video",
    "audio",
    "source",
    "base",
    "link",
}
_IGNORED = re.compile(r"[\x00-\x20]+")


def _scheme(value):
    return _IGNORED.sub("", value).lower()


class _Walker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self.raw = None
        self.opened = []  # payload elements opened and not yet closed

    def handle_starttag(self, tag, attrs):
        self._check(tag, attrs)
        if tag in RAW_TEXT:
            self.raw = tag

    def handle_startendtag(self, tag, attrs):
        self._check(tag, attrs)

    def handle_endtag(self, tag):
        if tag == self.raw:
            self.raw = None

    def handle_data(self, data):
        if self.raw in ("script", "style") and MARKER in data:
            self.problems.append(f"<{self.raw}> runs member text: {data[:80]!r}")

    def _check(self, tag, attrs):
        where = f"<{tag} {' '.join(f'{k}={v!r}' for k, v in attrs)[:160]}>"
        if MARKER.lower() in tag.lower():
            self.problems.append(f"a member opened the element {where}")
        for name, value in attrs:
            value = value or ""
            if MARKER.lower() in name.lower() or not re.fullmatch(r"[a-z][a-z0-9:_.-]*", name):
                self.problems.append(f"an attribute broke out: {name!r} in {where}")
            if name.startswith("on") and MARKER in value:
                self.problems.append(f"an event handler from member text: {where}")
            if name in URL_ATTRIBUTES and _scheme(value).startswith(DANGEROUS_SCHEMES):
                self.problems.append(f"a script URL: {where}")
            if name == "style" and MARKER in value and re.search(r"url\(|expression", value):
                self.problems.append(f"a style from member text: {where}")
            if tag in LOADING_ELEMENTS and MARKER in value and name in URL_ATTRIBUTES:
                self.problems.append(f"an element from member text: {where}")


def live_markup(html):
    """What of the corpus runs in `html`: a list of problems (empty when safe)."""
    walker = _Walker()
    walker.feed(html)
    walker.close()
    problems = list(walker.problems)
    if EVALUATED in html:
        problems.append("member text was evaluated as a template")
    return problems


def assert_safe(html, where=""):
    problems = live_markup(html)
    assert not problems, f"{where}: " + "\n".join(problems[:10])


def assert_reached(text, payloads, where="", share=1.0):
    """The corpus really went through this output (a check of nothing proves nothing): the
    marker of at least `share` of the payloads is there."""
    found = [p for p in payloads if re.search(marker_of(p) + r"(?!\d)", text)]
    assert len(found) >= share * len(payloads), (
        f"{where}: only {len(found)} of {len(payloads)} payloads reached the output"
    )


def marker_of(payload):
    match = re.search(MARKER + r"\d+", payload)
    return match[0] if match else MARKER
