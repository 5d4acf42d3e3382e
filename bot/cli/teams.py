"""`samverkan teams-app`: the Teams app package written to a file, for an administrator to upload to Teams."""

import argparse
import os
from pathlib import Path

from bot.cli.common import load
from bot.cli.outcome import Exit
from bot.settings import Settings, SettingsError
from bot.teams.app_package import PackageSettings, app_package


def app(args: argparse.Namespace, settings: Settings) -> int:
    package = PackageSettings.from_env(settings, os.environ)
    out = Path(args.out)
    if out.is_dir():
        raise SettingsError(
            f"--out {out} is a folder: name the file to write, e.g. --out {out / 'samverkan-teams.zip'}"
        )
    if out.exists() and not args.force:
        raise SettingsError(f"{out} exists: pass --force to overwrite it, or choose another --out FILE")
    data = app_package(load(settings), package)  # built whole before anything is written
    try:
        with out.open("wb" if args.force else "xb") as file:
            file.write(data)
    except FileExistsError as exc:
        raise SettingsError(f"{out} exists: pass --force to overwrite it, or choose another --out FILE") from exc
    except OSError as exc:
        raise SettingsError(f"cannot write {out} ({exc.strerror or exc}): choose another --out FILE") from exc
    print(f"wrote {out}: the Teams app {package.app_id} version {package.version} for the bot {package.bot_id}")
    print("upload it in the Teams admin center (Manage apps -> Upload new app) or in Teams (Apps -> Manage your apps")
    print(f"-> Upload an app); the bot's messaging endpoint is https://{package.public_host}/api/messages")
    return Exit.OK
