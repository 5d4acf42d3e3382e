"""`samverkan doctor`: the configuration checked against the live Slack workspace, each problem with its fix.

Checks that the token works (auth.test) and has every scope in bot.slack.scopes (Slack returns the granted
scopes in the x-oauth-scopes header), that the bot is a member of every configured channel
(conversations.info), and that every configured person exists in Slack (users.info, users.lookupByEmail).
Rate limits and server errors are retried by the client; what still fails is reported, never raised.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.web import SlackResponse

from bot.config.model import AssociationConfig, Person
from bot.golive.report import Problem, Report, configured_channels
from bot.settings import Settings
from bot.slack.scopes import WEB_API_SCOPES, needed_scopes, what_needs
from storage.platform import Platform

TOKEN_FIX = (
    "set SLACK_BOT_TOKEN to the app's Bot User OAuth Token (xoxb-...) from its OAuth & Permissions page; "
    "after a reinstall or a revoked token, copy the new one"
)
RETRY_FIX = "Slack is busy or having trouble: run samverkan doctor again in a few minutes"


@dataclass(frozen=True)
class Answer:
    """One call's outcome: the body when Slack said ok, else its error code or why Slack could not answer."""

    body: dict
    headers: dict[str, str]
    error: str | None = None
    trouble: str | None = None


class SlackUnreachable(Exception):
    """No answer at all from the Slack API (connection refused, DNS, timeout)."""


def doctor_client(settings: Settings) -> WebClient:
    """A client that retries dropped connections, 429s (after Retry-After) and 500/503s before reporting them."""
    quiet = logging.getLogger("bot.slack.doctor.slack_sdk")  # the report says what failed; no retry lines
    quiet.setLevel(logging.CRITICAL)
    return WebClient(
        token=settings.slack_bot_token,
        base_url=settings.slack_api_url,
        timeout=10,
        logger=quiet,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=1),
            RateLimitErrorRetryHandler(max_retry_count=3),
            ServerErrorRetryHandler(max_retry_count=1),
        ],
    )


def _ask(method: str, call: Callable[[], SlackResponse]) -> Answer:
    try:
        response = call()
    except SlackApiError as exc:
        status = exc.response.status_code
        body = exc.response.data if isinstance(exc.response.data, dict) else {}
        headers = dict(exc.response.headers or {})
        if status == 429:
            return Answer(body, headers, trouble=f"Slack still answered 429 (rate limited) to {method} after retrying")
        if status >= 500 or not body:
            return Answer(body, headers, trouble=f"Slack answered HTTP {status} to {method} after retrying")
        return Answer(body, headers, error=str(body.get("error") or "unknown_error"))
    except OSError as exc:
        raise SlackUnreachable(str(getattr(exc, "reason", None) or exc)) from exc
    return Answer(dict(response.data) if isinstance(response.data, dict) else {}, dict(response.headers or {}))


def _header(headers: dict[str, str], name: str) -> str | None:
    return next((value for key, value in headers.items() if key.lower() == name), None)


def check_workspace(config: AssociationConfig, client: WebClient) -> Report:
    """Every check; stops after the token check when the token does not work, as nothing else could."""
    report = Report()
    try:
        granted = _check_token(client, report)
        if granted is None:
            report.skipped.append("scopes, channels and people: they need a working token")
            return report
        _check_scopes(granted, report)
        _check_channels(config, client, granted, report)
        _check_people(config, client, granted, report)
    except SlackUnreachable as exc:
        report.unreachable = True
        report.problems.append(
            Problem(
                "Slack",
                f"no answer from the Slack API at {client.base_url} ({exc}); the checks after this point did not run",
                "check the network and SLACK_API_URL (leave it unset for Slack itself), then run doctor again",
            )
        )
    return report


def _check_token(client: WebClient, report: Report) -> set[str] | None:
    """auth.test; the granted scopes, or None when the token does not work."""
    answer = _ask("auth.test", client.auth_test)
    if answer.trouble:
        report.problems.append(Problem("token", f"not checked: {answer.trouble}", RETRY_FIX))
        return None
    if answer.error:
        report.problems.append(Problem("token", f"Slack refuses it ({answer.error})", TOKEN_FIX))
        return None
    body = answer.body
    if body.get("bot_id"):
        report.passed.append(f"token: the bot user {body.get('user_id')} in the workspace {body.get('team')}")
    else:
        report.problems.append(Problem("token", "it works but is not a bot token (auth.test names no bot)", TOKEN_FIX))
    scopes = _header(answer.headers, "x-oauth-scopes")
    if scopes is None:
        report.problems.append(
            Problem(
                "scopes",
                "Slack did not say which scopes the token has (no x-oauth-scopes header)",
                "compare the app's Bot Token Scopes (OAuth & Permissions) with manifest.yml by hand",
            )
        )
        return needed_scopes()  # unknown: check the rest as if granted, and report what Slack refuses
    return {scope.strip() for scope in scopes.split(",") if scope.strip()}


