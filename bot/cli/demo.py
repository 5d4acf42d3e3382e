"""`samverkan demo [--platform teams]`: the real app against a fake Slack workspace (or a fake Teams tenant), under a
simulated clock."""

import argparse
import os
from datetime import date
from pathlib import Path

from bot.demo.run import run_demo
from bot.settings import Settings, SettingsError
from storage.platform import Platform


def demo(args: argparse.Namespace, settings: Settings) -> int:
    try:
        start = date.fromisoformat(args.start)
    except ValueError as exc:
        raise SettingsError(f"--from {args.start!r} is not a date like 2027-01-11") from exc
    if args.weeks < 1:
        raise SettingsError("--weeks must be at least 1")
    directory = Path(args.dir)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SettingsError(
            f"--dir {directory} cannot be the demo's folder ({exc.strerror or exc}): pick another"
        ) from exc
    if not os.access(directory, os.W_OK):
        raise SettingsError(f"--dir {directory} is not writable: pick another folder")
    return run_demo(start=start, weeks=args.weeks, directory=directory, platform=Platform(args.platform))
