"""A merge note the user typed is kept in the session when the merge goes back to the workspace
(an error, or Cancel on the confirmation page), so it is not lost."""


def merge_draft_key(idea):
    return f"cocrea-merge-draft-{idea.pk}"


def keep_merge_draft(request, idea, target, note):
    if note.strip():
        request.session[merge_draft_key(idea)] = {"target": target, "note": note}


def take_merge_draft(request, idea, target):
    """The note kept for merging `idea` into `target` (a pk as typed), or "". Read once: the
    draft leaves the session either way."""
    draft = request.session.pop(merge_draft_key(idea), None) or {}
    if draft and str(draft.get("target")) == str(target):
        return draft.get("note", "")
    return ""
