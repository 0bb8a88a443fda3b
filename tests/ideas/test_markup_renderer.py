"""Member text is rendered by one reused Markdown renderer per thread, and recent texts are kept:
the output is the same as a fresh renderer's, nothing of one text reaches the next, and threads
never share a renderer's state."""

import threading

import markdown

from ideas.markup import plain_text, render_markdown


def fresh(text):
    import nh3

    from ideas.markup import ALLOWED_ATTRIBUTES, ALLOWED_TAGS

    html = markdown.markdown(text, extensions=["sane_lists", "nl2br"], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow ugc noopener",
    )


TEXTS = [
    "A *round-up* into **savings**.\nSecond line",
    "1. one\n2. two\n\n- a\n- b",
    "<script>alert('x')</script> [site](https://example.com) [bad](javascript:alert(1))",
    "> quoted\n\n`code`",
]


def test_the_reused_renderer_gives_what_a_fresh_one_gives():
    for text in TEXTS * 2:
        assert render_markdown(text) == fresh(text)


def test_a_reference_defined_in_one_comment_does_not_link_the_next():
    render_markdown("[x]: https://attacker.example/\n\nsee [x]")
    assert "attacker.example" not in render_markdown("a plain [link][x] in another comment")


def test_threads_render_at_once_without_mixing_texts():
    results, errors = {}, []

    def work(n):
        try:
            for k in range(200):
                text = f"Comment {n}-{k} with *emphasis* and a list:\n\n- item {n}"
                results[(n, k)] = render_markdown(text) == fresh(text)
        except Exception as error:  # noqa: BLE001
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and all(results.values()) and len(results) == 800


def test_plain_text_is_kept_too():
    assert plain_text("<b>Hello</b> *there*") == "Hello there"


def test_many_long_texts_keep_a_worker_within_the_cache_size():
    """A worker that renders thousands of different long descriptions keeps a bounded amount of
    them (issue 13: the count-bounded cache grew a worker by up to 130 MB), and what it renders
    is still what a fresh renderer gives."""
    import sys

    from ideas import markup

    texts = [f"Idea {n}: " + "*saving* for the family pot, " * 400 for n in range(200)]
    for n, text in enumerate(texts):
        assert render_markdown(text) == fresh(text)
        assert plain_text(text).startswith(f"Idea {n}: saving for the family pot,")
    for cache in (markup._recent_html, markup._recent_plain):
        assert 0 < cache.size <= markup.RENDER_CACHE_BYTES
        assert cache.size == sum(sys.getsizeof(v) + 100 for v in cache.items.values())
        assert len(cache.items) < len(texts)  # the oldest were let go
    assert render_markdown(texts[-1]) is render_markdown(texts[-1])  # the latest is kept
