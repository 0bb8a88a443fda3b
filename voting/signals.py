"""Voting's signals, and its part of a merge (the votes move with the idea, inside the merge's
transaction)."""

from django.dispatch import Signal, receiver

from ideas.models import Idea
from ideas.signals import idea_merging

# A vote written in SQL (`vote_cast`, `vote_withdraw` on PostgreSQL), where no model signal is
# sent: sent with `sender=Vote`, `vote_id`, `idea_id`, `member_id` and `cast` (False: the vote
# was withdrawn), inside the vote's transaction. A vote saved or deleted through the ORM sends
# the model's `post_save` / `post_delete` instead.
vote_changed = Signal()


@receiver(idea_merging, sender=Idea, dispatch_uid="voting.move_votes")
def move_votes(sender, source, target, **kwargs):
    from .services import votes_merge

    moved, returned = votes_merge(source=source, target=target)
    return {"votes_moved": moved, "votes_returned": returned}
