"""Work done after the platform has its answer, remembered until it finishes, so that a caller can wait for it.

Slack: Bolt runs every listener on this executor and answers Slack as soon as the listener acks; what the listener
does after the ack (a modal filled in, a reply through the response_url, a receipt sent) goes on in the pool.
Teams: a handler answers the invoke at once and hands the sends it caused (a case's receipt and triage card) to
the runtime's `background` pool, as Slack's listeners do after their ack. The tests, the demo and the benchmarks
call `idle()` to wait for exactly that work, instead of polling for its effects; in production nothing calls it.
"""

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor, wait
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")
WORKERS = 10  # Bolt's own default for its listener executor
log = logging.getLogger(__name__)


class ListenerWork(Executor):
    """A thread pool that keeps the futures of the work not yet finished."""

    def __init__(self, workers: int = WORKERS):
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="listener")
        self._pending: set[Future] = set()
        self._lock = threading.Lock()

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        with self._lock:
            future = self._pool.submit(fn, *args, **kwargs)
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
