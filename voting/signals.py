"""Voting's part of a merge: the votes move with the idea, inside the merge's transaction."""

from django.dispatch import receiver

from ideas.models import Idea
from ideas.signals import idea_merging

from .services import votes_merge


@receiver(idea_merging, sender=Idea, dispatch_uid="voting.move_votes")
def move_votes(sender, source, target, **kwargs):
    moved, returned = votes_merge(source=source, target=target)
    return {"votes_moved": moved, "votes_returned": returned}
