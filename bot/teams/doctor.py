"""`samverkan doctor` on Teams: the settings, a Bot Framework token, and everyone and every channel reachable.

A bot reaches a Teams conversation only after the app is installed there, and Teams tells the bot so (stored in
storage/teams). So beside acquiring a token with the app's id, secret and tenant, the checks read what was
stored: each person on Teams has an installed personal chat, or is in the roster of a team the app is in (by
Entra object id or e-mail); each Teams channel in the file has an installed conversation.
"""

import asyncio
from collections.abc import Callable

from sqlalchemy import Engine
from sqlmodel import Session

from bot.config.model import AssociationConfig, Person
from bot.delivery.platform import SendError
from bot.golive.report import Problem, Report, configured_channels
from bot.people import teams_user_address
from bot.settings import Settings
from bot.teams.tokens import msal_token
from messages.chunks import cut
from storage.engine import session_scope
from storage.platform import Platform
from storage.teams import (
    conversation_at,
    installed_count,
    member_by_email,
    member_by_object_id,
    removed_at,
)

# Returns a Bot Framework access token; raises ValueError when Microsoft Entra refuses to issue one, OSError when
# it cannot be reached.
TokenFunction = Callable[[], str]

TOKEN_FIX = (
    "check TEAMS_APP_ID (the Azure Bot's Microsoft App ID), TEAMS_APP_PASSWORD (a client secret of that app "
    "registration that has not expired: Azure portal -> App registrations -> the app -> Certificates & secrets) "
    "and TEAMS_TENANT_ID (the app registration's Directory (tenant) ID); the Azure Bot must be single-tenant"
)
INSTALL_FIX = (
    "upload the app package (samverkan teams-app) and install it; Teams tells the bot at "
    "https://<host>/api/messages, so samverkan serve must be running there with this DATABASE_URL"
)
PERSON_FIX = (
    "install Samverkan for them (Teams admin center -> Teams apps -> Setup policies can pre-install it, or they "
    "add it themselves: Apps -> Samverkan -> Add), or add the app to a team they are in"
)


def bot_framework_token(settings: Settings) -> TokenFunction:
    """The sender's token source (bot.teams.tokens), called once: Entra's refusal (ValueError) or the network's
    failure (OSError) raised as they are, for the report to tell apart."""
    source = msal_token(settings)

    def token() -> str:
        try:
            return asyncio.run(source())
        except SendError as exc:
            raise (exc.__cause__ or exc) from None

    return token


def check_teams(config: AssociationConfig, settings: Settings, engine: Engine, token: TokenFunction) -> Report:
    """Every Teams check; the people and channels only once the app is installed somewhere."""
    report = Report()
    if settings.teams_anonymous:
        report.problems.append(
            Problem(
                "settings",
                "TEAMS_ANONYMOUS is set: requests are accepted without a Bot Framework token and messages are "
                "sent without one; that is only for trying the bot locally",
                "in production, unset TEAMS_ANONYMOUS and set TEAMS_APP_ID, TEAMS_APP_PASSWORD and TEAMS_TENANT_ID",
            )
        )
        report.skipped.append("token: anonymous mode uses none")
    else:
        report.passed.append(f"settings: the app {settings.teams_app_id} in the tenant {settings.teams_tenant_id}")
        _check_token(settings, token, report)
    with session_scope(engine) as session:
        installed = installed_count(session)
        if not installed:
            report.problems.append(
                Problem("installations", "Teams has told the bot of no installation of the app yet", INSTALL_FIX)
            )
            report.skipped.append("people and channels: the app is installed nowhere yet")
            return report
        report.passed.append(f"installations: the app is installed in {installed} conversations")
        _check_people(config, session, report)
        _check_channels(config, session, report)
    return report


def _check_token(settings: Settings, token: TokenFunction, report: Report) -> None:
    try:
        token()
    except ValueError as exc:
        reason = cut(str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__, 300)
        report.problems.append(Problem("token", f"Microsoft Entra refuses to issue one ({reason})", TOKEN_FIX))
        return
    except OSError as exc:
        report.unreachable = True
        report.problems.append(
            Problem(
                "token",
                f"no answer from Microsoft Entra ({cut(str(exc), 200)}): not checked",
                "check that the server can reach https://login.microsoftonline.com, then run doctor again",
            )
        )
        return
    report.passed.append("token: Microsoft Entra issues a Bot Framework token for the app")


def _removed(session: Session, address: str) -> str | None:
    """When the app was removed from the conversation at `address`, if it was installed and removed since."""
    when = removed_at(session, address)
    return when.date().isoformat() if when is not None else None


def _check_people(config: AssociationConfig, session: Session, report: Report) -> None:
    on_teams = [person for person in config.people if person.chat_platform == Platform.TEAMS]
    problems, personal = len(report.problems), 0
    for person in on_teams:
        object_id = person.teams_id or _object_id_by_email(session, person)
        if object_id is None:
            report.problems.append(
                Problem(
                    f"people: {person.id} ({person.name})",
                    f"no Teams user with the e-mail address {person.email} has met the app",
                    f"{PERSON_FIX}; or put their Entra object id in teams_id (Entra admin center -> Users -> the "
                    "person -> Object ID); the e-mail must be their Microsoft 365 sign-in address",
                )
            )
        elif conversation_at(session, teams_user_address(object_id)) is not None:
            personal += 1
        elif _removed(session, teams_user_address(object_id)) or member_by_object_id(session, object_id) is None:
            report.problems.append(_unreachable(session, person, object_id))  # the sender posts to neither
    if on_teams and len(report.problems) == problems:
        report.passed.append(
            f"people: all {len(on_teams)} on Teams are reachable ({personal} in a personal chat with the app, "
            f"{len(on_teams) - personal} through a team the app is in)"
        )


def _object_id_by_email(session: Session, person: Person) -> str | None:
    member = member_by_email(session, person.email) if person.email else None
    return member.object_id if member else None


def _unreachable(session: Session, person: Person, object_id: str) -> Problem:
    subject = f"people: {person.id} ({person.name})"
    removed = _removed(session, teams_user_address(object_id))
    if removed:
        return Problem(subject, f"they removed the app from their personal chat on {removed}", PERSON_FIX)
    return Problem(
        subject,
        f"the Teams user {object_id} has no personal chat with the app and is in no team the app is in",
        f"{PERSON_FIX}; check that teams_id is their Entra object id (Entra admin center -> Users -> Object ID)",
    )


def _check_channels(config: AssociationConfig, session: Session, report: Report) -> None:
    channels = configured_channels(config, Platform.TEAMS)
    problems = len(report.problems)
    for channel, uses in channels.items():
        if conversation_at(session, channel) is not None:
            continue
        subject = f"channel {channel} ({', '.join(uses)})"
        removed = _removed(session, channel)
        if removed:
            report.problems.append(
                Problem(
                    subject,
                    f"the app was removed from its team on {removed}",
                    "add Samverkan to the team again (the team's ... -> Manage team -> Apps), or put another "
                    "channel in the file",
                )
            )
            continue
        report.problems.append(
            Problem(
                subject,
                "the app is not installed in the team of this channel (Teams has told the bot of no such channel)",
                "add Samverkan to the team that has the channel (the team's ... -> Manage team -> Apps -> Get more "
                "apps); check the id: the channel's ... -> Get link to channel, the 19:...@thread.tacv2 part, "
                "URL-decoded, after teams:",
            )
        )
    if channels and len(report.problems) == problems:
        report.passed.append(f"channels: the app is installed for all {len(channels)} Teams channels")
