"""Fan-out: one plan item sent as a DM to 1,000 people through the real tick, against a fake Slack that limits
and fails the way Slack does.

The fake Slack allows one message per channel per second and, across the workspace, a burst then a steady rate
of chat.postMessage (429 with Retry-After beyond it, nothing posted); it answers a scripted run of 429s, and for
some recipients it posts the message and then answers 500 or drops the connection (the sender cannot know
whether the message went out). The scheduler's real path (bot.tick.run_tick: enqueue, claim, post, record) runs
in a loop with a clock that follows real time and jumps ahead to the earliest retry when nothing is due; the
fake takes its time from the same clock. Afterwards the fake's record is checked for duplicates (a recipient
with more than one message) and losses (a recipient with none).

    python bench/fanout.py [--recipients 1000] [--workspace-rate 10] [--workspace-burst 20]
        [--fail-after-posting 20] [--drop-after-posting 20] [--database-url URL] [--time-limit 300] [--json]
"""

import argparse
import json
import logging
import random
import sys
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

import storage.tables  # noqa: E402, F401
from bench.databases import Database  # noqa: E402
from bench.real_app import bench_settings  # noqa: E402
from bench.scale_support import config_text  # noqa: E402
from bot.config import AssociationConfig, parse_config  # noqa: E402
from bot.demo.fake_slack import DROPPED, FakeSlack  # noqa: E402
from bot.demo.workspace import workspace_for  # noqa: E402
from bot.slack.client import web_client  # noqa: E402
from bot.slack.sender import slack_senders  # noqa: E402
from bot.tick import run_tick  # noqa: E402
from storage.engine import make_engine, session_scope  # noqa: E402
from storage.outbox import Delivery, DeliveryStatus  # noqa: E402

STOCKHOLM = ZoneInfo("Europe/Stockholm")
START = datetime(2027, 2, 1, 9, 0, tzinfo=STOCKHOLM)  # a Monday; the item is due at 08:30 the same day
FINAL = {DeliveryStatus.SENT, DeliveryStatus.FAILED, DeliveryStatus.MISSED}


class RealTimeClock:
    """Virtual time that starts at START, follows the wall clock, and can be moved ahead (never back)."""

    def __init__(self, start: datetime):
        self.start = start
        self.began = time.monotonic()
        self.skipped = timedelta()

    def now(self) -> datetime:
        return self.start + timedelta(seconds=time.monotonic() - self.began) + self.skipped

    def jump_to(self, when: datetime) -> None:
        gap = when - self.now()
        if gap > timedelta():
            self.skipped += gap


def earliest_pending(engine) -> datetime | None:
    with session_scope(engine) as session:
        return session.scalar(
            select(func.min(Delivery.next_attempt_at)).where(Delivery.status == DeliveryStatus.PENDING)
        )


def unfinished(engine) -> int:
    with session_scope(engine) as session:
        return session.scalar(select(func.count()).select_from(Delivery).where(Delivery.status.not_in(FINAL))) or 0


def total_rows(engine) -> int:
    with session_scope(engine) as session:
        return session.scalar(select(func.count()).select_from(Delivery)) or 0


def rows_by_status(engine) -> dict[str, int]:
    with session_scope(engine) as session:
        result = session.execute(
            select(Delivery.source, Delivery.status, func.count()).group_by(Delivery.source, Delivery.status)
        )
        return {f"{source}/{status}": count for source, status, count in sorted(result)}


