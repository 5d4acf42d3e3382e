"""Ack latency on Teams: a command and a card submit over HTTP, our real app against a bare Agents SDK app.

Ours is the real app (`build_wsgi_app` with the Teams endpoint) behind waitress, serving the example association
moved to Teams (bot/demo/vmkf.yaml as the Teams tests derive it), installed everywhere in a fake Bot Connector's
tenant and for the measured user by an installationUpdate over HTTP first. The baseline is a bare Agents SDK app
(bench/teams_bare.py) behind aiohttp that only replies. Each app runs in a process of its own (bench/apart.py),
and this process only times the requests (and serves the fake Bot Connector): our sends after an answer slow
neither the baseline nor the clock timing it. Both are anonymous, so no token work is measured on either side.
Two pairs of variants, in shuffled rounds so machine noise hits all of them alike:

- a command: `kommunikationsplan` (the plan's next 14 days) as a message with `deliveryMode: expectReplies`,
  against the bare app's one text reply to a message;
- a card submit: the `synpunkt` report form's Action.Execute (an adaptiveCard/action invoke) with valid values,
  against the bare app's fixed 200 invoke response. Each submit registers a case: it writes the case with its
  receipt and triage post in the outbox (one transaction) and answers; the two are sent to the fake Bot
  Connector once the answer is written, as the app does in production, while the next requests are measured:
  that is the real cost. Every request is a new activity (its own id), and every submit comes from a form card
  of its own, so none is taken for a redelivery or a double-click.

Requests go over one keep-alive HTTP connection per app, so connection setup is not measured.

    python bench/teams_ack.py [--requests 200] [--warmup 20] [--database-url URL] [--json]
"""

import argparse
import http.client
import json
import logging
import random
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench.apart import served_apart  # noqa: E402
from bench.databases import Database  # noqa: E402
from bench.latency import summary  # noqa: E402
from bench.teams_bare import serve_bare_agent  # noqa: E402
from bot.clock import FixedClock  # noqa: E402
from bot.config import load_config  # noqa: E402
from bot.demo import fake_teams, fake_teams_tenant, teams_activities  # noqa: E402
from bot.demo.harness import TeamsAppServer, fake_teams_settings  # noqa: E402
from bot.demo.teams_activities import Chat  # noqa: E402
from bot.demo.teams_client import Answer  # noqa: E402
from bot.heap import freeze_startup_objects  # noqa: E402
from bot.runtime import build_runtime  # noqa: E402
from storage.cases import FeedbackCase  # noqa: E402
from storage.engine import make_engine, session_scope  # noqa: E402
from storage.migrate import prepare_schema  # noqa: E402
from tests import teams_support  # noqa: E402

NOW = datetime(2027, 2, 1, 9, 0, tzinfo=ZoneInfo("Europe/Stockholm"))
DIRECTOR = "U0VMKF0001"  # the example's director (by the Slack id the Teams example derives her object id from)
COMMAND = "kommunikationsplan"
REPORT_VERB = "case_report"  # the report form's Action.Execute verb (its form id)
REPORT = {
    "category": "klagomal",
    "subject": "service:it-drift",
    "member": "arboga",
    "description": "Skrivarna i stadshuset har inte fungerat på en vecka.",
    "contact": "",
    "anonymous": "false",
    "sensitive": "false",
}
RATIO_TARGET = 2.0
ABSOLUTE_TARGET_MS = 100.0

# (row label, which app, which request); each of ours is compared with the bare app's row of the same request
VARIANTS = [
    ("bare SDK: message, one reply", "bare", "command"),
    ("bare SDK: Action.Execute, fixed 200", "bare", "submit"),
    (f"ours: {COMMAND}", "ours", "command"),
    ("ours: synpunkt form submitted", "ours", "submit"),
]


class Poster:
    """POSTs activities to one app's /api/messages over one keep-alive connection (reopened if it drops)."""

    def __init__(self, url: str) -> None:
        self._host = urlsplit(url).netloc
        self._connection = http.client.HTTPConnection(self._host, timeout=30)

    def post(self, activity: dict) -> tuple[int, bytes]:
        body = json.dumps(activity).encode()
        headers = {"Content-Type": "application/json"}
        try:
            self._connection.request("POST", "/api/messages", body, headers)
            response = self._connection.getresponse()
        except (http.client.HTTPException, ConnectionError):
            self._connection.close()
            self._connection = http.client.HTTPConnection(self._host, timeout=30)
            self._connection.request("POST", "/api/messages", body, headers)
            response = self._connection.getresponse()
        return response.status, response.read()

    def close(self) -> None:
        self._connection.close()


