class NotAllowed(Exception):
    """A service refused an action; `str(error)` (or `.reason`) is the reason to show the
    person, already translated. The one refusal every app raises and every view catches."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason
