"""`samverkan demo`: the real app against a fake Slack workspace, driven by a simulated clock, in three acts."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.clock import FixedClock
from bot.config import AssociationConfig, load_config
from bot.demo.acts import cases, followup, plan
from bot.demo.fake_slack import FakeSlack, FakeWorkspace
from bot.demo.harness import AppServer, fake_slack_settings
from bot.demo.slack_stage import SlackStage
from bot.demo.transcript import Act, print_act
from bot.demo.workspace import workspace_for
from bot.followup.rounds import find_round, round_times
from bot.runtime import build_runtime

EXAMPLE_CONFIG = Path(__file__).resolve().parent / "vmkf.yaml"
SIGNING_SECRET = "demo-signing-secret"


def run_demo(start: date, weeks: int, directory: Path, config_path: Path = EXAMPLE_CONFIG) -> int:
    """Play the three acts (the plan from `start` for `weeks` weeks, a follow-up round, complaints) and print them."""
    directory.mkdir(parents=True, exist_ok=True)
    database, log_file = directory / "demo.db", directory / "demo.log"
    for stale in directory.glob("demo.db*"):
        stale.unlink()
    with logs_to(log_file):
        acts, names, config, later_acts = _play(start, weeks, config_path, database)
    _print(config, acts, names, later_acts)
    print(f"\nDatabasen finns i {database.resolve()} (SQLite; öppna den med `sqlite3 {database}`).")
    print(f"Botens logg (på engelska, för den som driftar Samverkan) finns i {log_file.resolve()}.")
    return 0


@contextmanager
def logs_to(path: Path) -> Iterator[None]:
    """Send every log record to `path` instead of the terminal while the demo plays, so the transcript reads
    clean; the previous handlers come back afterwards."""
    root = logging.getLogger()
    handler = logging.FileHandler(path, mode="w", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    previous, previous_level = root.handlers[:], root.level
    root.handlers = [handler]
    root.setLevel(min(previous_level or logging.INFO, logging.INFO))
    try:
        yield
    finally:
        root.handlers = previous
        root.setLevel(previous_level)
        handler.close()


def _play(
    start: date, weeks: int, config_path: Path, database: Path
) -> tuple[list[Act], dict[str, str], AssociationConfig, bool]:
    """Run the acts against the fake workspace; returns what the transcript prints."""
    config = load_config(config_path)
    zone = ZoneInfo(config.association.timezone)
    workspace = workspace_for(config)
    workspace.channels_without_bot.add(plan.BROKEN_CHANNEL)
    clock = FixedClock(datetime.combine(start, time(7, 0), tzinfo=zone))
    plan_end = datetime.combine(start, time(0, 0), tzinfo=zone) + timedelta(weeks=weeks)
    later_acts = _later_acts_possible(config, plan_end)

    with FakeSlack(workspace) as fake:
        settings = fake_slack_settings(fake, f"sqlite:///{database}", str(config_path), SIGNING_SECRET, "xoxb-demo")
        runtime = build_runtime(settings, clock=clock, config=config)
        server = AppServer(runtime)
        try:
            slack = server.requester(SIGNING_SECRET, fake.response_url, clock)
            stage = SlackStage(runtime, fake, slack, clock)
            names = _names(config, workspace)
            acts = [plan.play(stage, start, weeks, names.get(plan.BROKEN_CHANNEL, plan.BROKEN_CHANNEL))]
            if later_acts:
                acts += [followup.play(stage), cases.play(stage)]
            stage.settle()
            stage.collect()
        finally:
            server.stop()
    return acts, names, config, later_acts


def _later_acts_possible(config: AssociationConfig, plan_end: datetime) -> bool:
    """Acts 2 and 3 follow the example's round in May 2027; the plan's window must end before it opens."""
    round_ = find_round(config, followup.ROUND_ID)
    return round_ is not None and config.cases is not None and plan_end < round_times(config, round_).opens_at


def _names(config: AssociationConfig, workspace: FakeWorkspace) -> dict[str, str]:
    """Readable names for the transcript's channel and DM headings."""
    names = dict(workspace.channels)
    for routing in config.cases.routing if config.cases else []:
        names[routing.triage_channel] = f"{config.department(routing.department).name} – synpunkter (triage)"
    for user_id, user in workspace.users.items():
        names[user_id] = user["name"]
        names["D" + user_id[1:]] = f"DM till {user['name']}"
    return names


def _print(config: AssociationConfig, acts: list[Act], names: dict[str, str], later_acts: bool) -> None:
    print(f"Samverkan demo – {config.association.name}")
    print("Den riktiga appen över HTTP mot en låtsas-Slack på 127.0.0.1, med simulerad klocka.")
    for act in acts:
        print_act(act, names)
    if not later_acts:
        print(
            "\nAkt 2 och 3 (uppföljning och synpunkter, maj–juni 2027) visas bara när planens fönster "
            "(--from, --weeks) slutar innan uppföljningen öppnar."
        )
