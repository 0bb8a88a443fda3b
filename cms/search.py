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


# Who hears about each search (insights counts the ones that found nothing). A listener is
# `listener(request, query, found)`; it must never break the search page.
_listeners = {}


def register_listener(name, listener):
    _listeners[name] = listener


def searched(request, query, found):
    for listener in _listeners.values():
        listener(request, query, found)


def found_anything(context):
    """Whether any result list in the search context holds something."""
    for value in context.values():
        if value is None:
            continue
        if len(value) if hasattr(value, "__len__") else bool(value):
            return True
    return False
