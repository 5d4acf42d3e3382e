"""Ack latency of /kommunikationsplan: our real app against a bare Bolt app that only acks, side by side.

Two cases in one run: the example association (8 plan items) and a 200-item plan, each with a year of outbox
rows in the database (1,100 rows per item a year: about 220,000 rows for 200 items, mostly sent, some failed
or missed, and the owners' failure reports), seeded with bulk inserts in chunks. Both apps run behind waitress on
127.0.0.1 and talk to the fake Slack Web API (served by this process), each app in a process of its own
(bench/apart.py: our work after the ack slows neither the bare app nor this process, which only times the
requests); requests are signed like Slack's and sent over HTTP in shuffled rounds, so machine noise hits every
variant alike.

    python bench/ack_latency.py [--requests 200] [--warmup 20] [--database-url URL] [--json]
"""

import argparse
import json
import logging
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from slack_bolt import Ack, App  # noqa: E402
from slack_bolt.adapter.wsgi import SlackRequestHandler  # noqa: E402
from slack_sdk import WebClient  # noqa: E402
from sqlalchemy import Engine, func, insert, select  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench.apart import served_apart  # noqa: E402
from bench.databases import Database  # noqa: E402
from bench.latency import summary  # noqa: E402
from bench.real_app import SIGNING_SECRET, bench_runtime, serve  # noqa: E402
from bot.clock import FixedClock  # noqa: E402
from bot.config import AssociationConfig, load_config  # noqa: E402
from bot.demo.fake_slack import FakeSlack  # noqa: E402
from bot.demo.slack_requests import SlackRequester  # noqa: E402
from bot.demo.workspace import workspace_for  # noqa: E402
from bot.heap import freeze_startup_objects  # noqa: E402
from bot.tick import run_tick  # noqa: E402
from bot.web import BackgroundServer  # noqa: E402
from storage.engine import make_engine, session_scope  # noqa: E402
from storage.migrate import prepare_schema  # noqa: E402
from storage.outbox import Delivery  # noqa: E402

EXAMPLE = ROOT / "bot" / "demo" / "vmkf.yaml"
COMMAND = "/kommunikationsplan"
DIRECTOR = "U0VMKF0001"
NOW = datetime(2027, 2, 1, 9, 0, tzinfo=ZoneInfo("Europe/Stockholm"))
RATIO_TARGET = 2.0
ABSOLUTE_TARGET_MS = 100.0
BIG_PLAN_ITEMS = 200
ROWS_PER_ITEM_A_YEAR = 1_100  # 220,000 a year for 200 items, as the issue counts them
RECIPIENTS_PER_OCCURRENCE = 50
CHUNK = 5_000

# (row label, which app, command text, user id)
VARIANTS = [
    ("bare Bolt (ack only)", "bare", "", DIRECTOR),
    ("ours: /kommunikationsplan", "ours", "", DIRECTOR),
    ("ours: /kommunikationsplan it", "ours", "it", DIRECTOR),
    ("ours: /kommunikationsplan status", "ours", "status", DIRECTOR),
]


def bare_bolt_app(client: WebClient) -> App:
    """The baseline: Bolt with the same signing secret and a listener that only acks."""
    app = App(signing_secret=SIGNING_SECRET, client=client, token_verification_enabled=False)

    @app.command(COMMAND)
    def only_ack(ack: Ack) -> None:
        ack()

    return app


def serve_bare_bolt(fake_url: str) -> BackgroundServer:
    """The bare app served (run in a process of its own by served_apart)."""
    client = WebClient(token="xoxb-bench", base_url=fake_url)
    return BackgroundServer(SlackRequestHandler(bare_bolt_app(client))).start()


def timed(requester: SlackRequester, text: str, user: str) -> tuple[float, int]:
    started = time.perf_counter()
    answer = requester.command(COMMAND, text=text, user_id=user)
    return (time.perf_counter() - started) * 1000, answer.status


def measure(requesters: dict[str, SlackRequester], rounds: int, warmup: int, seed: int) -> dict[str, list[float]]:
    """`warmup` unrecorded rounds, then `rounds` recorded ones; each round sends every variant once, shuffled."""
    rng = random.Random(seed)
    samples: dict[str, list[float]] = {label: [] for label, *_ in VARIANTS}
    errors: dict[str, int] = {label: 0 for label, *_ in VARIANTS}
    for round_index in range(warmup + rounds):
        order = list(VARIANTS)
        rng.shuffle(order)
        for label, app, text, user in order:
            elapsed, status = timed(requesters[app], text, user)
            if status != 200:
                errors[label] += 1
            if round_index >= warmup:
                samples[label].append(elapsed)
    return {"samples": samples, "errors": errors}


def grown_plan(config: AssociationConfig, items: int) -> AssociationConfig:
    """The example association with its plan repeated (ids suffixed) until it has `items` items."""
    data = config.model_dump(mode="json", exclude_none=True)
    originals = data["plan"]
    data["plan"] = [
        {**originals[n % len(originals)], "id": f"{originals[n % len(originals)]['id']}-{n // len(originals)}"}
        for n in range(items)
    ]
    return AssociationConfig.model_validate(data)


