"""Extension points for the apps built on ideas. Ideas knows nothing of them; they register in
their `AppConfig.ready` (voting adds who voted and the vote budget to the idea pages, and the
votes a merge would move to the merge preview):

* `register_page_context(name, provider)`: `provider(request, campaign, ideas)` returns
  context for the campaign's idea list and an idea's page (`ideas` are the ideas shown);
* `register_board_context(name, provider)`: `provider(request, ideas)` returns context for a
  page showing ideas of several campaigns (the roadmap);
* `register_merge_preview(name, provider)`: `provider(source, target)` returns figures for the
  merge confirmation (e.g. `{"votes": 12, "votes_both": 3}`);
* `register_workspace_context(name, provider)`: `provider(request, idea)` returns context for
  the triage workspace (votes per day, the discussion with its helpful marks).

What must happen *in* a merge's transaction goes through the `idea_merging` signal
(`ideas.signals`)."""

_page_context = {}
_board_context = {}
_merge_preview = {}
_workspace_context = {}


def register_page_context(name, provider):
    _page_context[name] = provider


def register_board_context(name, provider):
    _board_context[name] = provider


def register_merge_preview(name, provider):
    _merge_preview[name] = provider


def register_workspace_context(name, provider):
    _workspace_context[name] = provider


def workspace_context(request, idea):
    context = {}
    for provider in _workspace_context.values():
        context.update(provider(request, idea))
    return context


def page_context(request, campaign, ideas):
    context = {}
    for provider in _page_context.values():
        context.update(provider(request, campaign.source, ideas))
    return context


def board_context(request, ideas):
    context = {}
    for provider in _board_context.values():
        context.update(provider(request, ideas))
    return context


def merge_preview(source, target):
    figures = {}
    for provider in _merge_preview.values():
        figures.update(provider(source, target))
    return figures
