"""The `samverkan` command line: serve, clock, tick, plan, db, cases and demo."""

import argparse
import json
import logging
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.exc import ArgumentError, OperationalError

from bot.config import ConfigError, load_config
from bot.settings import Settings, SettingsError
from storage.migrate import SchemaOutOfDate


def _config_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config", metavar="PATH", help="configuration file (default: $SAMVERKAN_CONFIG or samverkan.yaml)"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="samverkan", description="Samverkan: the association's chat-ops bot.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="serve Slack over HTTP (or Socket Mode when SLACK_APP_TOKEN is set)")
    _config_option(serve)
    serve.add_argument("--port", type=int, default=None, help="HTTP port (default: $PORT or 3000)")
    serve.add_argument("--no-scheduler", action="store_true", help="do not run the scheduler in this process")
    serve.set_defaults(run=_serve)

    clock = commands.add_parser("clock", help="run the scheduler alone (the Procfile's clock process)")
    _config_option(clock)
    clock.set_defaults(run=_clock)

    tick = commands.add_parser("tick", help="one pass of the scheduler, then exit")
    _config_option(tick)
    tick.add_argument("--now", metavar="ISO-8601", help="pretend it is this time (default: now)")
    tick.set_defaults(run=_tick)

    plan = commands.add_parser("plan", help="check, show or export the communication plan")
    plan_commands = plan.add_subparsers(dest="plan_command", required=True, metavar="PLAN_COMMAND")
    check = plan_commands.add_parser("check", help="validate the configuration; exit 1 listing every error")
    _config_option(check)
    check.set_defaults(run=_plan_check)
    show = plan_commands.add_parser("show", help="the occurrences in a window")
    _config_option(show)
    show.add_argument("--from", dest="start", metavar="DATE", help="first day, YYYY-MM-DD (default: today)")
    show.add_argument("--days", type=int, default=14, help="how many days (default: 14)")
    show.add_argument("--json", action="store_true", help="print JSON")
    show.set_defaults(run=_plan_show)
    ics = plan_commands.add_parser("ics", help="the plan as an iCalendar file for Outlook")
    _config_option(ics)
    ics.add_argument("--out", metavar="FILE", help="write here instead of standard output")
    ics.add_argument("--from", dest="start", metavar="DATE", help="first day (default: today)")
    ics.add_argument("--days", type=int, default=366, help="how many days (default: 366)")
    ics.set_defaults(run=_plan_ics)

    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="DB_COMMAND")
    upgrade = db_commands.add_parser("upgrade", help="apply pending migrations to DATABASE_URL")
    upgrade.set_defaults(run=_db_upgrade)
    revision = db_commands.add_parser("revision", help="(developers) autogenerate a migration from the tables")
    revision.add_argument("--message", "-m", required=True, help="what the migration changes")
    revision.add_argument("--id", required=True, help="the revision id, e.g. 0004_something")
    revision.set_defaults(run=_db_revision)

    cases = commands.add_parser("cases", help="feedback and complaint cases: export and retention")
    cases_commands = cases.add_subparsers(dest="cases_command", required=True, metavar="CASES_COMMAND")
    export = cases_commands.add_parser("export", help="every case with its history, for the association's records")
    _config_option(export)
    export.add_argument("--year", type=int, help="only cases registered this year (default: every year)")
    export.add_argument("--format", choices=["csv", "json"], default="csv", help="output format (default: csv)")
    export.add_argument("--out", metavar="FILE", help="write here instead of standard output")
    export.set_defaults(run=_cases_export)
    purge = cases_commands.add_parser(
        "purge", help="remove the closed cases the retention rule allows (gallring), recording each removal"
    )
    _config_option(purge)
    purge.add_argument("--dry-run", action="store_true", help="only list what the rule allows to be removed")
    purge.add_argument(
        "--now",
        metavar="ISO-8601",
        help="apply the rule as of this day (default: today); the cutoff is local midnight, so a dry run and a "
        "real run on the same day remove the same cases",
    )
    purge.set_defaults(run=_cases_purge)

    demo = commands.add_parser("demo", help="run the bot against a fake Slack workspace; no Slack account needed")
    demo.add_argument("--from", dest="start", metavar="DATE", default="2027-01-11", help="first simulated day")
    demo.add_argument("--weeks", type=int, default=6, help="how many weeks to simulate (default: 6)")
    demo.add_argument("--dir", metavar="PATH", default="samverkan-demo", help="where the demo database goes")
    demo.set_defaults(run=_demo)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if not args.verbose:
        logging.getLogger("apscheduler").setLevel(logging.WARNING)  # one line per tick is noise
    settings = Settings.from_env().with_config(getattr(args, "config", None))
    try:
        return args.run(args, settings) or 0
    except ConfigError as error:
        print(error.render(), file=sys.stderr)
        return 1
    except (SettingsError, SchemaOutOfDate) as error:
        print(f"samverkan: {error}", file=sys.stderr)
        return 2
    except (OperationalError, ArgumentError) as error:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        print(f"samverkan: cannot use the database ({reason}): check DATABASE_URL", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader went away (`samverkan plan show | head`)
        sys.stderr.close()
        return 0


def _runtime(settings: Settings):
    from bot.runtime import build_runtime

    return build_runtime(settings)


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import os

    from bot import scheduler
    from bot.slack_app import build_bolt_app, build_wsgi_app
    from bot.web import serve_forever

    socket_mode = bool(settings.slack_app_token)
    settings.require_slack(socket_mode=socket_mode)
    runtime = _runtime(settings)
    if not args.no_scheduler:
        scheduler.start_background(runtime)
    bolt_app = build_bolt_app(runtime)
    if socket_mode:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        SocketModeHandler(bolt_app, settings.slack_app_token).start()
        return 0
    port = args.port or int(os.environ.get("PORT", "3000"))
    logging.getLogger(__name__).info("serving Slack on :%d/slack/events", port)
    serve_forever(build_wsgi_app(bolt_app, runtime), port)
    return 0


def _clock(args: argparse.Namespace, settings: Settings) -> int:
    from bot import scheduler

    settings.require_slack(socket_mode=True)
    scheduler.run_forever(_runtime(settings))
    return 0


def _parse_now(value: str | None) -> datetime:
    if not value:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise SettingsError(f"--now {value!r} is not an ISO-8601 time like 2027-02-08T08:00+01:00") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo("Europe/Stockholm"))


