"""The public member profile shows what the apps built on members know about the member
(their ideas and comments, later their badges). Those apps register a provider in their
`AppConfig.ready`: `provider(request, member)` returns context for `members/profile.html`."""

_providers = {}


def register_context(name, provider):
    _providers[name] = provider


def context(request, member):
    result = {}
    for provider in _providers.values():
        result.update(provider(request, member))
    return result
