"""What the caches of rendered member text (ideas.markup) add to a process that renders many
different texts, as a web worker does over a long run (issue 13: worker memory flat):

    DJANGO_SETTINGS_MODULE=bench.settings .venv/bin/python -m bench.markup_memory --chars 10000

Each text goes through `plain_text` (a card's excerpt) and `render_markdown` (the idea page).
Before the caches were bounded by size, 8192 descriptions of 10,000 characters added ~130 MB.
"""

import argparse
import os
import random


def rss_mb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--chars", type=int, default=10_000, help="length of each text")
    parser.add_argument("--texts", type=int, default=8192, help="different texts rendered")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from ideas.markup import plain_text, render_markdown

    words = "save budget card alert goal transfer widget chart export travel family pot".split()
    rng = random.Random(1)  # noqa: S311 (sample text)

    def text(n):
        out, length = [], 0
        while length < args.chars:
            out.append(rng.choice(words) if rng.random() > 0.02 else "\n\n- *item* **x**\n")
            length += len(out[-1]) + 1
        return f"Idea {n}: " + " ".join(out)[: args.chars]

    plain_text("warm up")
    before = rss_mb()
    for n in range(args.texts):
        t = text(n)
        plain_text(t)
        render_markdown(t)
    print(f"{args.texts} texts of {args.chars} characters: RSS {before:.0f} -> {rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
