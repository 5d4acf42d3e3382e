"""Domain errors that the chat edge turns into Swedish replies."""


class NotAllowed(Exception):
    """The caller may not do this; `what` says what was attempted, for the refusal text."""

    def __init__(self, what: str):
        super().__init__(what)
        self.what = what


class UnknownPerson(Exception):
    """The Slack user is not in the association's configuration."""
