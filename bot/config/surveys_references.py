"""Cross-section checks for the surveys and the members' contact persons: every service, forum and person named
must exist, a member names contacts only for services it takes, and a person answers for one member only."""

from datetime import date
from typing import Any

from bot.config.errors import did_you_mean
from bot.config.salvage import list_of
from bot.workdays import working_days_between

DEFAULT_CONTACTS = "default"  # the key of a member's service_contacts for the services it does not list


def check_survey_references(check: Any) -> None:
    """Add every problem of `surveys` and of the members' `service_contacts` to the checker's problems (`check` is
    references._Checker)."""
    _check_contacts(check)
    surveys = check.entries("surveys")
    if not surveys:
        return
    check.unique_ids("surveys")
    forums = {forum.id: forum for forum in check.entries("forums") if isinstance(forum.id, str)}
    for index, survey in enumerate(surveys):
        loc = ("surveys", index)
        check.references((*loc, "services"), survey.services, "services", "service")
        if isinstance(survey.digest_forum, str):
            check.reference((*loc, "digest_forum"), survey.digest_forum, "forums", "forum")
            forum = forums.get(survey.digest_forum)
            if forum is not None and forum.channel is None:
                check.problems.append(((*loc, "digest_forum"), f"forum '{forum.id}' has no channel for the results"))
        elif survey.digest_forum is None and "forums" in check.sections:
            if not any(forum.kind == "leadership_group" and forum.channel for forum in forums.values()):
                check.problems.append(
                    (
                        (*loc, "digest_forum"),
                        "the results go to the leadership group's channel: add a forum of kind 'leadership_group' "
                        "with a channel, or name a forum in digest_forum",
                    )
                )
        _check_reminders(check, loc, survey)


def _check_reminders(check: Any, loc: tuple, survey: Any) -> None:
    """Each reminder must fall after the round opens (working days before it closes)."""
    open_days = survey.closes_working_days_after
    if isinstance(survey.closes, date) and len(list_of(survey.opens)) == 1 and isinstance(survey.opens[0], date):
        open_days = working_days_between(survey.opens[0], survey.closes)
    if not isinstance(open_days, int):
        return
    for offset in list_of(survey.reminders_working_days_before):
        if isinstance(offset, int) and offset >= open_days:
            check.problems.append(
                (
                    (*loc, "reminders_working_days_before"),
                    f"the reminder {offset} working days before closing falls before the survey opens (it is open "
                    f"{open_days} working days)",
                )
            )


def _check_contacts(check: Any) -> None:
    """Each contact is a person, each key a service the member takes (or 'default'), each person one member's."""
    services = {service.id: service for service in check.entries("services") if isinstance(service.id, str)}
    known = set(services) | {DEFAULT_CONTACTS} | check.invalid_names("services")
    answers_for: dict[str, str] = {}
    for index, member in enumerate(check.entries("members")):
        contacts = member.service_contacts
        if not isinstance(contacts, dict):
            continue
        for service_id, people in contacts.items():
            loc = ("members", index, "service_contacts", service_id)
            if "services" in check.sections and service_id not in known:
                suggestion = did_you_mean(service_id, [*services, DEFAULT_CONTACTS])
                check.problems.append((loc, f"unknown service '{service_id}'{suggestion}"))
            service = services.get(service_id)
            takes = service is None or service.kind != "optional" or member.id in list_of(service.members)
            if not takes:
                check.problems.append((loc, f"member '{member.id}' does not take service '{service_id}'"))
            check.references(loc, people, "people", "person")
            for person_id in list_of(people):
                if not isinstance(person_id, str) or not isinstance(member.id, str):
                    continue
                other = answers_for.setdefault(person_id, member.id)
                if other != member.id:
                    check.problems.append(
                        (
                            loc,
                            f"person '{person_id}' is a contact of both '{other}' and '{member.id}'; a survey answer "
                            "is for one member, so give each member its own contacts",
                        )
                    )
