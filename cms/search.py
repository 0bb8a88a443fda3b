"""Site search. Pages are searched here; apps built on cms add their own results (ideas adds
ideas) with `register(name, provider)` in their `AppConfig.ready`: `provider(request, query)`
returns template context (e.g. `{"ideas": page_of_ideas}`). Every provider answers through the
audience policy: only what this visitor may see."""

_providers = {}


def register(name, provider):
    _providers[name] = provider


def results(request, query):
    context = {}
    for provider in _providers.values():
        context.update(provider(request, query))
    return context
