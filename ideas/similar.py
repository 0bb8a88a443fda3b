"""Similar ideas: the hint under the title while a member writes an idea, and the product
team's duplicate finder in the admin.

PostgreSQL (docs/pipeline.md, "Similar ideas"): one statement, in one round trip with its planner
settings (`statement`), reads candidates from an index and scores no more than CANDIDATES of
them, whatever the size of the campaign. Candidates come in tiers, each read only when the ones
before matched no idea at all —

1. the stored `search_vector` of the title (English and Spanish stemming, accents folded;
   migration 0017, GIN-indexed) holding *every* typed word, the last as a prefix while it is
   being typed;
2. every typed word but one (three words or more);
3. any typed word;
4. no idea holds any typed word (typos): the trigram index on `cocrea_unaccent(title)`,
   `%>` (the typed text appears in the title, pg_trgm.word_similarity_threshold set for the
   statement with SET LOCAL: PLANNER_SETTINGS).

Each candidate scores the mean of the trigram similarity and word similarity of the folded
titles, plus the full-text rank (normalised to 0‥1) weighted RANK_WEIGHT; below
SIMILAR_MIN_SCORE it is dropped, and so is one under RELATIVE_MIN_SCORE of the best: an idea
sharing one common word with a long typed title is not offered next to a near-exact one. At
most five, best first (then most voted). When more than CANDIDATES ideas match a tier (a few
very common words typed), the tier's candidates are any CANDIDATES of them: all hold the same
typed words.

The site's hint is kept in the cache a few seconds (`Cached`): the ranking while no idea of the
campaign was saved, the ideas as shown while nothing visitors could see was written.

SQLite (`make run` without DATABASE_URL): titles sharing a word of four letters or more, most
voted first."""

import hashlib
import re
import secrets
import unicodedata

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

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


BOTH_LANGUAGES = "(to_tsquery('english'::regconfig, %s) || to_tsquery('spanish'::regconfig, %s))"


def tiers(words, folded):
    """The tiers' matches, in order: (SQL condition on "ideas_idea", params)."""
    raws = [tsquery(words), tsquery(words, leave_out=1)] if len(words) >= 3 else [tsquery(words)]
    raws.append(tsquery(words, leave_out=None))
    matches = [(f'"ideas_idea"."search_vector" @@ {BOTH_LANGUAGES}', [raw, raw]) for raw in raws]
    # No idea holds any typed word: misspelt, perhaps.
    matches.append(('cocrea_unaccent("ideas_idea"."title") %%> %s', [folded]))
    return matches


# For the suggestion's statement only (SET LOCAL, see `statement`): candidates are read through
# the GIN indexes' bitmaps and nothing else. With a LIMIT, and words that are common elsewhere
# in the table but rare in the campaign, the planner would otherwise bet on finding enough rows
# early in a sequential scan (or a btree index in the campaign) and read every idea. Also the
# word-similarity threshold of tier 4.
PLANNER_SETTINGS = {
    "enable_seqscan": "off",
    "enable_indexscan": "off",
    "pg_trgm.word_similarity_threshold": str(WORD_SIMILARITY_THRESHOLD),
}


# Each candidate's score (its folded title is `folded`): whole-title likeness and how much of the
# typed text the title holds, averaged, plus the full-text rank of any typed word, normalised to
# 0‥1 (ts_rank / (ts_rank + 1): normalisation 32) and weighted RANK_WEIGHT.
SCORE = (
    "(similarity(folded, %s) + word_similarity(%s, folded)) / 2"
    f" + %s * ts_rank(search_vector, {BOTH_LANGUAGES}, 32)"
)
# No values are ever put in the SQL of this module: they are parameters.
RANKING = (
    "SELECT id, score FROM ("  # noqa: S608
    f" SELECT id, vote_count, {SCORE} AS score"
    " FROM (SELECT *, cocrea_unaccent(title) AS folded FROM {candidates}) candidates"
    ") scored ORDER BY score DESC, vote_count DESC, id DESC LIMIT %s"
)


def statement(ideas, folded, words):
    """The planner settings (SET LOCAL: statements sent together are one transaction), then
    one SELECT: (id, score) of at most RESULTS ideas of `ideas`, best first, from the first
    tier that has candidates. Tier n's candidates are the CTE t<n> (at most CANDIDATES ideas
    from an index); c<n> is c<n-1>, or when that is empty t<n>: the `NOT EXISTS` is a one-time
    filter, so a tier is not read at all once one before it had candidates."""
    base, base_params = (
        ideas.order_by()
        .values("id", "title", "vote_count", "search_vector")
        .query.sql_with_params()
    )
    if " WHERE " not in base or " ORDER BY " in base or " LIMIT " in base:
        raise ValueError(f"unexpected queryset for similar ideas: {base}")
    ctes, params = [], []
    for n, (match, match_params) in enumerate(tiers(words, folded)):
        ctes.append(f"t{n} AS ({base} AND {match} LIMIT %s)")
        params += [*base_params, *match_params, CANDIDATES]
        ctes.append(
            "c0 AS (SELECT * FROM t0)"
            if n == 0
            else f"c{n} AS (SELECT * FROM c{n - 1} UNION ALL"  # noqa: S608
            f" SELECT * FROM t{n} WHERE NOT EXISTS (SELECT FROM c{n - 1}))"
        )
    any_word = tsquery(words, leave_out=None)
    params += [folded, folded, RANK_WEIGHT, any_word, any_word, RESULTS]
    planner = "".join(f"SET LOCAL {name} = '{value}'; " for name, value in PLANNER_SETTINGS.items())
    ranking = RANKING.replace("{candidates}", f"c{len(ctes) // 2 - 1}")
    return f"{planner}WITH {', '.join(ctes)} {ranking}", params