def year_of_rows(config: AssociationConfig, now: datetime):
    """A year of outbox rows before `now`, ROWS_PER_ITEM_A_YEAR per plan item, in chunks of CHUNK rows.

    Occurrences are spread evenly over the year, RECIPIENTS_PER_OCCURRENCE rows each; one row in a hundred
    failed (with its owner's failure report), one in two hundred missed."""
    start = now.astimezone(UTC) - timedelta(days=365)
    occurrences = ROWS_PER_ITEM_A_YEAR // RECIPIENTS_PER_OCCURRENCE
    chunk: list[dict] = []
    n = 0
    for item_index, item in enumerate(config.plan):
        for occurrence in range(occurrences):
            offset = (occurrence * len(config.plan) + item_index) / (occurrences * len(config.plan))
            due = start + timedelta(days=365 * offset)
            for recipient in range(RECIPIENTS_PER_OCCURRENCE):
                n += 1
                status = "failed" if n % 100 == 0 else "missed" if n % 200 == 1 else "sent"
                sent = status == "sent"
                base = {
                    "item_id": item.id,
                    "occurrence_key": f"{due:%Y-%m-%dT%H:%M}",
                    "part": 0,
                    "due_at": due,
                    "text": f"{item.title}: meddelande {n}",
                    "owner": item.owner,
                    "attempts": 1,
                    "next_attempt_at": due,
                    "created_at": due,
                    "check_before_post": False,
                }
                chunk.append(
                    {
                        **base,
                        "source": "plan",
                        "recipient": f"person:bench-{recipient}",
                        "address": f"U{2_000_000 + recipient}",
                        "status": status,
                        "posted_conversation": f"D{2_000_000 + recipient}" if sent else None,
                        "posted_id": f"{due.timestamp() + 2:.6f}" if sent else None,
                        "sent_at": due + timedelta(seconds=2) if sent else None,
                        "error": None if sent else ("channel_not_found" if status == "failed" else None),
                    }
                )
                if status == "failed":
                    chunk.append(
                        {
                            **base,
                            "source": "failure-report",
                            "recipient": f"person:{item.owner}",
                            "occurrence_key": f"{base['occurrence_key']}/{n}",
                            "address": "U0VMKF0001",
                            "status": "sent",
                            "posted_conversation": "D0VMKF0001",
                            "posted_id": f"{due.timestamp() + 5:.6f}",
                            "sent_at": due + timedelta(seconds=5),
                            "error": None,
                        }
                    )
                if len(chunk) >= CHUNK:
                    yield chunk
                    chunk = []
    if chunk:
        yield chunk


def seed(engine: Engine, config: AssociationConfig, now: datetime) -> tuple[int, float]:
    """Insert a year of rows, chunk by chunk (one transaction each); (rows in the outbox, seconds taken)."""
    started = time.perf_counter()
    for chunk in year_of_rows(config, now):
        with session_scope(engine) as session:
            session.execute(insert(Delivery.__table__), chunk)
    with session_scope(engine) as session:
        rows = session.scalar(select(func.count()).select_from(Delivery)) or 0
    return rows, time.perf_counter() - started


def report(results: dict, args: argparse.Namespace, case: dict) -> dict:
    stats = {label: summary(samples) for label, samples in results["samples"].items()}
    bare = stats[VARIANTS[0][0]]
    rows = []
    for label, app, *_ in VARIANTS:
        row = {"variant": label, **stats[label], "http_errors": results["errors"][label]}
        if app == "ours":
            row["ratio_p50"] = row["p50_ms"] / bare["p50_ms"]
            row["ratio_p99"] = row["p99_ms"] / bare["p99_ms"]
            row["target_ratio_met"] = row["ratio_p99"] <= RATIO_TARGET
            row["target_100ms_met"] = row["p99_ms"] < ABSOLUTE_TARGET_MS
        rows.append(row)
    return {
        **case,
        "requests_per_variant": args.requests,
        "warmup_per_variant": args.warmup,
        "targets": {"p99_ratio_max": RATIO_TARGET, "p99_ms_max": ABSOLUTE_TARGET_MS},
        "rows": rows,
    }


