"""Bolt's App, remembering what each listener was registered for, so the tests can reach every one of them."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from slack_bolt import App

from bot.listener_work import ListenerWork

Kind = Literal["command", "action", "view", "shortcut", "event"]


@dataclass(frozen=True)
class Registration:
    """One listener's constraint: a command name, an action id, a callback id or an event type."""

    kind: Kind
    constraint: object


def _recording(kind: Kind) -> Callable:
    """Bolt's registration method `kind`, which first lists its constraint in the app's `registrations`."""
    register = getattr(App, kind)

    def recorded(self: "RecordingApp", constraint: object, *args: object, **kwargs: object) -> Callable:
        self.registrations.append(Registration(kind, constraint))
        return register(self, constraint, *args, **kwargs)

    return recorded


class RecordingApp(App):
    """An App whose command, action, view, shortcut and event registrations are listed in `registrations`, and
    whose listeners run on `listener_work` (wait for what they do after the ack with `listener_work.idle()`)."""

    def __init__(self, **kwargs: object):
        self.listener_work = ListenerWork()
        super().__init__(listener_executor=self.listener_work, **kwargs)
        self.registrations: list[Registration] = []

    command = _recording("command")
    action = _recording("action")
    view = _recording("view")
    shortcut = _recording("shortcut")
    event = _recording("event")
