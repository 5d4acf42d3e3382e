"""A baseline server in a process of its own, for the ack benchmarks.

Our app answers and then goes on working in its interpreter (a case's receipt and triage post, Bolt's listener
after the ack). A baseline served by the same interpreter would wait for the GIL behind that work, and its slower
answers would flatter our ratio; in a process of its own it is measured as it runs alone. The process is spawned
(not forked from a process that already runs threads) and ends with the block.
"""

import multiprocessing
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection
from typing import Protocol

START_TIMEOUT = 60.0  # seconds: a spawned process imports the SDK before it serves


class Served(Protocol):
    """A started server: where it listens."""

    url: str


def _serve(start: Callable[..., Served], args: tuple[object, ...], parent: Connection) -> None:
    server = start(*args)
    parent.send(server.url)
    try:
        parent.recv()  # it serves (in the server's own thread) until the benchmark closes its end
    except EOFError:
        pass


@contextmanager
def served_apart(start: Callable[..., Served], *args: object) -> Iterator[str]:
    """`start(*args)` (a module-level function starting a server in a background thread) run in a spawned process;
    yields the server's URL."""
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    process = context.Process(target=_serve, args=(start, args, theirs), daemon=True, name="baseline")
    process.start()
    try:
        if not ours.poll(START_TIMEOUT):
            raise RuntimeError(f"the baseline server did not start within {START_TIMEOUT:g} s")
        yield ours.recv()
    finally:
        ours.close()
        process.terminate()
        process.join(timeout=5)
