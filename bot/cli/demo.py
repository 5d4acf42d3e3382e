"""`samverkan demo`: the real app against a fake Slack workspace, under a simulated clock."""

import argparse
from datetime import date
from pathlib import Path

from bot.demo.run import run_demo
from bot.settings import Settings, SettingsError


def demo(args: argparse.Namespace, settings: Settings) -> int:
    try:
        start = date.fromisoformat(args.start)
    except ValueError as exc:
        raise SettingsError(f"--from {args.start!r} is not a date like 2027-01-11") from exc
    if args.weeks < 1:
        raise SettingsError("--weeks must be at least 1")
    return run_demo(start=start, weeks=args.weeks, directory=Path(args.dir))
