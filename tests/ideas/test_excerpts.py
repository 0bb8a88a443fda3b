"""Excerpts on idea cards and in feeds are the plain text a reader would see on the idea page:
Markdown rendered, sanitised, tags stripped, never a half-eaten tag."""

from django.template import Context, Template

from ideas.markup import plain_excerpt, plain_text


def test_a_script_is_dropped_with_its_content():
    assert plain_excerpt("<script>alert('c')</script> Hello") == "Hello"


def test_no_tag_is_left_half_eaten():
    text = plain_excerpt(
        "<script>alert('c')</script><b onclick='x()'>Bold</b> <style>p{}</style>ok"
    )
    assert "<" not in text and ">" not in text
    assert "script" not in text and "alert" not in text
    assert text == "Bold ok"


def test_markdown_shows_as_its_words():
    text = (
        "**Round up** purchases, see [the docs](https://example.com) &amp; `code`\n\n- one\n- two"
    )
    assert plain_text(text) == "Round up purchases, see the docs & code one two"


def test_paragraphs_and_line_breaks_become_single_spaces():
    assert plain_text("one\n\n\ntwo\nthree   four") == "one two three four"


def test_entities_are_decoded_once():
    assert plain_text("Fish &amp; chips &lt;3") == "Fish & chips <3"


def test_long_text_is_cut_on_a_word():
    text = "Savings " * 40
    cut = plain_excerpt(text, 30)
    assert cut.endswith("…")
    assert len(cut) <= 30
    assert cut[:-1].split() == ["Savings"] * len(cut[:-1].split())


def test_short_text_is_not_cut():
    assert plain_excerpt("A short idea", 30) == "A short idea"


def test_the_template_filter_escapes_what_a_member_typed_as_text():
    html = Template("{% load ideas_tags %}{{ text|excerpt:40 }}").render(
        Context({"text": "I <3 this & more"})
    )
    assert html == "I &lt;3 this &amp; more"