def _check_scopes(granted: set[str], report: Report) -> None:
    missing = sorted(needed_scopes() - granted)
    if not missing:
        report.passed.append(f"scopes: all {len(needed_scopes())} the app needs are granted")
        return
    lacks = "; ".join(f"{scope} (for {', '.join(what_needs(scope))})" for scope in missing)
    report.problems.append(
        Problem(
            "scopes",
            f"the token lacks {lacks}",
            "add them under OAuth & Permissions -> Bot Token Scopes (or update the app from manifest.yml), "
            "then reinstall the app to the workspace",
        )
    )


def _lacking(method: str, granted: set[str]) -> list[str]:
    return [scope for scope in WEB_API_SCOPES[method] if scope not in granted]


def _check_channels(config: AssociationConfig, client: WebClient, granted: set[str], report: Report) -> None:
    channels = configured_channels(config, Platform.SLACK)
    lacking = _lacking("conversations.info", granted)
    if lacking:
        report.skipped.append(f"channels: reading them needs the scope {', '.join(lacking)} (see above)")
        return
    problems = len(report.problems)
    for channel, uses in channels.items():
        subject = f"channel {channel} ({', '.join(uses)})"
        answer = _ask("conversations.info", lambda channel=channel: client.conversations_info(channel=channel))
        if answer.trouble:
            report.problems.append(Problem(subject, f"not checked: {answer.trouble}", RETRY_FIX))
        elif answer.error == "channel_not_found":
            report.problems.append(
                Problem(
                    subject,
                    "no such channel, or it is private and the bot is not in it",
                    "check the id in the file (in Slack: the channel's name -> About -> Channel ID); "
                    "for a private channel, invite the bot first: /invite @Samverkan",
                )
            )
        elif answer.error:
            report.problems.append(Problem(subject, f"Slack refused to show it ({answer.error})", TOKEN_FIX))
        elif answer.body.get("channel", {}).get("is_archived"):
            report.problems.append(
                Problem(subject, "the channel is archived", "unarchive it, or put another channel's id in the file")
            )
        elif not answer.body.get("channel", {}).get("is_member"):
            name = answer.body.get("channel", {}).get("name") or channel
            report.problems.append(
                Problem(
                    subject,
                    f"the bot is not a member of #{name}",
                    f"in Slack, open #{name} and type /invite @Samverkan",
                )
            )
    if len(report.problems) == problems:
        report.passed.append(f"channels: the bot is a member of all {len(channels)}")


def _check_people(config: AssociationConfig, client: WebClient, granted: set[str], report: Report) -> None:
    """users.info for each configured Slack id, users.lookupByEmail for each person known only by e-mail."""
    on_slack = [person for person in config.people if person.chat_platform == Platform.SLACK]
    by_id = [person for person in on_slack if person.slack_id]
    by_email = [person for person in on_slack if not person.slack_id and person.email]
    problems, checked = len(report.problems), 0
    for people, method, check in (
        (by_id, "users.info", _check_user_id),
        (by_email, "users.lookupByEmail", _check_email),
    ):
        lacking = _lacking(method, granted)
        if people and lacking:
            report.skipped.append(f"{len(people)} people: {method} needs the scope {', '.join(lacking)} (see above)")
            continue
        for person in people:
            check(person, client, report)
        checked += len(people)
    if checked and len(report.problems) == problems:
        report.passed.append(f"people: all {checked} checked are in Slack")


def _check_user_id(person: Person, client: WebClient, report: Report) -> None:
    subject = f"people: {person.id} ({person.name})"
    fix = "copy the member id from the person's Slack profile (the ⋮ menu -> Copy member ID) into slack_id"
    missing = Problem(subject, f"no Slack user {person.slack_id} in this workspace", fix)
    answer = _ask_about(report, missing, "users.info", lambda: client.users_info(user=person.slack_id))
    if answer is not None and answer.body.get("user", {}).get("deleted"):
        deactivated = f"the Slack account {person.slack_id} is deactivated"
        report.problems.append(Problem(subject, deactivated, "put the person who holds the role now in the file"))


def _check_email(person: Person, client: WebClient, report: Report) -> None:
    fix = "correct the address to the one on the person's Slack profile, or add their slack_id"
    missing = Problem(
        f"people: {person.id} ({person.name})", f"no Slack user has the e-mail address {person.email}", fix
    )
    _ask_about(report, missing, "users.lookupByEmail", lambda: client.users_lookupByEmail(email=person.email))


# The errors with which each people method says that there is no such person.
_NOT_FOUND = {"users.info": ("user_not_found", "user_not_visible"), "users.lookupByEmail": ("users_not_found",)}


def _ask_about(report: Report, missing: Problem, method: str, call: Callable[[], SlackResponse]) -> Answer | None:
    """Ask Slack `method` about a person and report what went wrong (`missing` when Slack knows no such person);
    the answer when Slack gave one without an error."""
    answer = _ask(method, call)
    if answer.trouble:
        report.problems.append(Problem(missing.subject, f"not checked: {answer.trouble}", RETRY_FIX))
    elif answer.error in _NOT_FOUND[method]:
        report.problems.append(missing)
    elif answer.error:
        report.problems.append(Problem(missing.subject, f"Slack refused {method} ({answer.error})", TOKEN_FIX))
    else:
        return answer
    return None
