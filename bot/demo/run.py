"""`samverkan demo`: the real app against a fake Slack workspace (or a fake Teams tenant), driven by a simulated
clock, in four acts."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.clock import FixedClock
from bot.config import AssociationConfig, load_config
from bot.demo.acts import board, cases, followup, plan
from bot.demo.fake_slack import FakeSlack, FakeWorkspace
from bot.demo.fake_teams import FakeBotConnector
from bot.demo.harness import AppServer, TeamsAppServer, fake_slack_settings, fake_teams_settings
from bot.demo.slack_stage import SlackStage
from bot.demo.stage import Stage
from bot.demo.teams_association import channel_id, write_teams_example
from bot.demo.teams_client import TeamsClient
from bot.demo.teams_stage import Installed, TeamsStage
from bot.demo.transcript import SLACK, TEAMS, Act, PlatformText, print_act
from bot.demo.workspace import workspace_for
from bot.followup.rounds import find_round, round_times
from bot.runtime import build_runtime
from storage.platform import Platform

EXAMPLE_CONFIG = Path(__file__).resolve().parent / "vmkf.yaml"
SIGNING_SECRET = "demo-signing-secret"


def run_demo(
    start: date, weeks: int, directory: Path, config_path: Path = EXAMPLE_CONFIG, platform: Platform = Platform.SLACK
) -> int:
    """Play the four acts (the plan from `start` for `weeks` weeks, a board meeting, a follow-up round,
    complaints) on `platform` and print them."""
    directory.mkdir(parents=True, exist_ok=True)
    database, log_file = directory / "demo.db", directory / "demo.log"
    for stale in directory.glob("demo.db*"):
        stale.unlink()
    with logs_to(log_file):
        if platform == Platform.TEAMS:
            played = _play_teams(start, weeks, write_teams_example(config_path, directory), database)
        else:
            played = _play(start, weeks, config_path, database)
    _print(played)
    if platform == Platform.TEAMS:
        teams_file = (directory / f"{config_path.stem}-teams.yaml").resolve()
        print(f"\nKonfigurationen med alla på Teams (exemplet flyttat till Teams) finns i {teams_file}.")
    print(f"\nDatabasen finns i {database.resolve()} (SQLite; öppna den med `sqlite3 {database}`).")
    print(f"Botens logg (på engelska, för den som driftar Samverkan) finns i {log_file.resolve()}.")
    return 0


@dataclass
class Played:
    """What the transcript prints."""

    acts: list[Act]
    names: dict[str, str]
    config: AssociationConfig
    later_acts: bool
    platform: PlatformText


@contextmanager
def logs_to(path: Path) -> Iterator[None]:
    """Send every log record to `path` instead of the terminal while the demo plays, so the transcript reads
    clean (and what the fake services' HTTP servers print on stderr, such as a connection the app's client
    closed); the previous handlers come back afterwards."""
    root = logging.getLogger()
    handler = logging.FileHandler(path, mode="w", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    previous, previous_level = root.handlers[:], root.level
    root.handlers = [handler]
    root.setLevel(min(previous_level or logging.INFO, logging.INFO))
    try:
        with redirect_stderr(handler.stream):
            yield
    finally:
        root.handlers = previous
        root.setLevel(previous_level)
        handler.close()


def _play(start: date, weeks: int, config_path: Path, database: Path) -> Played:
    """Run the acts against the fake workspace."""
    config = load_config(config_path)
    zone = ZoneInfo(config.association.timezone)
    workspace = workspace_for(config)
    workspace.channels_without_bot.add(plan.BROKEN_CHANNEL)
    clock = FixedClock(datetime.combine(start, time(7, 0), tzinfo=zone))
    later_acts = _later_acts_possible(config, _plan_end(start, weeks, zone))

    with FakeSlack(workspace) as fake:
        settings = fake_slack_settings(fake.url, f"sqlite:///{database}", str(config_path), SIGNING_SECRET, "xoxb-demo")
        runtime = build_runtime(settings, clock=clock, config=config)
        server = AppServer(runtime)
        try:
            slack = server.requester(SIGNING_SECRET, fake.response_url, clock)
            stage = SlackStage(runtime, fake, slack, clock)
            names = _names(config, workspace)
            acts = _acts(stage, start, weeks, names.get(plan.BROKEN_CHANNEL, plan.BROKEN_CHANNEL), later_acts)
        finally:
            server.stop()
    return Played(acts, names, config, later_acts, SLACK)


def _play_teams(start: date, weeks: int, config_path: Path, database: Path) -> Played:
    """Run the acts against the fake Bot Connector, the app installed first for everyone and in every team but
    the one act 1 shows it missing from."""
    config = load_config(config_path)
    zone = ZoneInfo(config.association.timezone)
    clock = FixedClock(datetime.combine(start, time(7, 0), tzinfo=zone))
    later_acts = _later_acts_possible(config, _plan_end(start, weeks, zone))
    broken = channel_id(plan.BROKEN_CHANNEL)

    with FakeBotConnector() as fake:
        runtime = build_runtime(fake_teams_settings(f"sqlite:///{database}", str(config_path)), clock, config)
        assert runtime.loop is not None  # Teams is the example's platform here
        server = TeamsAppServer(runtime)
        try:
            stage = TeamsStage(runtime, fake, TeamsClient(server.url, idle=runtime.background.idle), clock)
            installed = stage.install((broken,), config.roles["director"])
            names = stage.names()
            stage.prologue = [_installation(installed, names.get(broken, broken))]
            acts = _acts(stage, start, weeks, names.get(broken, broken), later_acts)
        finally:
            server.stop()
            runtime.loop.stop()
    return Played(acts, names, config, later_acts, TEAMS)


def _installation(installed: Installed, missing: str) -> str:
    """The intro's line on how the app was installed before the first act."""
    welcome = " ".join(installed.welcome.split())
    return (
        f"Först installeras appen i Teams (installationUpdate till appen): i den personliga chatten för var och "
        f"en av de {installed.people} personerna och i {installed.channels} kanaler, var och en i sitt team, men "
        f"inte i teamet för {missing}. Var och en får välkomstmeddelandet (visas inte nedan): ”{welcome}”"
    )


