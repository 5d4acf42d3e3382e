"""A complaint submitted in Slack while a 20,000-row tick writes on SQLite: each submission's latency, idle and busy.

The real app runs behind waitress on 127.0.0.1 against the fake Slack Web API; signed view_submission requests of
the /synpunkt form go to it over HTTP, first with nothing else running (idle), then one after another while a
thread runs the tick's producers (bot.tick.queue_due_work) for one plan item that is a DM to 20,000 people.
Slack shows the user an error when an answer takes more than 3 s.

    python bench/tick_contention.py [--recipients 20000] [--idle 6] [--json]
"""

import argparse
import json
import logging
import statistics
import sys
import threading
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.databases import Database  # noqa: E402
from bench.real_app import SIGNING_SECRET, bench_runtime, serve  # noqa: E402
from bot.config import AssociationConfig, parse_config  # noqa: E402
from bot.demo.fake_slack import FakeSlack  # noqa: E402
from bot.demo.slack_requests import SlackRequester  # noqa: E402
from bot.demo.workspace import workspace_for  # noqa: E402
from bot.tick import queue_due_work  # noqa: E402
from tests.cases_support import REPORTER, report_submission  # noqa: E402

EXAMPLE = ROOT / "bot" / "demo" / "vmkf.yaml"
NOW = datetime(2027, 2, 1, 9, 0, tzinfo=ZoneInfo("Europe/Stockholm"))  # a Monday; the big item is due 08:45
SLACK_LIMIT_MS = 3000.0


def config_with_everyone(recipients: int) -> AssociationConfig:
    """The example association plus `recipients` employees in one forum and a DM to all of them this morning."""
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    ids = [f"employee-{n:05d}" for n in range(recipients)]
    data["people"] += [
        {"id": pid, "name": f"Anställd {n}", "slack_id": f"U{2_000_000 + n}"} for n, pid in enumerate(ids)
    ]
    data["forums"].append({"id": "alla-anstallda", "name": "Alla anställda", "kind": "other", "members": ids})
    data["plan"].append(
        {
            "id": "till-alla",
            "title": "Till alla anställda",
            "purpose": "Ett meddelande till alla anställda i de fyra kommunerna.",
            "audience": {"forums": ["alla-anstallda"]},
            "delivery": "dm",
            "schedule": {"rrule": "FREQ=DAILY;COUNT=1", "start": "2027-02-01", "time": "08:45"},
            "owner": data["roles"]["director"],
            "message": "Hej {{ recipient.label }}! Läs veckans nyheter från {{ association.name }} på intranätet.",
        }
    )
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return parse_config(yaml.dump(data, Dumper=dumper, allow_unicode=True), "<tick contention bench>")


def submit(slack: SlackRequester, n: int) -> tuple[float, int]:
    """One complaint through the real form: (latency in ms, HTTP status); a distinct view each time, as from Slack.

    Bolt answers 404 when a listener has not acked within 3 s: what the user sees as an error.
    """
    payload = report_submission(REPORTER, description=f"Synpunkt nummer {n}: skrivarna fungerar inte.")
    payload["view"]["id"] = f"VBENCH{n:04d}"
    began = time.perf_counter()
    answer = slack.interaction(payload)
    return 1000 * (time.perf_counter() - began), answer.status


def summary(answers: list[tuple[float, int]]) -> dict:
    samples = [ms for ms, _status in answers]
    return {
        "n": len(samples),
        "p50_ms": statistics.median(samples) if samples else 0.0,
        "max_ms": max(samples, default=0.0),
        "over_3s": sum(1 for sample in samples if sample > SLACK_LIMIT_MS),
        "not_200": sum(1 for _ms, status in answers if status != 200),
    }


def run(recipients: int, idle_count: int) -> dict:
    config = config_with_everyone(recipients)
    with Database(None) as url, FakeSlack(workspace_for(config)) as fake:
        runtime = bench_runtime(fake.url, url, config, "<tick contention bench>", NOW)
        engine = runtime.engine
        server = serve(runtime)
        try:
            slack = SlackRequester(server.url, SIGNING_SECRET, response_url=fake.response_url, clock=runtime.clock)
            idle = [submit(slack, n) for n in range(idle_count)]
            tick_result: dict = {}

            def tick() -> None:
                began = time.perf_counter()
                _reports, errors = queue_due_work(engine, config, NOW)
                tick_result.update(seconds=time.perf_counter() - began, errors=errors)

            worker = threading.Thread(target=tick)
            worker.start()
            busy = []
            n = idle_count
            while worker.is_alive() or len(busy) < 1:
                busy.append(submit(slack, n))
                n += 1
            worker.join()
        finally:
            server.stop()
            engine.dispose()
    return {"recipients": recipients, "idle": idle, "busy": busy, "tick": tick_result}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--recipients", type=int, default=20_000)
    parser.add_argument("--idle", type=int, default=6, help="submissions before the tick (default 6)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.CRITICAL)
    result = run(args.recipients, args.idle)
    result["idle_summary"], result["busy_summary"] = summary(result["idle"]), summary(result["busy"])
    if args.json:
        print(json.dumps(result, indent=2))
        return
    tick = result["tick"]
    errors = "; ".join(error.splitlines()[0][:120] for error in tick["errors"]) or "none"
    print(f"tick: {args.recipients} recipients queued in {tick['seconds']:.2f} s (errors: {errors})")
    for label in ("idle", "busy"):
        figures = ", ".join(
            f"{ms:.0f}" + ("" if status == 200 else f" (HTTP {status})") for ms, status in result[label]
        )
        s = result[f"{label}_summary"]
        print(
            f"{label:>4}: {s['n']} submissions, p50 {s['p50_ms']:.0f} ms, max {s['max_ms']:.0f} ms, "
            f"{s['over_3s']} over 3 s, {s['not_200']} not answered 200  [{figures}]"
        )


if __name__ == "__main__":
    main()
