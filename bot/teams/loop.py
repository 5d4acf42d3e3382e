"""One asyncio event loop in a daemon thread, for the Agents SDK's coroutines called from our threads.

The web server (waitress) and the scheduler's tick are threads; the SDK is asyncio. Each call hands its coroutine
to this loop and waits for the result, so the SDK's aiohttp sessions and caches live on one loop for the whole
process. What keeps sessions on the loop registers their closing with `at_stop`; `stop` runs it first.
"""

import asyncio
import threading
from collections.abc import Callable, Coroutine
from typing import TypeVar

T = TypeVar("T")


class AsyncLoop:
    def __init__(self, name: str = "teams-loop") -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True, name=name)
        self._thread.start()
        self._at_stop: list[Callable[[], Coroutine[object, object, None]]] = []

    def run(self, coroutine: Coroutine[object, object, T], timeout: float | None = None) -> T:
        """Run `coroutine` on the loop and return its result (or raise its exception) in this thread."""
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout)

    def at_stop(self, close: Callable[[], Coroutine[object, object, None]]) -> None:
        """Have `stop` run `close()` on the loop before the loop stops (to close what lives on it)."""
        self._at_stop.append(close)

    def stop(self) -> None:
        for close in self._at_stop:
            self.run(close(), timeout=10)
        self._at_stop.clear()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