def drive(
    engine, client, config: AssociationConfig, clock: RealTimeClock, time_limit: float, tick_seconds: float
) -> dict:
    """Tick until no row is pending or sending, or the time limit passes: back to back, or with
    `tick_seconds`, one tick every that many seconds of the clock (the scheduler's cadence), jumping over the
    wait."""
    began = time.perf_counter()
    started_at = clock.now()
    ticks = deferred = 0
    first_tick = None
    finished = False
    while time.perf_counter() - began < time_limit:
        tick_started = time.perf_counter()
        tick_at = clock.now()
        report = run_tick(engine, slack_senders(engine, client), config, tick_at)
        ticks += 1
        if first_tick is None:
            first_tick = {
                "seconds": time.perf_counter() - tick_started,
                "rows_reported_queued": sum(getattr(produced, "rows", 0) for produced in report.queued),
                "rows_in_outbox": total_rows(engine),
                "sent": len(report.send.sent),
            }
        deferred += report.send.rate_limited
        if unfinished(engine) == 0:
            finished = True
            break
        claimed = report.send.sent or report.send.deferred or report.send.failed or report.send.recovered
        if tick_seconds:
            clock.jump_to(tick_at + timedelta(seconds=tick_seconds))
        elif not claimed:
            upcoming = earliest_pending(engine)
            if upcoming is not None:
                clock.jump_to(upcoming)
    return {
        "wall_seconds": time.perf_counter() - began,
        "finished": finished,
        "ticks": ticks,
        "first_tick": first_tick,
        "rows_deferred_for_rate_limit": deferred,
        "virtual_seconds_skipped": clock.skipped.total_seconds(),
        "clock_seconds_to_finish": (clock.now() - started_at).total_seconds(),
        "tick_seconds": tick_seconds,
    }


def script_failures_after_posting(fake: FakeSlack, config: AssociationConfig, args: argparse.Namespace) -> None:
    """Pick recipients at random (seeded) whose first post is stored and then answered 500, or dropped."""
    recipients = [config.person(person_id).slack_id for person_id in config.forum("alla").members]
    count = min(len(recipients), args.fail_after_posting + args.drop_after_posting)
    chosen = random.Random(args.seed).sample(recipients, count)
    for n, slack_id in enumerate(chosen):
        fake.fail_after_acting("chat.postMessage", channel=slack_id, drop=n >= args.fail_after_posting)


