"""What the home page shows and routes that it does not own. Apps built on cms (campaigns)
register here in their `AppConfig.ready`; cms imports none of them:

* `register_context(provider)`: `provider(request)` returns context for the home template
  (open and upcoming campaigns);
* `register_fast_route(router)`: `router(home, request, path_components)` returns Wagtail's
  route result for paths it resolves in one query (`/campaigns/<slug>/…`), or None.
"""

_context_providers = {}
_fast_routes = {}


def register_context(name, provider):
    _context_providers[name] = provider


def register_fast_route(name, router):
    _fast_routes[name] = router


def context(request):
    result = {}
    for provider in _context_providers.values():
        result.update(provider(request))
    return result


def fast_route(home, request, path_components):
    for router in _fast_routes.values():
        found = router(home, request, path_components)
        if found is not None:
            return found
    return None