@dataclass
class Side:
    """One app under test: where to post, who speaks, in which chat, and the data its report form sends."""

    poster: Poster
    sender: dict
    chat: Chat
    service_url: str
    report_data: dict

    def activity(self, kind: str) -> dict:
        """A new activity (its own id) of `kind`: the command message or the report form's submit."""
        if kind == "command":
            built = teams_activities.message(COMMAND, self.sender, self.chat)
        else:
            # a form card of its own each time: the same card submitted again with the same values would be a
            # double-click, answered as a replay without registering a case (handlers/teams/request_keys.py)
            card = f"card-{uuid.uuid4().hex}"
            built = teams_activities.invoke_action(REPORT_VERB, self.report_data, self.sender, self.chat, reply_to=card)
        return {**built, "serviceUrl": self.service_url}


def answered(kind: str, status: int, body: bytes) -> bool:
    """Whether the app answered as it should: replies to the command, a 200 invoke response to the submit."""
    if status != 200 or not body:
        return False
    answer = json.loads(body)
    if kind == "command":
        return bool(answer.get("activities"))
    return answer.get("statusCode") == 200


def measure(sides: dict[str, Side], rounds: int, warmup: int, seed: int) -> dict:
    """`warmup` unrecorded rounds, then `rounds` recorded ones; each round sends every variant once, shuffled."""
    rng = random.Random(seed)
    samples: dict[str, list[float]] = {label: [] for label, *_ in VARIANTS}
    errors: dict[str, int] = {label: 0 for label, *_ in VARIANTS}
    for round_index in range(warmup + rounds):
        order = list(VARIANTS)
        rng.shuffle(order)
        for label, app, kind in order:
            activity = sides[app].activity(kind)
            started = time.perf_counter()
            status, body = sides[app].poster.post(activity)
            elapsed = (time.perf_counter() - started) * 1000
            if not answered(kind, status, body):
                errors[label] += 1
            if round_index >= warmup:
                samples[label].append(elapsed)
    return {"samples": samples, "errors": errors}


class OurServer:
    """Our real app on the example association moved to Teams, behind waitress (run in a process of its own by
    served_apart), started as `samverkan serve` starts it; `stop()` first sends what the last requests queued."""

    def __init__(self, database_url: str, config_path: Path) -> None:
        settings = fake_teams_settings(database_url, str(config_path))
        self._runtime = build_runtime(settings, FixedClock(NOW), load_config(config_path))
        self._server = TeamsAppServer(self._runtime)
        self.url = self._server.url
        freeze_startup_objects()

    def stop(self) -> None:
        self._runtime.background.idle(timeout=120)  # no send may outlive the fake Bot Connector
        self._server.stop()
        if self._runtime.loop is not None:
            self._runtime.loop.stop()
        self._runtime.engine.dispose()


def serve_ours(database_url: str, config_path: str) -> OurServer:
    """Our app served (run in a process of its own by served_apart)."""
    return OurServer(database_url, Path(config_path))


@contextmanager
def our_app(database_url: str, workdir: Path, left: dict[str, int]) -> Iterator[Side]:
    """Our app on the example association moved to Teams, in a process of its own, installed in a fake Bot
    Connector's tenant (served by this process) and for the director over HTTP; the side to measure. At the end
    `left` holds what the run left: the cases registered and the sends the Bot Connector received."""
    config_path = workdir / "samverkan.yaml"
    config_path.write_text(teams_support.teams_example_text(), encoding="utf-8")
    config = load_config(config_path)
    director = next(person for person in config.people if person.teams_id == teams_support.object_id(DIRECTOR))
    engine = make_engine(database_url)
    try:
        prepare_schema(engine)
        with fake_teams.FakeBotConnector() as fake:
            fake_teams_tenant.install_for(engine, fake, config, NOW, skip=(director.id,))
            for route in config.cases.routing if config.cases else []:  # the triage channels are no forum's
                channel_id = route.triage_channel.removeprefix("teams:")
                fake_teams_tenant.install_channel(engine, fake, channel_id, f"team-{route.department}", NOW)
            conversation = fake.add_personal(director.teams_id, director.email or "", director.name)
            chat = Chat(
                {"id": conversation.id, "conversationType": "personal", "tenantId": fake.tenant_id},
                {"tenant": {"id": fake.tenant_id}},
            )
            sender = teams_activities.user(director.teams_id, director.name)
            with served_apart(serve_ours, database_url, str(config_path)) as url:
                poster = Poster(url)
                try:
                    install = teams_activities.installation_update("add", sender, chat)
                    status, _ = poster.post({**install, "serviceUrl": fake.url})
                    if status not in (200, 202):
                        raise RuntimeError(f"installing the app for the director was answered {status}")
                    message = teams_activities.message("synpunkt", sender, chat)
                    status, body = poster.post({**message, "serviceUrl": fake.url})
                    [form] = teams_support.cards(Answer(status, body))
                    if teams_support.submit_action(form)["verb"] != REPORT_VERB:
                        raise RuntimeError("the report form's submit is not the case_report action")
                    yield Side(poster, sender, chat, fake.url, teams_support.filled(form, REPORT))
                finally:
                    poster.close()
            # our process has stopped, after sending what the last requests queued
            with session_scope(engine) as session:
                left["cases_registered"] = session.scalar(select(func.count()).select_from(FeedbackCase)) or 0
            left["bot_connector_sends"] = len(fake.sent())
    finally:
        engine.dispose()


