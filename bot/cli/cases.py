"""`samverkan cases export | purge`: the cases for the association's records, and retention (gallring)."""

import argparse
import sys

from sqlalchemy import Engine

from bot.cases.export import export_cases
from bot.cases.retention import purge as purge_cases
from bot.cases.retention import purgeable, retention_rule
from bot.cli.common import load, parse_now, write_out
from bot.cli.outcome import Exit
from bot.local_time import local_date
from bot.settings import Settings, SettingsError
from storage.engine import make_engine, session_scope
from storage.migrate import prepare_schema


def _database(settings: Settings) -> Engine:
    engine = make_engine(settings.database_url)
    prepare_schema(engine)
    return engine


def export(args: argparse.Namespace, settings: Settings) -> int:
    with session_scope(_database(settings)) as session:
        data = export_cases(session, args.year, args.format)
    if args.out:
        write_out(args.out, data.encode("utf-8"))
    else:
        sys.stdout.write(data if data.endswith("\n") else data + "\n")
    return Exit.OK


def purge(args: argparse.Namespace, settings: Settings) -> int:
    config = load(settings)
    if config.cases is None:
        raise SettingsError("the configuration has no cases section, so there is no retention rule to apply")
    now = parse_now(args.now)
    rule = retention_rule(config, now)
    print(f"rule: {rule.words}")
    with session_scope(_database(settings)) as session:
        if args.dry_run:
            cases = purgeable(session, config, now)
            for case in cases:
                print(f"would remove {case.number} ({case.category}, closed {local_date(config, case.closed_at)})")
            print(
                f"{len(cases)} case(s) closed before {rule.cutoff_day.isoformat()} may be removed; a real run on "
                f"{local_date(config, now).isoformat()} (or with --now {local_date(config, now).isoformat()}) "
                "removes the same cases"
            )
            return Exit.OK
        records = purge_cases(session, config, now)
    for record in records:
        print(f"removed {record.number} ({record.category}, closed {local_date(config, record.closed_at)})")
    print(f"{len(records)} case(s) removed; each removal is recorded in the case_purge table")
    return Exit.OK
