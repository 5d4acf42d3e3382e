"""APScheduler 3 drives only the tick; what is due lives in database rows, never in a shared job store."""

import logging

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

from bot.runtime import Runtime
from bot.tick import run_tick

log = logging.getLogger(__name__)
TICK_SECONDS = 30


def _tick(runtime: Runtime) -> None:
    try:
        report = run_tick(runtime.engine, runtime.senders, runtime.config, runtime.clock.now())
    except Exception:
        log.exception("scheduler tick failed; the next tick will try again")
        return
    if report.send.sent or report.send.failed:
        log.info("tick: %d sent, %d failed", len(report.send.sent), len(report.send.failed))


def _add_tick(scheduler, runtime: Runtime) -> None:
    scheduler.add_job(
        _tick,
        "interval",
        seconds=TICK_SECONDS,
        args=[runtime],
        id="tick",
        max_instances=1,
        coalesce=True,
        next_run_time=runtime.clock.now(),
    )


def start_background(runtime: Runtime) -> BackgroundScheduler:
    """The tick in a background thread beside the web server."""
    scheduler = BackgroundScheduler(timezone="UTC")
    _add_tick(scheduler, runtime)
    scheduler.start()
    return scheduler


def run_forever(runtime: Runtime) -> None:
    """The tick alone, in the foreground (the Procfile's clock process)."""
    scheduler = BlockingScheduler(timezone="UTC")
    _add_tick(scheduler, runtime)
    log.info("clock started: ticking every %d s", TICK_SECONDS)
    scheduler.start()
