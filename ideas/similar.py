"""Similar ideas: the hint under the title while a member writes an idea, and the product
team's duplicate finder in the admin.

PostgreSQL (docs/pipeline.md, "Similar ideas"): candidates come from two GIN indexes, so the query
never scans a campaign's ideas —

* the stored `search_vector` of the title (English and Spanish stemming, accents folded;
  migration 0017): ideas whose title holds any typed word (OR) in either configuration, the last
  word as a prefix while it is being typed;
* the trigram index on `cocrea_unaccent(title)`: `%` (similar titles) and `%>` (the typed words
  appear in the title).

Each candidate scores the mean of the trigram similarity and word similarity of the folded
titles, plus the full-text rank (normalised to 0‥1) weighted RANK_WEIGHT; below
SIMILAR_MIN_SCORE it is dropped, and so is one under RELATIVE_MIN_SCORE of the best: an idea
sharing one common word with a long typed title is not offered next to a near-exact one. At
most five, best first (then most voted).

SQLite (`make run` without DATABASE_URL): titles sharing a word of four letters or more, most
voted first."""

import re
import unicodedata

from django.conf import settings
from django.db.models import F, Func, Q, TextField, Value

SIMILAR_MIN_SCORE = 0.3
# A candidate scoring under this share of the best one is a weak match next to it: dropped.
RELATIVE_MIN_SCORE = 0.6
CANDIDATES = 20
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


def tsquery(words):
    """A raw tsquery: any of the words, the last as a prefix (it may be half typed). Words are
    letters and digits only, so nothing in them is tsquery syntax."""
    terms = list(words)
    if terms and len(terms[-1]) >= 3:
        terms[-1] += ":*"
    return " | ".join(terms)


def both_languages(raw):
    from django.contrib.postgres.search import SearchQuery

    return SearchQuery(raw, config="english", search_type="raw") | SearchQuery(
        raw, config="spanish", search_type="raw"
    )


def rank_postgres(ideas, text, limit):
    from django.contrib.postgres.search import (
        SearchRank,
        TrigramSimilarity,
        TrigramWordSimilarity,
    )

    folded = " ".join(words_of(text))
    words = [w for w in words_of(text) if len(w) >= 2]
    if not folded or not words:
        return []
    query = both_languages(tsquery(words))
    title = Unaccent(F("title"))
    # ts_rank / (ts_rank + 1) (normalisation 32): 0‥1, whatever the lengths.
    rank = SearchRank(F("search_vector"), query, normalization=Value(32))
    candidates = list(
        ideas.alias(folded_title=title)
        .filter(
            Q(search_vector=query)
            | Q(folded_title__trigram_similar=folded)
            | Q(folded_title__trigram_word_similar=folded)
        )
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
        .filter(similarity__gte=SIMILAR_MIN_SCORE)
        .order_by("-similarity", "-vote_count", "-id")[:CANDIDATES]
    )
    if not candidates:
        return []
    floor = candidates[0].similarity * RELATIVE_MIN_SCORE
    return [idea for idea in candidates if idea.similarity >= floor][:limit]


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