def _tick(args: argparse.Namespace, settings: Settings) -> int:
    from bot.delivery.enqueue import EnqueueReport
    from bot.plan.audience import item_title, recipient_label
    from bot.tick import run_tick

    settings.require_slack(socket_mode=True)
    now = _parse_now(args.now)
    runtime = _runtime(settings)
    report = run_tick(runtime.engine, runtime.sender_client, runtime.config, now)
    config = runtime.config

    def describe(row) -> str:
        return f"{item_title(config, row.item_id)} -> {recipient_label(config, row.recipient)}"

    for row in report.send.sent + report.send.recovered:
        print(f"sent     {describe(row)}")
    for row, reason in report.send.deferred:
        print(f"retrying {describe(row)} ({reason})")
    for row, reason in report.send.failed:
        print(f"failed   {describe(row)} ({reason})")
    plan_report = report.queued[0] or EnqueueReport()
    for occurrence in plan_report.missed:
        print(f"missed   {occurrence.item.title} at {occurrence.at.isoformat()} (reported to the owner)")
    for occurrence, reason in plan_report.failed:
        print(f"failed   {occurrence.item.title} at {occurrence.at.isoformat()}: {reason} (reported to the owner)")
    for error in report.errors:
        print(f"error    {error} (see the log; retried on the next tick)")
    print(
        f"tick at {now.isoformat()}: {len(report.send.sent) + len(report.send.recovered)} sent, "
        f"{plan_report.already_queued} skipped (already queued), {len(report.send.deferred)} retrying, "
        f"{len(report.send.failed) + len(plan_report.failed)} failed, {len(plan_report.missed)} missed"
    )
    return 1 if report.send.failed or plan_report.failed or report.errors else 0


def _plan_check(args: argparse.Namespace, settings: Settings) -> int:
    config = load_config(settings.config_path)
    print(
        f"{settings.config_path}: OK – {len(config.plan)} plan items, {len(config.people)} people, "
        f"{len(config.forums)} forums, {len(config.events)} events"
    )
    return 0


