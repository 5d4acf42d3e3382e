"""The fake Slack under load: scripted failures, rate limits (429 with Retry-After), failures after acting and
a clock for both."""

import math
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from bot.demo.fake_slack_limits import TokenBucket

if TYPE_CHECKING:
    from bot.demo.fake_slack import Call


@dataclass
class ScriptedFailure:
    status: int
    error: str
    retry_after: int | None = None
    channel: str | None = None


@dataclass
class FailureAfterActing:
    """Act, then answer `status` (or, with `drop`, close the connection without an answer)."""

    status: int
    error: str
    drop: bool
    channel: str | None = None


Failure = TypeVar("Failure", ScriptedFailure, FailureAfterActing)


class LoadBehaviour:
    """Failures, rate limits and the clock of the fake Slack (mixed into FakeSlack, under its lock)."""

    per_channel_rate: float | None
    _lock: threading.RLock
    _ts: Iterator[int]
    calls: list["Call"]

    def _init_load_behaviour(self) -> None:
        self.clock: Callable[[], float] | None = None
        self._failures: dict[str, deque[ScriptedFailure]] = defaultdict(deque)
        self._workspace_bucket: TokenBucket | None = None
        self._after_acting: dict[str, deque[FailureAfterActing]] = defaultdict(deque)
        self._last_post: dict[str, float] = {}
        self._last_ts = 0.0

    def fail_next(
        self,
        method: str,
        status: int = 500,
        error: str = "internal_error",
        times: int = 1,
        retry_after: int | None = None,
        channel: str | None = None,
    ) -> None:
        """The next `times` calls of `method` (to `channel`, if given) answer with this failure."""
        with self._lock:
            for _ in range(times):
                self._failures[method].append(ScriptedFailure(status, error, retry_after, channel))

    def use_clock(self, clock: Callable[[], float]) -> None:
        """Take time (epoch seconds) from `clock`: rate limits refill by it and message ts follow it, as
        Slack's follow its own clock. Without one, rate limits follow time.monotonic and ts count up."""
        with self._lock:
            self.clock = clock

    def limit_workspace(self, per_second: float, burst: int) -> None:
        """chat.postMessage across the whole workspace: `burst` at once, then `per_second`; beyond that 429
        with Retry-After (whole seconds, as Slack sends it) and nothing posted."""
        with self._lock:
            self._workspace_bucket = TokenBucket(per_second, float(burst), float(burst), self._now())

    def fail_after_acting(
        self,
        method: str,
        status: int = 500,
        error: str = "internal_error",
        times: int = 1,
        drop: bool = False,
        channel: str | None = None,
    ) -> None:
        """The next `times` calls of `method` that succeed (to `channel`, if given) take effect, and then
        answer `status` or, with `drop`, close the connection without an answer. Give the fake the caller's
        clock (use_clock) too: the sender looks for the message by ts from the row's creation on."""
        with self._lock:
            for _ in range(times):
                self._after_acting[method].append(FailureAfterActing(status, error, drop, channel))

    def acted_but_failed(self, method: str) -> list["Call"]:
        """The calls of `method` that took effect but were answered with a failure or not at all."""
        with self._lock:
            return [call for call in self.calls if call.method == method and call.acted]

    def _take_failure(self, method: str, params: dict[str, Any]) -> ScriptedFailure | None:
        return _take_for_channel(self._failures.get(method), params)

    def _take_failure_after_acting(self, method: str, params: dict[str, Any]) -> FailureAfterActing | None:
        return _take_for_channel(self._after_acting.get(method), params)

    def _now(self) -> float:
        return self.clock() if self.clock is not None else time.monotonic()

    def _rate_limited(self, method: str, params: dict[str, Any]) -> int:
        """Seconds the caller must wait (Retry-After), or 0 when the call may go ahead."""
        if method != "chat.postMessage":
            return 0
        now = self._now()
        channel = str(params.get("channel"))
        if self.per_channel_rate is not None:
            last = self._last_post.get(channel)
            if last is not None and now - last < 1.0 / self.per_channel_rate:
                return 1
        if self._workspace_bucket is not None:
            wait = self._workspace_bucket.take(now)
            if wait:
                return max(1, math.ceil(wait))
        if self.per_channel_rate is not None:
            self._last_post[channel] = now
        return 0

    def _next_ts(self) -> str:
        if self.clock is None:
            return f"{1_800_000_000 + next(self._ts)}.000100"
        self._last_ts = max(self.clock(), self._last_ts + 0.000001)  # unique and increasing, like Slack's
        return f"{self._last_ts:.6f}"


def _take_for_channel(queue: deque[Failure] | None, params: dict[str, Any]) -> Failure | None:
    """The first queued failure for any channel or for the call's channel, taken off the queue."""
    if not queue:
        return None
    for failure in list(queue):
        if failure.channel is None or failure.channel == params.get("channel"):
            queue.remove(failure)
            return failure
    return None
