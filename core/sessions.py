"""Sessions in PostgreSQL, read through the cache (Django's `cached_db`, bounded): a signed-in
page reads its session from Redis instead of a query, and a Redis outage signs nobody out (the
cache answers as a miss, `core.cache`, and the session is read from the database).

Every write goes to the database first. A cached copy lives at most
`SESSION_CACHE_SECONDS` (default 300): a sign-out whose cache delete was lost to a Redis outage
still takes effect by then (and at once wherever the member's password or account changed,
which Django checks on every request against the database)."""

from django.conf import settings
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore


class SessionStore(CachedDBStore):
    cache_key_prefix = "cocrea.session."

    def _cache_seconds(self, **kwargs):
        return min(self.get_expiry_age(**kwargs), getattr(settings, "SESSION_CACHE_SECONDS", 300))

    def load(self):
        try:
            data = self._cache.get(self.cache_key)
        except Exception:  # any cache trouble: the database
            data = None
        if data is None:
            s = self._get_session_from_db()
            if s:
                data = self.decode(s.session_data)
                self._cache.set(self.cache_key, data, self._cache_seconds(expiry=s.expire_date))
            else:
                data = {}
        return data

    def save(self, must_create=False):
        # The database row first (Django's db store), then the cached copy.
        super(CachedDBStore, self).save(must_create)
        self._cache.set(self.cache_key, self._session, self._cache_seconds())
