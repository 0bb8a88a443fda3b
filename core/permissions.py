"""Permissions are small predicates that return a `Decision`: truthy when allowed, with a
reason a person can read when not, so buttons can explain instead of failing."""

from dataclasses import dataclass

from .exceptions import NotAllowed


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""

    def __bool__(self):
        return self.allowed


ALLOWED = Decision(True)


def require(decision):
    """Raise `NotAllowed` with the decision's reason unless it allows."""
    if not decision:
        raise NotAllowed(decision.reason)
