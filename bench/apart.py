"""A server in a process of its own, for the ack benchmarks.

Our app answers and then goes on working in its interpreter (a case's receipt and triage post, Bolt's listener
after the ack). A baseline served by the same interpreter would wait for the GIL behind that work, and so would
the benchmark's client timing the baseline: either way its slower answers would flatter our ratio. Each server
under test runs in a process of its own, as in production, and the client alone in the benchmark's. The process
is spawned (not forked from a process that already runs threads); at the end of the block the server is stopped
(`stop()`: ours finishes its work after the answers first) and the process ends.
"""

import multiprocessing
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection
from typing import Protocol

START_TIMEOUT = 60.0  # seconds: a spawned process imports the SDK before it serves
STOP_TIMEOUT = 180.0  # seconds: ours sends what its last requests queued before it stops


class Served(Protocol):
    """A started server: where it listens, and how it stops."""

    url: str

    def stop(self) -> None: ...


def _serve(start: Callable[..., Served], args: tuple[object, ...], parent: Connection) -> None:
    server = start(*args)
    parent.send(server.url)
    try:
        parent.recv()  # it serves (in the server's own thread) until the benchmark closes its end
    except EOFError:
        pass
    server.stop()


@contextmanager
def served_apart(start: Callable[..., Served], *args: object) -> Iterator[str]:
    """`start(*args)` (a module-level function starting a server in a background thread) run in a spawned process;
    yields the server's URL. Leaving the block stops the server and waits for its process to end."""
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    process = context.Process(target=_serve, args=(start, args, theirs), daemon=True, name=start.__name__)
    process.start()
    try:
        if not ours.poll(START_TIMEOUT):
            raise RuntimeError(f"the baseline server did not start within {START_TIMEOUT:g} s")
        yield ours.recv()
    finally:
        ours.close()
        process.join(timeout=STOP_TIMEOUT)
        if process.is_alive():
            process.terminate()
            process.join(timeout=5)
