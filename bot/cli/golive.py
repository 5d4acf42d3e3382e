"""`samverkan init` and `samverkan doctor`: a starter configuration, and the file checked against Slack and Teams."""

import argparse
from pathlib import Path

from bot.cli.common import load
from bot.cli.outcome import Exit
from bot.config.model import AssociationConfig
from bot.golive.report import Report
from bot.golive.starter import write_starter
from bot.settings import Settings, SettingsError
from bot.slack.doctor import check_workspace, doctor_client
from storage.platform import Platform


def init(args: argparse.Namespace, settings: Settings) -> int:
    out = Path(args.out)
    if out.is_dir():
        raise SettingsError(f"--out {out} is a folder: name the file to write, e.g. --out {out / 'samverkan.yaml'}")
    try:
        write_starter(out, overwrite=args.force)
    except FileExistsError as exc:
        raise SettingsError(f"{out} exists: pass --force to overwrite it, or choose another --out FILE") from exc
    except OSError as exc:
        raise SettingsError(f"cannot write {out} ({exc.strerror or exc}): choose another --out FILE") from exc
    print(f"wrote {out}: replace its placeholders, then run `samverkan plan check --config {out}` and")
    print(f"`samverkan doctor --config {out}` with SLACK_BOT_TOKEN set")
    return Exit.OK


def _print_checks(report: Report) -> Report:
    for line in report.passed:
        print(f"ok       {line}")
    for line in report.skipped:
        print(f"skipped  {line}")
    return report


def _teams_report(config: AssociationConfig, settings: Settings) -> Report:
    from bot.teams.doctor import bot_framework_token, check_teams  # the Agents SDK only when Teams is on
    from storage.engine import make_engine
    from storage.migrate import prepare_schema

    engine = make_engine(settings.database_url)
    try:
        prepare_schema(engine)
        return check_teams(config, settings, engine, bot_framework_token(settings))
    finally:
        engine.dispose()


def doctor(args: argparse.Namespace, settings: Settings) -> int:
    config = load(settings)
    on_slack, on_teams = Platform.SLACK in config.platforms, Platform.TEAMS in config.platforms
    if on_slack:
        settings.require_slack(socket_mode=True)  # only the bot token: doctor receives no requests
    if on_teams:
        settings.require_teams()
    reports = []
    if on_slack:
        print(f"{settings.config_path} against the Slack workspace at {settings.slack_api_url}")
        reports.append(_print_checks(check_workspace(config, doctor_client(settings))))
    if on_teams:
        print(f"{settings.config_path} against Teams and the app's installations stored in the database")
        reports.append(_print_checks(_teams_report(config, settings)))
    problems = [problem for report in reports for problem in report.problems]
    if not problems:
        print("no problems found")
        return Exit.OK
    print(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} to fix:")
    for problem in problems:
        print(problem.render())
    return Exit.RUNTIME if any(report.unreachable for report in reports) else Exit.PROBLEMS
