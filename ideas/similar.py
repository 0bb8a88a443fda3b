"""Similar ideas: the hint under the title while a member writes an idea, and the product
team's duplicate finder in the admin.

PostgreSQL (docs/pipeline.md, "Similar ideas"): every query reads candidates from an index and
scores no more than CANDIDATES of them, whatever the size of the campaign (measured with
scripts/similar_timing.py: docs/pipeline.md). Candidates come in tiers, each tried only when the
ones before matched no idea at all —

1. the stored `search_vector` of the title (English and Spanish stemming, accents folded;
   migration 0017, GIN-indexed) holding *every* typed word, the last as a prefix while it is
   being typed;
2. every typed word but one (three words or more);
3. any typed word;
4. no idea holds any typed word (typos): the trigram index on `cocrea_unaccent(title)`,
   `%>` (the typed text appears in the title, pg_trgm.word_similarity_threshold set for these
   queries with SET LOCAL: PLANNER_SETTINGS).

Each candidate scores the mean of the trigram similarity and word similarity of the folded
titles, plus the full-text rank (normalised to 0‥1) weighted RANK_WEIGHT; below
SIMILAR_MIN_SCORE it is dropped, and so is one under RELATIVE_MIN_SCORE of the best: an idea
sharing one common word with a long typed title is not offered next to a near-exact one. At
most five, best first (then most voted). When more than CANDIDATES ideas match a tier (a few
very common words typed), the tier's candidates are any CANDIDATES of them: all hold the same
typed words.

SQLite (`make run` without DATABASE_URL): titles sharing a word of four letters or more, most
voted first."""

import re
import unicodedata
from contextlib import contextmanager

from django.conf import settings
from django.db.models import F, Func, Q, TextField, Value

SIMILAR_MIN_SCORE = 0.3
# A candidate scoring under this share of the best one is a weak match next to it: dropped.
RELATIVE_MIN_SCORE = 0.6
CANDIDATES = 50  # scored per tier at most
RESULTS = 20  # kept per tier, best first
WORD_SIMILARITY_THRESHOLD = 0.5  # tier 4 (pg_trgm's default: 0.6)
RANK_WEIGHT = 0.35
MAX_WORDS = 10
_WORD = re.compile(r"[^\W_]+")


def fold(text):
    """Lower case without accents: "Áhorro" → "ahorro" (as cocrea_unaccent does in SQL)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def words_of(text):
    return _WORD.findall(fold(text))[:MAX_WORDS]


class Unaccent(Func):
    """The immutable wrapper the trigram index is built on (migration 0017)."""

    function = "cocrea_unaccent"
    output_field = TextField()


def tsquery(words, *, leave_out=0):
    """A raw tsquery: all the words, or all but `leave_out` (0 or 1) of them, or any (None); the
    last as a prefix (it may be half typed). Words are letters and digits only, so nothing in
    them is tsquery syntax."""
    terms = list(words)
    if terms and len(terms[-1]) >= 3:
        terms[-1] += ":*"
    if leave_out is None:
        return " | ".join(terms)
    if leave_out == 0:
        return " & ".join(terms)
    return " | ".join("(" + " & ".join(terms[:n] + terms[n + 1 :]) + ")" for n in range(len(terms)))


def both_languages(raw):
    from django.contrib.postgres.search import SearchQuery

    return SearchQuery(raw, config="english", search_type="raw") | SearchQuery(
        raw, config="spanish", search_type="raw"
    )


def scored(ideas, match, folded, query):
    """At most RESULTS of the ideas matching `match` (read from its index, no more than
    CANDIDATES of them), scored and best first, weak ones included (an empty list: no idea
    matches)."""
    from django.contrib.postgres.search import (
        SearchRank,
        TrigramSimilarity,
        TrigramWordSimilarity,
    )

    candidates = ideas.filter(match).order_by().values("pk")[:CANDIDATES]
    title = Unaccent(F("title"))
    # ts_rank / (ts_rank + 1) (normalisation 32): 0‥1, whatever the lengths.
    rank = SearchRank(F("search_vector"), query, normalization=Value(32))
    return list(
        ideas.filter(pk__in=candidates)
        .annotate(
            # Whole-title likeness and how much of the typed text the title holds, averaged.
            title_similarity=(
                TrigramSimilarity(title, Value(folded))
                + TrigramWordSimilarity(Value(folded), title)
            )
            / Value(2.0),
            text_rank=rank,
        )
        .annotate(similarity=F("title_similarity") + Value(RANK_WEIGHT) * F("text_rank"))
        .order_by("-similarity", "-vote_count", "-id")[:RESULTS]
    )


# For the suggestion's queries only (SET LOCAL, see `planned`): candidates are read through the
# GIN indexes' bitmaps and nothing else. With a LIMIT, and words that are common elsewhere in
# the table but rare in the campaign, the planner would otherwise bet on finding enough rows
# early in a sequential scan (or a btree index in the campaign) and read every idea. Also the
# word-similarity threshold of tier 4.
PLANNER_SETTINGS = {
    "enable_seqscan": "off",
    "enable_indexscan": "off",
    "pg_trgm.word_similarity_threshold": str(WORD_SIMILARITY_THRESHOLD),
}


@contextmanager
def planned():
    from django.db import connection, transaction

    names = list(PLANNER_SETTINGS)
    nested = connection.in_atomic_block
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT " + ", ".join(["set_config(%s, %s, true)"] * len(names)),
            [value for name in names for value in (name, PLANNER_SETTINGS[name])],
        )
        try:
            yield
        finally:
            if nested:  # the outer transaction goes on: back to the session's settings
                cursor.execute("; ".join(f"SET LOCAL {name} TO DEFAULT" for name in names))


def rank_postgres(ideas, text, limit):
    folded = " ".join(words_of(text))
    words = [w for w in words_of(text) if len(w) >= 2]
    if not folded or not words:
        return []
    with planned():
        found = candidates_postgres(ideas, folded, words)
    candidates = [idea for idea in found if idea.similarity >= SIMILAR_MIN_SCORE]
    if not candidates:
        return []
    floor = candidates[0].similarity * RELATIVE_MIN_SCORE
    return [idea for idea in candidates if idea.similarity >= floor][:limit]


def candidates_postgres(ideas, folded, words):
    """The tiers (see the module's docstring), each tried only when the ones before matched no
    idea at all: the scored ideas of the first that matches, best first, weak ones included."""
    any_word = both_languages(tsquery(words, leave_out=None))
    tiers = [tsquery(words), tsquery(words, leave_out=1)] if len(words) >= 3 else [tsquery(words)]
    for raw in [*tiers, tsquery(words, leave_out=None)]:
        found = scored(ideas, Q(search_vector=both_languages(raw)), folded, any_word)
        if found:
            return found
    # No idea holds any typed word: misspelt, perhaps.
    titles = ideas.alias(folded_title=Unaccent(F("title")))
    return scored(titles, Q(folded_title__trigram_word_similar=folded), folded, any_word)


def rank_simple(ideas, text, limit):
    words = [w for w in words_of(text) if len(w) >= 4][:8]
    if not words:
        return []
    match = Q()
    for word in words:
        match |= Q(title__icontains=word)
    candidates = list(ideas.filter(match).order_by("-vote_count", "-id")[:50])

    def score(idea):
        title = set(words_of(idea.title))
        return -len(title & set(words)) / max(len(set(words)), 1)

    return sorted(candidates, key=score)[:limit]


def rank(ideas, text, limit):
    if settings.USING_POSTGRES:
        return rank_postgres(ideas, text, limit)
    return rank_simple(ideas, text, limit)