def print_table(result: dict) -> None:
    print(
        f"{result['case']}: {result['plan_items']} plan items, {result['outbox_rows']} outbox rows "
        f"({result['sent_rows']} sent; seeded in {result['seed_seconds']:.1f} s), {result['database']}"
    )
    print(
        f"Ack latency over HTTP on 127.0.0.1: {result['requests_per_variant']} requests per variant "
        f"after {result['warmup_per_variant']} warm-up, shuffled rounds"
    )
    header = f"{'variant':34} {'p50 ms':>8} {'p99 ms':>8} {'mean ms':>8} {'max ms':>8} {'p50 x':>7} {'p99 x':>7}  errs"
    print(header)
    print("-" * len(header))
    for row in result["rows"]:
        ratios = f"{row['ratio_p50']:>7.2f} {row['ratio_p99']:>7.2f}" if "ratio_p50" in row else f"{'':>7} {'':>7}"
        print(
            f"{row['variant']:34} {row['p50_ms']:>8.2f} {row['p99_ms']:>8.2f} {row['mean_ms']:>8.2f} "
            f"{row['max_ms']:>8.2f} {ratios}  {row['http_errors']:>4}"
        )
    print(f"Targets: our p99 <= {RATIO_TARGET:g}x the bare app's p99, and < {ABSOLUTE_TARGET_MS:g} ms")
    for row in result["rows"]:
        if "ratio_p99" not in row:
            continue
        ratio = "met" if row["target_ratio_met"] else "MISSED"
        absolute = "met" if row["target_100ms_met"] else "MISSED"
        print(
            f"  {row['variant']:34} p99 ratio {row['ratio_p99']:.2f}x: {ratio:6}  "
            f"p99 {row['p99_ms']:.2f} ms: {absolute}"
        )
    print()


class OurServer:
    """Our real Bolt app for a plan of `plan_items` items on the fake Slack at `fake_url`, behind waitress (run in a
    process of its own by served_apart), started as `samverkan serve` starts it, after a tick has sent what the
    plan has due this morning."""

    def __init__(self, fake_url: str, database_url: str, plan_items: int) -> None:
        self._runtime = bench_runtime(fake_url, database_url, plan(plan_items), str(EXAMPLE), NOW)
        run_tick(self._runtime.engine, self._runtime.senders, self._runtime.config, NOW)
        self._server = serve(self._runtime)
        self.url = self._server.url
        freeze_startup_objects()

    def stop(self) -> None:
        self._server.app.listener_work.idle(timeout=120)  # the listeners' replies, before the fake Slack stops
        self._server.stop()
        self._runtime.engine.dispose()


def serve_ours(fake_url: str, database_url: str, plan_items: int) -> OurServer:
    """Our app served (run in a process of its own by served_apart)."""
    return OurServer(fake_url, database_url, plan_items)


def plan(items: int) -> AssociationConfig:
    """The example association, its plan grown to `items` items when it has fewer."""
    example = load_config(EXAMPLE)
    return example if items <= len(example.plan) else grown_plan(example, items)


def run_case(label: str, plan_items: int, args: argparse.Namespace, fake: FakeSlack, bare_url: str) -> dict:
    """Seed a database for a plan of `plan_items` items, serve our app on it, and measure it against the bare
    app."""
    config = plan(plan_items)
    with Database(args.database_url) as database_url:
        engine = make_engine(database_url)
        try:
            prepare_schema(engine)
            rows, seconds = seed(engine, config, NOW)
            with served_apart(serve_ours, fake.url, database_url, plan_items) as ours_url:
                requesters = {
                    "ours": SlackRequester(
                        ours_url, SIGNING_SECRET, response_url=fake.response_url, clock=FixedClock(NOW)
                    ),
                    "bare": SlackRequester(bare_url, SIGNING_SECRET, response_url=fake.response_url),
                }
                with session_scope(engine) as session:  # the morning's tick has run in our process
                    outbox_rows = session.scalar(select(func.count()).select_from(Delivery)) or 0
                    sent_rows = session.scalar(select(func.count()).where(Delivery.status == "sent")) or 0
                results = measure(requesters, args.requests, args.warmup, args.seed)
        finally:
            engine.dispose()
    case = {
        "case": label,
        "plan_items": len(config.plan),
        "database": make_url(database_url).get_backend_name(),
        "outbox_rows": outbox_rows,
        "sent_rows": sent_rows,
        "seed_seconds": seconds,
        "rows_seeded": rows,
    }
    return report(results, args, case)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=200, help="measured requests per variant (default 200)")
    parser.add_argument("--warmup", type=int, default=20, help="unmeasured requests per variant first (default 20)")
    parser.add_argument("--seed", type=int, default=1, help="seed for the order within each round")
    parser.add_argument("--database-url", help="default: a temp SQLite file; a PostgreSQL URL gets its own database")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)

    example = load_config(EXAMPLE)
    cases = [
        (f"Example plan ({len(example.plan)} items), a year of rows", len(example.plan)),
        (f"{BIG_PLAN_ITEMS}-item plan, a year of rows", BIG_PLAN_ITEMS),
    ]
    results = []
    with FakeSlack(workspace_for(example)) as fake, served_apart(serve_bare_bolt, fake.url) as bare_url:
        for label, plan_items in cases:
            result = run_case(label, plan_items, args, fake, bare_url)
            results.append(result)
            if not args.json:
                print_table(result)
    if args.json:
        print(json.dumps(results, indent=2, default=str))


if __name__ == "__main__":
    main()
