"""Knowing when the app has finished the work it does after acknowledging a request."""

import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future
from typing import Any

from slack_bolt import App


class CountingExecutor(Executor):
    """Runs listeners on the app's own executor and counts those not yet finished."""

    def __init__(self, inner: Executor):
        self._inner = inner
        self._busy = 0
        self._idle = threading.Condition()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        with self._idle:
            self._busy += 1
        future = self._inner.submit(fn, *args, **kwargs)
        future.add_done_callback(self._finished)
        return future

    def _finished(self, _: Future) -> None:
        with self._idle:
            self._busy -= 1
            self._idle.notify_all()

    def wait_idle(self, timeout: float = 5.0) -> bool:
        """True once no listener is running (False if one still runs after `timeout` seconds)."""
        with self._idle:
            return self._idle.wait_for(lambda: self._busy == 0, timeout)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._inner.shutdown(wait=wait, cancel_futures=cancel_futures)


def count_listeners(app: App) -> CountingExecutor:
    """Make the Bolt app's listener runner count its running listeners (they run after the ack)."""
    runner = app.listener_runner
    counting = CountingExecutor(runner.listener_executor)
    runner.listener_executor = counting
    return counting
