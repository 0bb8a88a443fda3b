"""The product team's triage in the Wagtail admin: the idea list, the board by stage, the idea
workspace, bulk actions and the stage editor. `ideas.wagtail_hooks` registers them.

- `permissions`: who may triage (Django permissions *and* `can_move_idea`);
- `links`: admin URLs and safe "next" redirects;
- `selectors`: the admin's reads (merge candidates and summaries, votes per day, board columns);
- `drafts`: merge notes kept in the session when a merge goes back to the workspace;
- `forms`: forms and filters; `views`: list, workspace, move, merge, note, board;
- `viewsets`: the idea and stage viewsets; `bulk_actions`: move, assign, tag, export.

Every write goes through `ideas.services`. Deliberately imports nothing here: Django's admin
autodiscovery imports `ideas.admin` at start-up."""