def report(results: dict, args: argparse.Namespace, case: dict) -> dict:
    stats = {label: summary(samples) for label, samples in results["samples"].items()}
    baseline = {kind: stats[label] for label, app, kind in VARIANTS if app == "bare"}
    rows = []
    for label, app, kind in VARIANTS:
        row = {"variant": label, **stats[label], "bad_answers": results["errors"][label]}
        if app == "ours":
            row["ratio_p50"] = row["p50_ms"] / baseline[kind]["p50_ms"]
            row["ratio_p99"] = row["p99_ms"] / baseline[kind]["p99_ms"]
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
        f"Teams ack latency over HTTP on 127.0.0.1 ({result['database']}): {result['requests_per_variant']} "
        f"requests per variant after {result['warmup_per_variant']} warm-up, shuffled rounds; "
        f"{result['cases_registered']} cases registered, {result['bot_connector_sends']} sends to the fake Bot "
        f"Connector"
    )
    header = f"{'variant':38} {'p50 ms':>8} {'p99 ms':>8} {'mean ms':>8} {'max ms':>8} {'p50 x':>7} {'p99 x':>7}  bad"
    print(header)
    print("-" * len(header))
    for row in result["rows"]:
        ratios = f"{row['ratio_p50']:>7.2f} {row['ratio_p99']:>7.2f}" if "ratio_p50" in row else f"{'':>7} {'':>7}"
        print(
            f"{row['variant']:38} {row['p50_ms']:>8.2f} {row['p99_ms']:>8.2f} {row['mean_ms']:>8.2f} "
            f"{row['max_ms']:>8.2f} {ratios}  {row['bad_answers']:>3}"
        )
    print(
        f"Targets: our p99 <= {RATIO_TARGET:g}x the bare SDK app's p99 for the same request, "
        f"and < {ABSOLUTE_TARGET_MS:g} ms"
    )
    for row in result["rows"]:
        if "ratio_p99" not in row:
            continue
        ratio = "PASS" if row["target_ratio_met"] else "FAIL"
        absolute = "PASS" if row["target_100ms_met"] else "FAIL"
        print(
            f"  {row['variant']:38} p99 ratio {row['ratio_p99']:.2f}x: {ratio}  p99 {row['p99_ms']:.2f} ms: {absolute}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=200, help="measured requests per variant (default 200)")
    parser.add_argument("--warmup", type=int, default=20, help="unmeasured requests per variant first (default 20)")
    parser.add_argument("--seed", type=int, default=1, help="seed for the order within each round")
    parser.add_argument("--database-url", help="default: a temp SQLite file; a PostgreSQL URL gets its own database")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)

    with served_apart(serve_bare_agent, REPORT_VERB) as bare_url:
        bare_poster = Poster(bare_url)
        try:
            with Database(args.database_url) as database_url, tempfile.TemporaryDirectory() as workdir:
                left: dict[str, int] = {}
                with our_app(database_url, Path(workdir), left) as ours:
                    sides = {
                        "ours": ours,
                        "bare": Side(bare_poster, ours.sender, ours.chat, ours.service_url, ours.report_data),
                    }
                    results = measure(sides, args.requests, args.warmup, args.seed)
                case = {"database": make_url(database_url).get_backend_name(), **left}
        finally:
            bare_poster.close()
    result = report(results, args, case)
    if args.json:
        print(json.dumps(result, indent=2, default=str))
    else:
        print_table(result)


if __name__ == "__main__":
    main()