def scored_ids(ideas, folded, words):
    """[(id, score)] of the first tier with candidates, best first, weak ones included."""
    from django.db import connections

    connection = connections[ideas.db]
    sql, params = statement(ideas, folded, words)
    if connection.in_atomic_block:  # SET LOCAL would outlive the statement: set back after it
        sql += "; " + "; ".join(f"SET LOCAL {name} TO DEFAULT" for name in PLANNER_SETTINGS)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while cursor.description is None or cursor.description[0].name != "id":
            if not cursor.nextset():
                return []
        return cursor.fetchall()


def ranked_ids(ideas, folded, words, limit):
    found = [
        (pk, score) for pk, score in scored_ids(ideas, folded, words) if score >= SIMILAR_MIN_SCORE
    ]
    if not found:
        return []
    floor = found[0][1] * RELATIVE_MIN_SCORE
    return [pk for pk, score in found if score >= floor][:limit]


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


def rank(ideas, text, limit, *, cache_as=None):
    """At most `limit` of `ideas` (a queryset of one campaign's ideas, every filter of who may
    see what applied) that look like `text`, best first. `cache_as`: (campaign id, the viewer's
    audience, the excluded idea) to keep the answer in the cache (`Cached`); None: not kept."""
    if not settings.USING_POSTGRES:
        return rank_simple(ideas, text, limit)
    folded = " ".join(words_of(text))
    words = [w for w in words_of(text) if len(w) >= 2]
    if not folded or not words:
        return []
    cached = None if cache_as is None else Cached(cache_as, folded, limit)
    if cached is not None and cached.ideas is not None:
        return cached.ideas
    ids = cached.ids if cached is not None and cached.ids is not None else None
    if ids is None:
        ids = ranked_ids(ideas, folded, words, limit)
    # Read through `ideas`: one hidden, withdrawn or merged since the ranking is left out.
    by_pk = ideas.in_bulk(ids) if ids else {}
    found = [by_pk[pk] for pk in ids if pk in by_pk]
    if cached is not None:
        cached.keep(ids, found)
    return found


# The cache ------------------------------------------------------------------------------------

CACHE_SECONDS = 30
GENERATION_KEY = "similar:generation:{campaign}"


class Cached:
    """The suggestion for one campaign, audience, excluded idea and folded text, kept
    CACHE_SECONDS at most, read with the generations it depends on in one round trip:

    * the campaign's *ideas generation*, changed whenever one of its ideas is saved or deleted
      (`ideas_changed`): the ranking (ids) is used while it is the same;
    * the *page generation* of cms.pagecache, changed by any database write that visitors could
      see (votes, titles, hiding, merging, pages, audiences… however they are made) when the
      page cache is on: the ideas as shown (id, title, vote count) are used while it is the
      same, with no query at all. With the page cache off they are read again each time.

    Who may see the campaign is decided before, uncached (`can_see_page`); every published idea
    of a campaign is seen by everyone who may see the campaign. With Redis away nothing is
    found or kept."""

    def __init__(self, cache_as, folded, limit):
        from cms import pagecache

        campaign, audience, exclude = cache_as
        digest = hashlib.sha256(folded.encode()).hexdigest()[:32]
        self.key = f"similar:{campaign}:{audience}:{exclude or ''}:{limit}:{digest}"
        self.generation_key = GENERATION_KEY.format(campaign=campaign)
        keys = [self.generation_key, self.key]
        self.pages_on = bool(pagecache.seconds())
        if self.pages_on:
            keys.append(pagecache.GENERATION_KEY)
        found = cache.get_many(keys)
        self.generation = found.get(self.generation_key)
        self.page_generation = found.get(pagecache.GENERATION_KEY)
        entry = found.get(self.key)
        self.ids = self.ideas = None
        if self.generation is None or entry is None or entry["ideas"] != self.generation:
            return
        self.ids = entry["ids"]
        if self.page_generation is not None and entry["pages"] == self.page_generation:
            self.ideas = [_shown(*row) for row in entry["rows"]]

    def keep(self, ids, ideas):
        if self.generation is None:  # the campaign's first (or the cache was emptied, or away)
            cache.add(self.generation_key, secrets.token_hex(8), None)
            return
        if self.pages_on and self.page_generation is None:  # as cms.pagecache does
            from cms import pagecache

            cache.add(pagecache.GENERATION_KEY, secrets.token_hex(8), None)
        rows = [(i.pk, i.campaign_id, i.title, i.vote_count) for i in ideas]
        entry = {"ideas": self.generation, "ids": ids, "pages": self.page_generation, "rows": rows}
        cache.set(self.key, entry, CACHE_SECONDS)


def _shown(pk, campaign_id, title, vote_count):
    from .models import Idea

    idea = Idea(pk=pk, campaign_id=campaign_id, title=title, vote_count=vote_count)
    idea._state.adding = False
    return idea


def new_generation(campaign_id):
    cache.set(GENERATION_KEY.format(campaign=campaign_id), secrets.token_hex(8), None)


@receiver([post_save, post_delete], sender="ideas.Idea", dispatch_uid="similar_ideas_changed")
def ideas_changed(sender, instance, **kwargs):
    """An idea was written (a new one, a title, a status, a merge): the campaign's cached
    rankings are not used again; now, and again after commit, so a ranking another process
    made from the old rows in between is not kept either. Writes by `update()` (votes, bulk
    moderation) change nothing a ranking holds but a tie-break by votes: `rank` reads the ideas
    again anyway."""
    campaign_id = instance.campaign_id
    new_generation(campaign_id)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: new_generation(campaign_id))
