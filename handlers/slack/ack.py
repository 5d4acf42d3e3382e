"""Bolt's ack, made to keep its answer once given.

When a listener fails after acknowledging, Bolt's thread runner (slack_bolt/listener/thread_runner.py) sets
`ack.response` back to None after calling the error handler. If that happens between two of the request thread's
10 ms polls, the request never sees the ack: it waits out the 3 s and answers 404, and Slack shows its own error
although our apology already went out through the response_url.
"""

from slack_bolt import Ack


class AckOnce(Ack):
    """An Ack whose response, once set, is not taken back."""

    def __setattr__(self, name: str, value: object) -> None:
        if name == "response" and value is None and getattr(self, "response", None) is not None:
            return
        super().__setattr__(name, value)