def _window(config, start: str | None, days: int) -> tuple[datetime, datetime]:
    zone = ZoneInfo(config.association.timezone)
    try:
        first = date.fromisoformat(start) if start else datetime.now(zone).date()
    except ValueError as exc:
        raise SettingsError(f"--from {start!r} is not a date like 2027-02-01") from exc
    if days < 1:
        raise SettingsError("--days must be at least 1")
    begin = datetime.combine(first, time(), tzinfo=zone)
    return begin, begin + timedelta(days=days) - timedelta(microseconds=1)


def _plan_show(args: argparse.Namespace, settings: Settings) -> int:
    from bot.plan.audience import recipients
    from bot.plan.occurrences import occurrences_between

    config = load_config(settings.config_path)
    begin, end = _window(config, args.start, args.days)
    rows = []
    for occurrence in occurrences_between(config, begin, end):
        item = occurrence.item
        rows.append(
            {
                "item": item.id,
                "title": item.title,
                "at": occurrence.at.isoformat(),
                "delivery": item.delivery,
                "recipients": [r.label for r in recipients(config, item.audience, item.delivery)],
                "owner": config.person(item.owner).name,
                "occurrence": occurrence.key,
            }
        )
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for row in rows:
        how = "post in" if row["delivery"] == "channel" else "DM to"
        print(f"{row['at'][:16].replace('T', ' ')}  {row['title']}  ({how}: {', '.join(row['recipients'])})")
    if not rows:
        print("nothing planned in this window")
    return 0


def _plan_ics(args: argparse.Namespace, settings: Settings) -> int:
    from bot.plan.ics import plan_calendar

    config = load_config(settings.config_path)
    begin, end = _window(config, args.start, args.days)
    data = plan_calendar(config, begin, end, stamp=datetime.now(UTC))
    if args.out:
        Path(args.out).write_bytes(data)
        print(f"wrote {args.out}")
    else:
        sys.stdout.buffer.write(data)
    return 0


def _db_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    from storage.engine import make_engine
    from storage.migrate import current_revision, upgrade

    engine = make_engine(settings.database_url)
    upgrade(engine)
    print(f"database at revision {current_revision(engine)}")
    return 0


def _db_revision(args: argparse.Namespace, settings: Settings) -> int:
    from storage.migrate import new_revision

    new_revision(args.message, args.id)
    return 0


def _cases_database(settings: Settings):
    from storage.engine import make_engine
    from storage.migrate import prepare_schema

    engine = make_engine(settings.database_url)
    prepare_schema(engine)
    return engine


def _cases_export(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cases.export import export_cases
    from storage.engine import session_scope

    with session_scope(_cases_database(settings)) as session:
        data = export_cases(session, args.year, args.format)
    if args.out:
        Path(args.out).write_text(data, encoding="utf-8")
        print(f"wrote {args.out}")
    else:
        sys.stdout.write(data if data.endswith("\n") else data + "\n")
    return 0


def _cases_purge(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cases.deadlines import local_date
    from bot.cases.retention import purge, purgeable, retention_rule
    from storage.engine import session_scope

    config = load_config(settings.config_path)
    if config.cases is None:
        raise SettingsError("the configuration has no cases section, so there is no retention rule to apply")
    now = _parse_now(args.now)
    rule = retention_rule(config, now)
    print(f"rule: {rule.words}")
    with session_scope(_cases_database(settings)) as session:
        if args.dry_run:
            cases = purgeable(session, config, now)
            for case in cases:
                print(f"would remove {case.number} ({case.category}, closed {local_date(config, case.closed_at)})")
            print(
                f"{len(cases)} case(s) closed before {rule.cutoff_day.isoformat()} may be removed; a real run on "
                f"{local_date(config, now).isoformat()} (or with --now {local_date(config, now).isoformat()}) "
                "removes the same cases"
            )
            return 0
        records = purge(session, config, now)
    for record in records:
        print(f"removed {record.number} ({record.category}, closed {local_date(config, record.closed_at)})")
    print(f"{len(records)} case(s) removed; each removal is recorded in the case_purge table")
    return 0


def _demo(args: argparse.Namespace, settings: Settings) -> int:
    from bot.demo.run import run_demo

    try:
        start = date.fromisoformat(args.start)
    except ValueError as exc:
        raise SettingsError(f"--from {args.start!r} is not a date like 2027-01-11") from exc
    if args.weeks < 1:
        raise SettingsError("--weeks must be at least 1")
    return run_demo(start=start, weeks=args.weeks, directory=Path(args.dir))


if __name__ == "__main__":
    sys.exit(main())
