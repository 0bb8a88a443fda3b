"""The e-mail of a campaign: HTML and text parts rendered from the article, in the member's
language, with a one-click unsubscribe link and headers."""

import html
import re
from functools import lru_cache

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from cms.models import ArticlePage
from core.emails import build_email
from core.links import absolute, site_url
from core.unsubscribe import url_for

UNSUBSCRIBE_TOPIC = "marketing"
LANGUAGES = {code for code, _name in settings.LANGUAGES}


def language_of(member):
    return member.language if member.language in LANGUAGES else settings.LANGUAGE_CODE


def unsubscribe_url(member):
    return url_for(member, UNSUBSCRIBE_TOPIC, language_of(member))


_RELATIVE = re.compile(r'(\s(?:href|src|srcset)=")(/[^/"][^"]*|/)"')


def absolutize(markup):
    """Root-relative links and images (rich text, renditions) → absolute URLs."""
    base = site_url()
    return _RELATIVE.sub(lambda m: f'{m.group(1)}{base}{m.group(2)}"', markup)


def article_path(article):
    """The article's path without a language prefix (`absolute` adds the member's)."""
    with translation.override(settings.LANGUAGE_CODE):
        parts = article.get_url_parts()
    return parts[2] if parts else "/"


@lru_cache(maxsize=32)
def _body_parts(article_pk, version, language):
    article = ArticlePage.objects.get(pk=article_pk)
    with translation.override(language):
        # No request and no viewer in the context: a block that varies by viewer renders what
        # anonymous visitors get, so an e-mail never carries more than the article's audience
        # rule allows.
        markup = absolutize(str(article.body.render_as_block({"page": article, "for_email": True})))
    return markup, html_to_text(markup)


def body_parts(article):
    """The article's StreamField as (HTML, text), through the site's block templates (cached
    per published version and language within a worker)."""
    version = (article.latest_revision_id, str(article.last_published_at))
    return _body_parts(article.pk, version, translation.get_language())


_BREAKS = re.compile(r"<br\s*/?>|</(?:p|h[1-6]|li|blockquote|div|figure|tr|ul|ol)>", re.I)
_LINK = re.compile(r'<a\s[^>]*href="([^"]+)"[^>]*>(.*?)</a>', re.I | re.S)
_SCRIPTS = re.compile(r"<(script|style)\b.*?</\1>", re.I | re.S)
_ITEM = re.compile(r"<li[^>]*>", re.I)
_IMAGE = re.compile(r'<img\s[^>]*alt="([^"]*)"[^>]*>', re.I)


def html_to_text(markup):
    """A plain-text version good enough for a text/plain part: paragraphs, list items,
    "text (link)"."""
    markup = _ITEM.sub("- ", _SCRIPTS.sub("", markup))
    markup = _LINK.sub(
        lambda m: f"{m.group(2)} ({m.group(1)})" if strip_tags(m.group(2)).strip() else m.group(1),
        markup,
    )
    markup = _IMAGE.sub(r"[\1]", markup)
    text = html.unescape(strip_tags(_BREAKS.sub(lambda m: m.group(0) + "\n", markup)))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def render(campaign, member, *, test=False):
    """(subject, text, html, unsubscribe url) for `member`."""
    article = campaign.article
    language = language_of(member)
    with translation.override(language):
        unsubscribe = unsubscribe_url(member)
        body, body_text = body_parts(article)
        context = {
            "campaign": campaign,
            "article": article,
            "member": member,
            "subject": campaign.subject_line,
            "body": body,
            "article_url": absolute(article_path(article), language),
            "unsubscribe_url": unsubscribe,
            "site_name": settings.WAGTAIL_SITE_NAME,
            "site_url": absolute("/", language),
            "test": test,
            "LANGUAGE_CODE": language,
        }
        html_part = render_to_string("mailings/email.html", context)
        text_part = render_to_string("mailings/email.txt", {**context, "body_text": body_text})
        subject = campaign.subject_line
        if test:
            subject = _("[Test] %(subject)s") % {"subject": subject}
    return subject, text_part, html_part, unsubscribe


def build_message(campaign, member, *, test=False):
    subject, text_part, html_part, unsubscribe = render(campaign, member, test=test)
    return build_email(
        to=member.email,
        subject=subject,
        text=text_part,
        html=html_part,
        # The same campaign and member always give the same Message-ID; a test has none.
        key=None if test else f"mailing:{campaign.pk}:{member.pk}",
        unsubscribe_url=unsubscribe,
        headers={
            "Precedence": "bulk",
            "X-Cocrea-Mailing": f"{campaign.pk}:{'test' if test else member.pk}",
        },
    )
