"""Bolt's App, remembering what each listener was registered for, so the tests can reach every one of them."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from slack_bolt import App

from bot.slack.listener_work import ListenerWork

Kind = Literal["command", "action", "view", "shortcut", "event"]


@dataclass(frozen=True)
class Registration:
    """One listener's constraint: a command name, an action id, a callback id or an event type."""

    kind: Kind
    constraint: object


class RecordingApp(App):
    """An App whose command, action, view, shortcut and event registrations are listed in `registrations`, and
    whose listeners run on `listener_work` (wait for what they do after the ack with `listener_work.idle()`)."""

    def __init__(self, **kwargs: object):
        self.listener_work = ListenerWork()
        super().__init__(listener_executor=self.listener_work, **kwargs)
        self.registrations: list[Registration] = []

    def _record(self, kind: Kind, constraint: object) -> None:
        self.registrations.append(Registration(kind, constraint))

    def command(self, command, *args, **kwargs) -> Callable:
        self._record("command", command)
        return super().command(command, *args, **kwargs)

    def action(self, constraints, *args, **kwargs) -> Callable:
        self._record("action", constraints)
        return super().action(constraints, *args, **kwargs)

    def view(self, constraints, *args, **kwargs) -> Callable:
        self._record("view", constraints)
        return super().view(constraints, *args, **kwargs)

    def shortcut(self, constraints, *args, **kwargs) -> Callable:
        self._record("shortcut", constraints)
        return super().shortcut(constraints, *args, **kwargs)

    def event(self, event, *args, **kwargs) -> Callable:
        self._record("event", event)
        return super().event(event, *args, **kwargs)
