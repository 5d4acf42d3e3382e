"""Ack latency of /kommunikationsplan: our real app against a bare Bolt app that only acks, side by side.

Both apps run in this process behind waitress on 127.0.0.1 and talk to the fake Slack Web API; requests are
signed like Slack's and sent over HTTP in shuffled rounds, so machine noise hits every variant alike.

    python bench/ack_latency.py [--requests 500] [--warmup 50] [--json]
"""

import argparse
import json
import logging
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from slack_bolt import Ack, App  # noqa: E402
from slack_bolt.adapter.wsgi import SlackRequestHandler  # noqa: E402
from slack_sdk import WebClient  # noqa: E402

from bot.clock import FixedClock  # noqa: E402
from bot.config import load_config  # noqa: E402
from bot.demo.fake_slack import FakeSlack  # noqa: E402
from bot.demo.slack_requests import SlackRequester  # noqa: E402
from bot.demo.workspace import workspace_for  # noqa: E402
from bot.runtime import Runtime, web_client  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.slack_app import build_bolt_app, build_wsgi_app  # noqa: E402
from bot.tick import run_tick  # noqa: E402
from bot.web import BackgroundServer  # noqa: E402
from storage.engine import make_engine  # noqa: E402
from storage.migrate import upgrade  # noqa: E402

EXAMPLE = ROOT / "bot" / "demo" / "vmkf.yaml"
SIGNING_SECRET = "bench-signing-secret"
COMMAND = "/kommunikationsplan"
DIRECTOR = "U0VMKF0001"
NOW = datetime(2027, 2, 1, 9, 0, tzinfo=ZoneInfo("Europe/Stockholm"))
RATIO_TARGET = 2.0
ABSOLUTE_TARGET_MS = 100.0

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


def percentile(samples: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(samples)
    rank = max(1, min(len(ordered), round(fraction * len(ordered) + 0.5)))
    return ordered[rank - 1]


def summary(samples: list[float]) -> dict:
    return {
        "n": len(samples),
        "p50_ms": percentile(samples, 0.50),
        "p99_ms": percentile(samples, 0.99),
        "mean_ms": statistics.fmean(samples),
        "max_ms": max(samples),
    }


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


def report(results: dict, args: argparse.Namespace, seeded: int) -> dict:
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
        "requests_per_variant": args.requests,
        "warmup_per_variant": args.warmup,
        "outbox_rows_seeded": seeded,
        "targets": {"p99_ratio_max": RATIO_TARGET, "p99_ms_max": ABSOLUTE_TARGET_MS},
        "rows": rows,
    }


def print_table(result: dict) -> None:
    print(
        f"Ack latency over HTTP on 127.0.0.1: {result['requests_per_variant']} requests per variant "
        f"after {result['warmup_per_variant']} warm-up, shuffled rounds; {result['outbox_rows_seeded']} outbox rows "
        "in the database"
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
    print()
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=500, help="measured requests per variant (default 500)")
    parser.add_argument("--warmup", type=int, default=50, help="unmeasured requests per variant first (default 50)")
    parser.add_argument("--seed", type=int, default=1, help="seed for the order within each round")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)

    config = load_config(EXAMPLE)
    with tempfile.TemporaryDirectory(prefix="samverkan-bench-") as tmp, FakeSlack(workspace_for(config)) as fake:
        database_url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        engine = make_engine(database_url)
        upgrade(engine)
        settings = Settings(
            slack_bot_token="xoxb-bench",
            slack_signing_secret=SIGNING_SECRET,
            slack_app_token=None,
            slack_api_url=fake.url,
            database_url=database_url,
            config_path=str(EXAMPLE),
        )
        runtime = Runtime(
            settings=settings,
            config=config,
            engine=engine,
            clock=FixedClock(NOW),
            client=web_client(settings, for_sender=False),
            sender_client=web_client(settings, for_sender=True),
        )
        # A realistic outbox for `status`: whatever the plan has due on this morning, sent through the fake.
        tick = run_tick(engine, runtime.sender_client, config, NOW)
        seeded = len(tick.send.sent) + len(tick.send.failed) + len(tick.send.deferred)

        ours = BackgroundServer(build_wsgi_app(build_bolt_app(runtime), runtime)).start()
        bare_app = bare_bolt_app(WebClient(token="xoxb-bench", base_url=fake.url))
        bare = BackgroundServer(SlackRequestHandler(bare_app)).start()
        try:
            requesters = {
                "ours": SlackRequester(ours.url, SIGNING_SECRET, response_url=fake.response_url, clock=runtime.clock),
                "bare": SlackRequester(bare.url, SIGNING_SECRET, response_url=fake.response_url),
            }
            results = measure(requesters, args.requests, args.warmup, args.seed)
        finally:
            ours.stop()
            bare.stop()
            engine.dispose()
    result = report(results, args, seeded)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_table(result)


if __name__ == "__main__":
    main()
