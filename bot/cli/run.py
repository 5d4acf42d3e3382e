"""Running the bot: serve (Slack and Teams over HTTP, or Slack over Socket Mode), clock (the scheduler alone) and
tick (one pass); each needs the settings of the platforms the association file enables."""

import argparse
import errno
import logging
import os

from bot import scheduler
from bot.cli.common import load, parse_now, require_platforms
from bot.cli.outcome import Exit, RuntimeFailure
from bot.heap import freeze_startup_objects
from bot.plan.audience import item_title, recipient_label
from bot.plan.schedule import EnqueueReport
from bot.runtime import Runtime, build_runtime
from bot.server import HEALTH_PATH, SLACK_PATH, TEAMS_PATH, Endpoint, build_wsgi_app
from bot.settings import Settings, SettingsError
from bot.tick import run_tick
from bot.web import listen
from storage.platform import Platform

log = logging.getLogger(__name__)


def serve(args: argparse.Namespace, settings: Settings) -> int:
    config = load(settings)
    slack_on, teams_on = Platform.SLACK in config.platforms, Platform.TEAMS in config.platforms
    socket_mode = slack_on and bool(settings.slack_app_token)
    if socket_mode and teams_on:
        raise SettingsError(
            "SLACK_APP_TOKEN is set (Slack over Socket Mode, without HTTP), but Teams needs POST /api/messages: "
            "unset SLACK_APP_TOKEN to serve both platforms over HTTP"
        )
    require_platforms(settings, config, socket_mode=socket_mode)
    port = None if socket_mode else _port(args.port)
    runtime = build_runtime(settings, config=config)
    if socket_mode:
        from bot.slack.app import build_bolt_app
        from bot.slack.socket_mode import serve_socket_mode  # only here: the adapter is not loaded for HTTP

        bolt_app = build_bolt_app(runtime)
        if not args.no_scheduler:
            scheduler.start_background(runtime)
        log.info("serving Slack over Socket Mode")
        freeze_startup_objects()
        serve_socket_mode(bolt_app, settings.slack_app_token)
        return Exit.OK
    endpoints = _endpoints(runtime, slack_on, teams_on)
    try:
        server = listen(build_wsgi_app(runtime, **endpoints), port)
    except OSError as exc:
        hint = (
            "another process is listening there: stop it, or pass --port N (or set PORT)"
            if exc.errno == errno.EADDRINUSE
            else "pass --port N (or set PORT) to a port this user may open"
        )
        raise RuntimeFailure(f"cannot listen on port {port} ({exc.strerror or exc}): {hint}") from exc
    if not args.no_scheduler:  # only once the port is ours, so a failed start leaves nothing running
        scheduler.start_background(runtime)
    served = {"Slack": SLACK_PATH, "Teams": TEAMS_PATH}
    paths = [f"{name} on :{port}{served[name]}" for name, on in (("Slack", slack_on), ("Teams", teams_on)) if on]
    log.info("serving %s, health check on :%d%s", " and ".join(paths), port, HEALTH_PATH)
    if teams_on and settings.teams_anonymous:
        log.warning("Teams requests are accepted without a Bot Framework token (TEAMS_ANONYMOUS): local testing only")
    freeze_startup_objects()
    server.run()
    return Exit.OK


def _endpoints(runtime: Runtime, slack_on: bool, teams_on: bool) -> dict[str, Endpoint]:
    """The endpoint of each enabled platform (each platform's SDK is loaded only when it is enabled)."""
    endpoints: dict[str, Endpoint] = {}
    if slack_on:
        from bot.slack.app import build_bolt_app, slack_endpoint

        endpoints["slack"] = slack_endpoint(build_bolt_app(runtime), runtime)
    if teams_on:
        from bot.teams.app import build_teams_app
        from bot.teams.http import teams_endpoint

        endpoints["teams"] = teams_endpoint(build_teams_app(runtime), runtime)
    return endpoints


def _port(option: int | None) -> int:
    """--port, else $PORT, else 3000; a value that is no TCP port is a settings error."""
    raw = str(option) if option is not None else os.environ.get("PORT") or "3000"
    source = "--port" if option is not None else "PORT"
    if not raw.isdigit() or not 1 <= int(raw) <= 65535:
        raise SettingsError(f"{source} {raw!r} is not a TCP port: use a number from 1 to 65535")
    return int(raw)


def clock(args: argparse.Namespace, settings: Settings) -> int:
    config = load(settings)
    require_platforms(settings, config, socket_mode=True)
    runtime = build_runtime(settings, config=config)
    freeze_startup_objects()
    scheduler.run_forever(runtime)
    return Exit.OK


def tick(args: argparse.Namespace, settings: Settings) -> int:
    now = parse_now(args.now)
    config = load(settings)
    require_platforms(settings, config, socket_mode=True)
    runtime = build_runtime(settings, config=config)
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
