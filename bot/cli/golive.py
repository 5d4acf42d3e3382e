"""`samverkan init` and `samverkan doctor`: a starter configuration, and the file checked against Slack."""

import argparse
from pathlib import Path

from bot.cli.common import load
from bot.cli.outcome import Exit
from bot.golive.starter import write_starter
from bot.settings import Settings, SettingsError
from bot.slack.doctor import check_workspace, doctor_client


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


def doctor(args: argparse.Namespace, settings: Settings) -> int:
    settings.require_slack(socket_mode=True)  # only the bot token: doctor receives no requests
    config = load(settings)
    report = check_workspace(config, doctor_client(settings))
    print(f"{settings.config_path} against the Slack workspace at {settings.slack_api_url}")
    for line in report.passed:
        print(f"ok       {line}")
    for line in report.skipped:
        print(f"skipped  {line}")
    if not report.problems:
        print("no problems found")
        return Exit.OK
    count = len(report.problems)
    print(f"{count} problem{'s' if count != 1 else ''} to fix:")
    for problem in report.problems:
        print(problem.render())
    return Exit.RUNTIME if report.unreachable else Exit.PROBLEMS
