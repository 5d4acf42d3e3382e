"""`samverkan db upgrade | revision`: migrations."""

import argparse

from bot.cli.outcome import Exit
from bot.settings import Settings
from storage import migrate
from storage.engine import make_engine


def upgrade(args: argparse.Namespace, settings: Settings) -> int:
    engine = make_engine(settings.database_url)
    migrate.upgrade(engine)
    print(f"database at revision {migrate.current_revision(engine)}")
    return Exit.OK


def revision(args: argparse.Namespace, settings: Settings) -> int:
    migrate.new_revision(args.message, args.id)
    return Exit.OK
