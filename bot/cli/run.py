"""Running the bot: serve (HTTP or Socket Mode), clock (the scheduler alone) and tick (one pass)."""

import argparse
import errno
import logging
import os

from bot import scheduler
from bot.cli.common import load, parse_now
from bot.cli.outcome import Exit, RuntimeFailure
from bot.plan.audience import item_title, recipient_label
from bot.plan.schedule import EnqueueReport
from bot.runtime import build_runtime
from bot.settings import Settings, SettingsError
from bot.slack.app import build_bolt_app, build_wsgi_app
from bot.tick import run_tick
from bot.web import listen

log = logging.getLogger(__name__)


def serve(args: argparse.Namespace, settings: Settings) -> int:
    socket_mode = bool(settings.slack_app_token)
    settings.require_slack(socket_mode=socket_mode)
    port = None if socket_mode else _port(args.port)
    runtime = build_runtime(settings, config=load(settings))
    bolt_app = build_bolt_app(runtime)
    if socket_mode:
        from bot.slack.socket_mode import serve_socket_mode  # only here: the adapter is not loaded for HTTP

        if not args.no_scheduler:
            scheduler.start_background(runtime)
        serve_socket_mode(bolt_app, settings.slack_app_token)
        return Exit.OK
    try:
        server = listen(build_wsgi_app(bolt_app, runtime), port)
    except OSError as exc:
        hint = (
            "another process is listening there: stop it, or pass --port N (or set PORT)"
            if exc.errno == errno.EADDRINUSE
            else "pass --port N (or set PORT) to a port this user may open"
        )
        raise RuntimeFailure(f"cannot listen on port {port} ({exc.strerror or exc}): {hint}") from exc
    if not args.no_scheduler:  # only once the port is ours, so a failed start leaves nothing running
        scheduler.start_background(runtime)
    log.info("serving Slack on :%d/slack/events", port)
    server.run()
    return Exit.OK


def _port(option: int | None) -> int:
    """--port, else $PORT, else 3000; a value that is no TCP port is a settings error."""
    raw = str(option) if option is not None else os.environ.get("PORT") or "3000"
    source = "--port" if option is not None else "PORT"
    if not raw.isdigit() or not 1 <= int(raw) <= 65535:
        raise SettingsError(f"{source} {raw!r} is not a TCP port: use a number from 1 to 65535")
    return int(raw)


def clock(args: argparse.Namespace, settings: Settings) -> int:
    settings.require_slack(socket_mode=True)
    scheduler.run_forever(build_runtime(settings, config=load(settings)))
    return Exit.OK


def tick(args: argparse.Namespace, settings: Settings) -> int:
    settings.require_slack(socket_mode=True)
    now = parse_now(args.now)
    runtime = build_runtime(settings, config=load(settings))
    report = run_tick(runtime.engine, runtime.senders, runtime.config, now)
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
    for occurrence, reason in plan_report.unqueued:
        print(f"unqueued {occurrence.item.title} at {occurrence.at.isoformat()}: {reason} (reported to the owner)")
    for error in report.errors:
        print(f"error    {error} (see the log; retried on the next tick)")
    print(
        f"tick at {now.isoformat()}: {len(report.send.sent) + len(report.send.recovered)} sent, "
        f"{plan_report.already_queued} skipped (already queued), {len(report.send.deferred)} retrying, "
        f"{len(report.send.failed) + len(plan_report.failed) + len(plan_report.unqueued)} failed, "
        f"{len(plan_report.missed)} missed"
    )
    problems = report.send.failed or plan_report.failed or plan_report.unqueued or report.errors
    return Exit.PROBLEMS if problems else Exit.OK
