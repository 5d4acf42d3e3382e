"""`samverkan demo`: the real app against a fake Slack workspace, driven by a simulated clock."""

import html
import textwrap
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.clock import FixedClock
from bot.config import AssociationConfig, load_config
from bot.demo.fake_slack import FakeSlack
from bot.demo.slack_requests import SlackRequester
from bot.demo.workspace import workspace_for
from bot.plan.occurrences import occurrences_between
from bot.runtime import build_runtime
from bot.settings import Settings
from bot.slack_app import build_bolt_app, build_wsgi_app
from bot.tick import run_tick
from bot.web import BackgroundServer

EXAMPLE_CONFIG = Path(__file__).resolve().parents[2] / "examples" / "vmkf.yaml"
SIGNING_SECRET = "demo-signing-secret"
DOWNTIME_DAYS = (16, 21)  # the bot is "down" from the morning of day 16 to noon on day 21
BROKEN_CHANNEL = "C0SURAHAM1"  # the bot was never invited here, so deliveries to it fail


@dataclass
class Posted:
    at: datetime
    channel: str
    text: str


def run_demo(start: date, weeks: int, directory: Path, config_path: Path = EXAMPLE_CONFIG) -> int:
    """Simulate `weeks` weeks of the plan from `start` and print a transcript per channel and DM."""
    if not config_path.exists():
        print(f"samverkan demo: the example configuration {config_path} is missing; run from a checkout")
        return 2
    directory.mkdir(parents=True, exist_ok=True)
    database = directory / "demo.db"
    for stale in directory.glob("demo.db*"):
        stale.unlink()
    config = load_config(config_path)
    zone = ZoneInfo(config.association.timezone)
    clock = FixedClock(datetime.combine(start, time(7, 0), tzinfo=zone))
    workspace = workspace_for(config)
    workspace.channels_without_bot.add(BROKEN_CHANNEL)

    with FakeSlack(workspace) as fake:
        settings = Settings(
            slack_bot_token="xoxb-demo",
            slack_signing_secret=SIGNING_SECRET,
            slack_app_token=None,
            slack_api_url=fake.url,
            database_url=f"sqlite:///{database}",
            config_path=str(config_path),
        )
        runtime = build_runtime(settings, clock=clock, config=config)
        server = BackgroundServer(build_wsgi_app(build_bolt_app(runtime))).start()
        try:
            slack = SlackRequester(server.url, SIGNING_SECRET, response_url=fake.response_url)
            director = config.role_holder("director")
            posted, commands = _simulate(runtime, fake, slack, clock, config, start, weeks, director.slack_id or "")
        finally:
            server.stop()
    _print_transcript(config, workspace, posted, commands, start, weeks)
    print(f"\nThe database is at {database.resolve()} (SQLite; open it with `sqlite3 {database}`).")
    return 0


def _simulate(runtime, fake, slack, clock, config, start, weeks, director_id):
    zone = ZoneInfo(config.association.timezone)
    begin = datetime.combine(start, time(0, 0), tzinfo=zone)
    end = begin + timedelta(weeks=weeks)
    down_from = begin + timedelta(days=DOWNTIME_DAYS[0], hours=7)
    down_until = begin + timedelta(days=DOWNTIME_DAYS[1], hours=12)
    moments = sorted({o.at for o in occurrences_between(config, clock.now(), end)} | {down_until})
    commands = [_command(slack, clock, director_id, "", "/kommunikationsplan")]
    posted: list[Posted] = []
    for moment in moments:
        if down_from <= moment < down_until:
            continue
        clock.set(moment)
        before = len(fake.posted())
        run_tick(runtime.engine, runtime.sender_client, runtime.config, moment)
        for message in fake.posted()[before:]:
            posted.append(Posted(moment, message["channel"], _plain(message)))
    clock.set(end)
    commands.append(_command(slack, clock, director_id, "status", "/kommunikationsplan status"))
    return posted, commands


def _command(slack: SlackRequester, clock: FixedClock, user_id: str, text: str, label: str) -> Posted:
    answer = slack.command("/kommunikationsplan", text=text, user_id=user_id)
    body = answer.json() or {}
    return Posted(clock.now(), label, _plain(body) if answer.status == 200 else f"HTTP {answer.status}")


def _plain(message: dict) -> str:
    blocks = message.get("blocks") or []
    sections = [b["text"]["text"] for b in blocks if b.get("type") == "section"]
    return html.unescape("\n\n".join(sections) if sections else message.get("text", ""))


def _print_transcript(
    config: AssociationConfig, workspace, posted: list[Posted], commands: list[Posted], start: date, weeks: int
) -> None:
    names = dict(workspace.channels)
    for user_id, user in workspace.users.items():
        names["D" + user_id[1:]] = f"DM till {user['name']}"
    print(f"Samverkan demo – {config.association.name}")
    print(f"Simulerad tid: {start} och {weeks} veckor framåt, mot en låtsas-Slack på 127.0.0.1.")
    print(
        f"Boten är avstängd dag {DOWNTIME_DAYS[0]}–{DOWNTIME_DAYS[1]}, och den är inte inbjuden i "
        f"{names.get(BROKEN_CHANNEL, BROKEN_CHANNEL)}: se rapporterna till ansvariga nedan."
    )
    print("\n=== Snedstreckskommandon (signerade HTTP-anrop till appen) ===")
    for command in commands:
        _print_message(command.channel, command)
    by_channel: dict[str, list[Posted]] = {}
    for message in posted:
        by_channel.setdefault(message.channel, []).append(message)
    for channel in sorted(by_channel, key=lambda c: (c.startswith("D"), names.get(c, c))):
        messages = by_channel[channel]
        print(f"\n=== {names.get(channel, channel)} ({len(messages)} meddelanden) ===")
        for message in messages:
            _print_message(None, message)
    print(f"\nTotalt {len(posted)} meddelanden i {len(by_channel)} kanaler och DM.")


def _print_message(label: str | None, message: Posted) -> None:
    stamp = message.at.strftime("%Y-%m-%d %H:%M")
    print(f"\n[{stamp}]" + (f" {label}" if label else ""))
    for line in message.text.splitlines():
        print(textwrap.indent(textwrap.fill(line, 100) if line else "", "  "))
