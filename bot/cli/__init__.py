"""The `samverkan` command line: serve, clock, tick, plan, db, cases, init, doctor, teams-app and demo.

The parser uses only the standard library, and each command names its function as "module:function", imported
when the command runs: `samverkan --help` loads neither SQLAlchemy nor the configuration stack. Exit codes
follow one rule for every command (bot.cli.outcome).
"""

import argparse
import importlib
import logging
import sys


def _config_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config", metavar="PATH", help="configuration file (default: $SAMVERKAN_CONFIG or samverkan.yaml)"
    )


def _command(
    commands: "argparse._SubParsersAction[argparse.ArgumentParser]",
    name: str,
    run: str,
    help: str,
    *,
    config: bool = True,
    checks: bool = False,
) -> argparse.ArgumentParser:
    """A subcommand running `run` ("module:function" under bot.cli); `checks` if finding problems is its job."""
    parser = commands.add_parser(name, help=help, description=help)
    parser.set_defaults(run=run, checks=checks)
    if config:
        _config_option(parser)
    return parser


def _group(
    commands: "argparse._SubParsersAction[argparse.ArgumentParser]", name: str, help: str
) -> "argparse._SubParsersAction[argparse.ArgumentParser]":
    parser = commands.add_parser(name, help=help, description=help)
    dest = f"{name}_command"
    return parser.add_subparsers(dest=dest, required=True, metavar=dest.upper())


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="samverkan",
        description="Samverkan: the association's chat-ops bot.",
        epilog="Exit codes: 0 done; 1 the command ran and found problems (plan check, doctor, a tick whose "
        "deliveries failed); 2 a usage, settings or configuration error to fix first; 3 a runtime failure "
        "(database unreachable, port in use).",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = _command(
        commands,
        "serve",
        "run:serve",
        "serve the chat platforms the association file enables: Slack over HTTP (or Socket Mode when "
        "SLACK_APP_TOKEN is set) and Teams on /api/messages",
    )
    serve.add_argument("--port", type=int, default=None, help="HTTP port (default: $PORT or 3000)")
    serve.add_argument("--no-scheduler", action="store_true", help="do not run the scheduler in this process")
    _command(commands, "clock", "run:clock", "run the scheduler alone (the Procfile's clock process)")
    tick = _command(commands, "tick", "run:tick", "one pass of the scheduler, then exit")
    tick.add_argument("--now", metavar="ISO-8601", help="pretend it is this time (default: now)")

    plan = _group(commands, "plan", "check, show or export the communication plan")
    _command(plan, "check", "plan:check", "validate the configuration; exit 1 listing every error", checks=True)
    show = _command(plan, "show", "plan:show", "the occurrences in a window")
    show.add_argument("--from", dest="start", metavar="DATE", help="first day, YYYY-MM-DD (default: today)")
    show.add_argument("--days", type=int, default=14, help="how many days (default: 14)")
    show.add_argument("--json", action="store_true", help="print JSON")
    ics = _command(plan, "ics", "plan:ics", "the plan as an iCalendar file for Outlook")
    ics.add_argument("--out", metavar="FILE", help="write here instead of standard output")
    ics.add_argument("--from", dest="start", metavar="DATE", help="first day (default: today)")
    ics.add_argument("--days", type=int, default=366, help="how many days (default: 366)")

    db = _group(commands, "db", "database maintenance")
    _command(db, "upgrade", "db:upgrade", "apply pending migrations to DATABASE_URL", config=False)
    revision = _command(
        db, "revision", "db:revision", "(developers) autogenerate a migration from the tables", config=False
    )
    revision.add_argument("--message", "-m", required=True, help="what the migration changes")
    revision.add_argument("--id", required=True, help="the revision id, e.g. 0004_something")

    cases = _group(commands, "cases", "feedback and complaint cases: export and retention")
    export = _command(cases, "export", "cases:export", "every case with its history, for the association's records")
    export.add_argument("--year", type=int, help="only cases registered this year (default: every year)")
    export.add_argument("--format", choices=["csv", "json"], default="csv", help="output format (default: csv)")
    export.add_argument("--out", metavar="FILE", help="write here instead of standard output")
    purge = _command(
        cases,
        "purge",
        "cases:purge",
        "remove the closed cases the retention rule allows (gallring), recording each removal",
    )
    purge.add_argument("--dry-run", action="store_true", help="only list what the rule allows to be removed")
    purge.add_argument(
        "--now",
        metavar="ISO-8601",
        help="apply the rule as of this day (default: today); the cutoff is local midnight, so a dry run and a "
        "real run on the same day remove the same cases",
    )

    init = _command(
        commands, "init", "golive:init", "write a commented starter configuration that passes plan check", config=False
    )
    init.add_argument("--out", metavar="FILE", default="samverkan.yaml", help="where (default: samverkan.yaml)")
    init.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    _command(
        commands,
        "doctor",
        "golive:doctor",
        "check the configuration against each platform it enables (Slack: token, scopes, channels, people; "
        "Teams: settings, token, installations); exit 1 listing every problem",
        checks=True,
    )

    teams_app = _command(
        commands,
        "teams-app",
        "teams:app",
        "write the Teams app package (manifest, icons, command menu, message action) to upload to Teams",
    )
    teams_app.add_argument(
        "--out", metavar="FILE", default="samverkan-teams.zip", help="where (default: samverkan-teams.zip)"
    )
    teams_app.add_argument("--force", action="store_true", help="overwrite FILE if it exists")

    demo = _command(
        commands,
        "demo",
        "demo:demo",
        "run the bot against a fake Slack workspace or Teams tenant (--platform); no account needed",
        config=False,
    )
    demo.add_argument("--from", dest="start", metavar="DATE", default="2027-01-11", help="first simulated day")
    demo.add_argument("--weeks", type=int, default=6, help="how many weeks to simulate (default: 6)")
    demo.add_argument("--dir", metavar="PATH", default="samverkan-demo", help="where the demo database goes")
    demo.add_argument(
        "--platform",
        choices=["slack", "teams"],
        default="slack",
        help="the chat platform to play it on (default: slack)",
    )
    return parser


def configure_logging(verbose: bool) -> None:
    """INFO (DEBUG with --verbose) to stderr, without the libraries' chatter and what would name a chat user."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # The Agents SDK's INFO and DEBUG lines name conversation and user ids (an anonymous reporter's personal chat
    # among them): never in the log, --verbose or not.
    logging.getLogger("microsoft_agents").setLevel(logging.WARNING)
    if not verbose:
        logging.getLogger("apscheduler").setLevel(logging.WARNING)  # one line per tick is noise
        logging.getLogger("alembic").setLevel(logging.WARNING)  # a line per plugin and per step; db upgrade says


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    configure_logging(args.verbose)

    from bot.cli.outcome import explain
    from bot.settings import Settings

    settings = Settings.from_env().with_config(getattr(args, "config", None))
    module, _, function = args.run.partition(":")
    try:
        run = getattr(importlib.import_module(f"bot.cli.{module}"), function)
        return run(args, settings) or 0
    except BrokenPipeError:  # the reader went away (`samverkan plan show | head`)
        sys.stderr.close()
        return 0
    except Exception as error:
        failure = explain(error, checks_config=args.checks)
        if failure is None:
            raise
        print(failure.text, file=sys.stderr)
        return failure.code
