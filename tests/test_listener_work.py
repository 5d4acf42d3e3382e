"""Work after the answer (bot/listener_work.py): work submitted while held is pending at once, and starts only
when its answer is reported written."""

import asyncio
import threading

from bot.listener_work import ListenerWork, held_until


def test_held_work_is_pending_at_once_and_starts_when_released() -> None:
    work = ListenerWork(workers=2)
    started = threading.Event()
    released = threading.Event()

    async def turn() -> None:
        await asyncio.to_thread(work.submit, started.set)  # from a thread the turn started, as a handler does

    try:
        asyncio.run(held_until(released, turn()))
        assert not work.idle(timeout=0.05)  # pending: idle() waits for it
        assert not started.is_set()
        released.set()
        assert work.idle(timeout=5)
        assert started.is_set()
    finally:
        work.shutdown()


def test_work_submitted_outside_a_hold_starts_at_once() -> None:
    work = ListenerWork(workers=1)
    started = threading.Event()
    try:
        work.submit(started.set)
        assert work.idle(timeout=5)
        assert started.is_set()
    finally:
        work.shutdown()