def audit(fake: FakeSlack, config: AssociationConfig) -> dict:
    """Sends, 429s, failures after posting, duplicates and losses, from the fake Slack's own record."""
    posts = [call for call in fake.calls if call.method == "chat.postMessage"]
    acted = fake.acted_but_failed("chat.postMessage")
    delivery_ids = Counter()
    per_channel = Counter()
    for message in fake.posted():
        metadata = message.get("metadata") or {}
        payload = metadata.get("event_payload") or {} if isinstance(metadata, dict) else {}
        delivery_ids[payload.get("delivery_id")] += 1
        per_channel[message["channel"]] += 1
    forum_people = [config.person(person_id) for person_id in config.forum("alla").members]
    lost = [person.slack_id for person in forum_people if per_channel[fake.dm_channel(person.slack_id)] == 0]
    twice = [person.slack_id for person in forum_people if per_channel[fake.dm_channel(person.slack_id)] > 1]
    return {
        "sends": sum(1 for call in posts if call.status == 200),
        "answered_429": sum(1 for call in posts if call.status == 429),
        "posted_then_500": sum(1 for call in acted if call.status == 500),
        "posted_then_dropped": sum(1 for call in acted if call.status == DROPPED),
        "other_errors": sum(1 for call in posts if call.status not in (200, 429) and not call.acted),
        "history_checks": sum(1 for call in fake.calls if call.method == "conversations.history"),
        "recipients_with_more_than_one_message": len(twice),
        "duplicate_examples": twice[:5],
        "duplicates": sum(count - 1 for delivery_id, count in delivery_ids.items() if count > 1),
        "messages_without_delivery_id": delivery_ids.get(None, 0),
        "channels_with_more_than_one_message": sum(1 for count in per_channel.values() if count > 1),
        "losses": len(lost),
        "lost_examples": lost[:5],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--recipients", type=int, default=1000, help="people in the forum (default 1000)")
    parser.add_argument("--database-url", help="default: a temp SQLite file; a PostgreSQL URL gets its own database")
    parser.add_argument("--rate-limited", type=int, default=50, help="scripted 429 answers (default 50)")
    parser.add_argument(
        "--workspace-rate", type=float, default=10.0, help="workspace-wide posts per second (default 10)"
    )
    parser.add_argument("--workspace-burst", type=int, default=20, help="workspace-wide burst (default 20)")
    for outcome, then in (("fail", "500"), ("drop", "the connection drops")):
        parser.add_argument(
            f"--{outcome}-after-posting",
            type=int,
            default=20,
            help=f"recipients whose post is stored, then {then} (default 20)",
        )
    parser.add_argument("--seed", type=int, default=1, help="seed for choosing those recipients")
    parser.add_argument(
        "--tick-seconds",
        type=float,
        default=0.0,
        help="tick every this many seconds of virtual time, as the scheduler does (30); default: back to back",
    )
    parser.add_argument("--time-limit", type=float, default=300.0, help="give up after this many seconds")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)

    config = parse_config(config_text(args.recipients), "<fanout bench>")
    clock = RealTimeClock(START)
    with Database(args.database_url) as url, FakeSlack(workspace_for(config), per_channel_rate=1.0) as fake:
        fake.use_clock(lambda: clock.now().timestamp())
        if args.workspace_rate:
            fake.limit_workspace(args.workspace_rate, args.workspace_burst)
        script_failures_after_posting(fake, config, args)
        if args.rate_limited:
            fake.fail_next("chat.postMessage", status=429, error="ratelimited", retry_after=1, times=args.rate_limited)
        settings = bench_settings(fake.url, url, "<fanout bench>")
        engine = make_engine(url)
        try:
            run = drive(
                engine, web_client(settings, for_sender=True), config, clock, args.time_limit, args.tick_seconds
            )
            statuses = rows_by_status(engine)
        finally:
            engine.dispose()
        found = audit(fake, config)
    result = {
        "database": make_url(url).get_backend_name(),
        "recipients": args.recipients,
        "workspace_limit": f"{args.workspace_rate:g}/s, burst {args.workspace_burst}"
        if args.workspace_rate
        else "none",
        **run,
        **found,
        "sends_per_second": found["sends"] / run["wall_seconds"] if run["wall_seconds"] else 0.0,
        "rows_by_status": statuses,
        "target_met": found["duplicates"] == 0
        and found["recipients_with_more_than_one_message"] == 0
        and found["losses"] == 0
        and run["finished"],
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_report(result, args.time_limit)


def print_report(r: dict, time_limit: float) -> None:
    print(
        f"Fan-out: 1 DM plan item to {r['recipients']} recipients, {r['database']}; fake Slack at 1 msg/channel/s, "
        f"workspace {r['workspace_limit']}"
    )
    first = r["first_tick"] or {}
    print(
        f"  wall time            {r['wall_seconds']:.2f} s in {r['ticks']} ticks"
        + ("" if r["finished"] else f"  (STOPPED at the {time_limit:g} s limit with rows unfinished)")
    )
    print(
        f"  first tick           {first.get('seconds', 0):.2f} s "
        f"({first.get('rows_in_outbox', 0)} rows in the outbox, "
        f"enqueue reported {first.get('rows_reported_queued', 0)}; {first.get('sent', 0)} sent)"
    )
    cadence = f"a tick every {r['tick_seconds']:g} s" if r["tick_seconds"] else "ticks back to back"
    print(
        f"  clock time to finish {r['clock_seconds_to_finish']:.1f} s ({cadence}; "
        f"{r['virtual_seconds_skipped']:.1f} s of it jumped over)"
    )
    print(f"  sends                {r['sends']} successful chat.postMessage")
    print(f"  sends/second         {r['sends_per_second']:.1f}")
    print(
        f"  retries (429s)       {r['answered_429']} answered 429 "
        f"({r['answered_429'] / max(r['ticks'], 1):.1f} a tick), "
        f"{r['rows_deferred_for_rate_limit']} rows deferred"
    )
    print(
        f"  posted, then failed  {r['posted_then_500']} answered 500, {r['posted_then_dropped']} connection dropped; "
        f"{r['history_checks']} conversations.history checks"
    )
    print(f"  other errors         {r['other_errors']}")
    print(f"  duplicates           {r['duplicates']} (same delivery_id posted more than once)")
    print(
        f"  recipients with >1   {r['recipients_with_more_than_one_message']} {r['duplicate_examples'] or ''}".rstrip()
    )
    print(f"  channels with >1 msg {r['channels_with_more_than_one_message']}")
    print(f"  losses               {r['losses']} recipients with no message {r['lost_examples'] or ''}".rstrip())
    print("  rows by final status " + ", ".join(f"{key}: {count}" for key, count in r["rows_by_status"].items()))
    verdict = "met" if r["target_met"] else "MISSED"
    print(f"Target (zero duplicates, zero losses, all rows final): {verdict}")


if __name__ == "__main__":
    main()
