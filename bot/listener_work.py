"""Work done after the platform has its answer, remembered until it finishes, so that a caller can wait for it.

Slack: Bolt runs every listener on this executor and answers Slack as soon as the listener acks; what the listener
does after the ack (a modal filled in, a reply through the response_url, a receipt sent) goes on in the pool.
Teams: a handler answers the invoke at once and hands the sends it caused (a case's receipt and triage card) to
the runtime's `background` pool, as Slack's listeners do after their ack; the endpoint holds that work
(`held_until`) until the answer is written, so that it does not take the interpreter from the answer meanwhile.
The tests, the demo and the benchmarks call `idle()` to wait for exactly that work (held work included), instead
of polling for its effects; in production nothing calls it.
"""

import functools
import logging
import threading
import time
from collections.abc import Callable, Coroutine
from concurrent.futures import Executor, Future, ThreadPoolExecutor, wait
from contextvars import ContextVar
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")
WORKERS = 10  # Bolt's own default for its listener executor
HOLD_LIMIT = 120.0  # seconds: held work starts after this even if its answer was never reported written
log = logging.getLogger(__name__)
_hold: ContextVar[threading.Event | None] = ContextVar("listener_work_hold", default=None)


async def held_until(released: threading.Event, coroutine: Coroutine[object, object, T]) -> T:
    """Await `coroutine`; work it submits to a ListenerWork (directly, or from tasks and threads started from it)
    is pending at once but starts only when `released` is set."""
    token = _hold.set(released)
    try:
        return await coroutine
    finally:
        _hold.reset(token)


def _once_released(released: threading.Event, work: Callable[[], T]) -> T:
    released.wait(HOLD_LIMIT)
    return work()


class ListenerWork(Executor):
    """A thread pool that keeps the futures of the work not yet finished."""

    def __init__(self, workers: int = WORKERS):
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="listener")
        self._pending: set[Future] = set()
        self._lock = threading.Lock()

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        work: Callable[[], T] = functools.partial(fn, *args, **kwargs)
        released = _hold.get()
        if released is not None:
            work = functools.partial(_once_released, released, work)
        with self._lock:
            future = self._pool.submit(work)
            self._pending.add(future)
        future.add_done_callback(self._finished)
        return future

    def _finished(self, future: Future) -> None:
        with self._lock:
            self._pending.discard(future)
        error = None if future.cancelled() else future.exception()
        if error is not None:  # nobody waits for the result: the traceback goes to the log
            log.error("work after the answer failed", exc_info=error)

    def idle(self, timeout: float = 5.0) -> bool:
        """Block until every piece of work submitted so far has finished (work submitted meanwhile, such as a
        lazy listener, too): True, or False if some is still running after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                pending = set(self._pending)
            remaining = deadline - time.monotonic()
            if not pending or remaining <= 0:
                return not pending
            wait(pending, timeout=remaining)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._pool.shutdown(wait=wait, cancel_futures=cancel_futures)
