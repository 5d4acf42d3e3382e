"""One asyncio event loop in a daemon thread, for the Agents SDK's coroutines called from our threads.

The web server (waitress) and the scheduler's tick are threads; the SDK is asyncio. Each call hands its coroutine
to this loop and waits for the result, so the SDK's aiohttp sessions and caches live on one loop for the whole
process.
"""

import asyncio
import threading
from collections.abc import Coroutine
from typing import TypeVar

T = TypeVar("T")


class AsyncLoop:
    def __init__(self, name: str = "teams-loop") -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True, name=name)
        self._thread.start()

    def run(self, coroutine: Coroutine[object, object, T], timeout: float | None = None) -> T:
        """Run `coroutine` on the loop and return its result (or raise its exception) in this thread."""
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout)

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
