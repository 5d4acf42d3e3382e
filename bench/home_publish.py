"""Benchmark: publishing a person's Home tab ("my tasks") when their view is stale: gathering the tasks,
rendering the view and views.publish to the fake Slack Web API on loopback, for a person with 50 tasks (40 open
cases assigned to them, 10 decision tasks of a released board meeting) and for a person with 1 task; the ratio is
printed. Then the same person's Home opened while the view is clean (read from home_view, nothing gathered).
Target: under 100 ms for 50 tasks. Each step runs `--repeat` times; p50 and p99 are printed. Prints figures;
asserts nothing.

    python bench/home_publish.py [--database-url URL] [--repeat 50]
"""

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.databases import Database  # noqa: E402
from bench.real_app import bench_runtime  # noqa: E402
from bot.config import load_config  # noqa: E402
from bot.config.model import Person  # noqa: E402
from bot.demo.fake_slack import FakeSlack  # noqa: E402
from bot.demo.workspace import workspace_for  # noqa: E402
from bot.home.cache import home_view, render_view  # noqa: E402
from bot.runtime import Runtime  # noqa: E402
from bot.slack.sender import SlackSender  # noqa: E402
from storage.board import BoardDecision, BoardDigestRelease  # noqa: E402
from storage.cases import CaseStatus, FeedbackCase  # noqa: E402
from storage.engine import session_scope  # noqa: E402
from storage.home import mark_dirty  # noqa: E402
from storage.platform import Platform  # noqa: E402

EXAMPLE = Path(__file__).resolve().parent.parent / "bot" / "demo" / "vmkf.yaml"
NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
TARGET_MS = 100.0
BUSY, QUIET = "it-chef", "specialist-chef"  # 50 tasks, 1 task
MEETING = "direktion-2027-02"


def seed(runtime: Runtime) -> None:
    """40 open cases and 10 decision tasks for BUSY, one open case for QUIET."""
    with session_scope(runtime.engine) as session:
        for serial in range(1, 42):
            owner, department = (BUSY, "it") if serial <= 40 else (QUIET, "specialist")
            session.add(FeedbackCase(number=f"VMKF 2027-{serial:04d}", year=2027, serial=serial, category="klagomal",
                                     department_id=department, description="Skrivaren", status=CaseStatus.TAKEN,
                                     assignee=owner, registered_at=NOW, take_due=NOW.date(),
                                     answer_due=date(2027, 3, 15)))  # fmt: skip
        for position in range(1, 11):
            session.add(BoardDecision(meeting_id=MEETING, position=position, title=f"Beslut {position}",
                                      summary="Genomförs", concerns_all=True, public=True, owner=BUSY,
                                      due=date(2027, 6, 30), created_by="sekreterare", created_at=NOW,
                                      updated_by="sekreterare", updated_at=NOW))  # fmt: skip
        session.add(BoardDigestRelease(meeting_id=MEETING, released_by="sekreterare", released_at=NOW))


def make_stale(runtime: Runtime, person: Person) -> None:
    """What a write that changes the person's tasks does (not timed: it is the write's cost)."""
    with session_scope(runtime.engine) as session:
        mark_dirty(session, [person.id])


def publish_stale(runtime: Runtime, publisher: SlackSender, person: Person) -> None:
    """What the tick does for one stale view: gather, render, store, views.publish."""
    with session_scope(runtime.engine) as session:
        parts = render_view(session, runtime.config, person, NOW)
    publisher.publish_home(person, parts, NOW)


def open_clean(runtime: Runtime, publisher: SlackSender, person: Person) -> None:
    """What opening the Home tab does while the view is clean: read it, views.publish."""
    publisher.publish_home(person, home_view(runtime.engine, runtime.config, person, NOW), NOW)


def timed(repeat: int, step: Callable[[], None], setup: Callable[[], None] = lambda: None) -> list[float]:
    setup()
    step()  # warm: imports, template compilation, the plan's day cache
    times = []
    for _ in range(repeat):
        setup()
        start = time.perf_counter()
        step()
        times.append((time.perf_counter() - start) * 1000)
    return sorted(times)


def p99(times: list[float]) -> float:
    return times[min(len(times) - 1, round(0.99 * (len(times) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="PostgreSQL URL (default: a temporary SQLite file)")
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    config = load_config(EXAMPLE)
    with Database(args.database_url) as url, FakeSlack(workspace_for(config)) as fake:
        runtime = bench_runtime(fake.url, url, config, str(EXAMPLE), NOW)
        seed(runtime)
        publisher = runtime.senders[Platform.SLACK]
        assert isinstance(publisher, SlackSender)
        busy, quiet = config.person(BUSY), config.person(QUIET)
        stale_busy = timed(
            args.repeat, lambda: publish_stale(runtime, publisher, busy), lambda: make_stale(runtime, busy)
        )
        stale_quiet = timed(
            args.repeat, lambda: publish_stale(runtime, publisher, quiet), lambda: make_stale(runtime, quiet)
        )
        clean_busy = timed(args.repeat, lambda: open_clean(runtime, publisher, busy))
        runtime.engine.dispose()
    print(f"database: {url.split(':')[0]}, {args.repeat} runs each")
    for name, times in (("stale, 50 tasks", stale_busy), ("stale, 1 task", stale_quiet),
                        ("clean, 50 tasks", clean_busy)):  # fmt: skip
        print(f"{name:16} p50 {statistics.median(times):6.1f} ms   p99 {p99(times):6.1f} ms")
    ratio = statistics.median(stale_busy) / statistics.median(stale_quiet)
    verdict = "under" if statistics.median(stale_busy) < TARGET_MS else "OVER"
    print(f"50 tasks / 1 task (p50): {ratio:.2f}x; target {TARGET_MS:.0f} ms: {verdict}")


if __name__ == "__main__":
    main()