def _acts(stage: Stage, start: date, weeks: int, broken_name: str, later_acts: bool) -> list[Act]:
    acts = [plan.play(stage, start, weeks, broken_name)]
    if later_acts:
        acts += [board.play(stage), followup.play(stage), cases.play(stage)]
    stage.settle()
    stage.collect()
    return acts


def _plan_end(start: date, weeks: int, zone: ZoneInfo) -> datetime:
    return datetime.combine(start, time(0, 0), tzinfo=zone) + timedelta(weeks=weeks)


def _later_acts_possible(config: AssociationConfig, plan_end: datetime) -> bool:
    """Acts 2 to 4 follow the example's board meeting in April 2027 and its round in May; the plan's window must
    end before the meeting's first preparation reminder."""
    round_ = find_round(config, followup.ROUND_ID)
    if round_ is None or config.cases is None or config.board is None:
        return False
    return plan_end < board.first_reminder(config) and plan_end < round_times(config, round_).opens_at


def _names(config: AssociationConfig, workspace: FakeWorkspace) -> dict[str, str]:
    """Readable names for the transcript's channel and DM headings."""
    names = dict(workspace.channels)
    for routing in config.cases.routing if config.cases else []:
        names[routing.triage_channel] = f"{config.department(routing.department).name} – synpunkter (triage)"
    for user_id, user in workspace.users.items():
        names[user_id] = user["name"]
        names["D" + user_id[1:]] = f"DM till {user['name']}"
    return names


def _print(played: Played) -> None:
    print(f"Samverkan demo – {played.config.association.name}")
    print(played.platform.banner)
    for act in played.acts:
        print_act(act, played.names, played.platform)
    if not played.later_acts:
        print(
            "\nAkt 2–4 (direktionens möte, uppföljning och synpunkter, mars–juni 2027) visas bara när planens "
            "fönster (--from, --weeks) slutar innan förberedelserna inför direktionens möte i april börjar."
        )
