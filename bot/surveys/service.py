"""What the director and the quality manager ask of the surveys: how many have answered, the latest results, and
the results as files. Every function checks who is asking."""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from bot.config.model import AssociationConfig, Person
from bot.config.surveys_model import Survey
from bot.people import person_recipient
from bot.permissions import Action, require
from bot.replays import claim
from bot.surveys.audience import contacts_per_member
from bot.surveys.notices import export_rows
from bot.surveys.results import SurveyResults, compile_results
from bot.surveys.rounds import SurveyRound, find_survey, latest_round
from storage import outbox
from storage import surveys as store


class NoSurveyResults(Exception):
    """No round of the asked survey (`unknown`: a survey id the configuration does not have) has opened yet."""

    def __init__(self, unknown: str = "", choices: tuple[str, ...] = ()):
        super().__init__(unknown)
        self.unknown = unknown
        self.choices = choices


@dataclass(frozen=True)
class MemberStatus:
    name: str
    responses: int
    contacts: int
    missing: list[str]  # the names of those who have not answered (none in an anonymous survey)


@dataclass(frozen=True)
class RoundStatus:
    round: SurveyRound
    asked: int
    responses: int
    members: list[MemberStatus]


def survey_status(*, session: Session, config: AssociationConfig, person: Person, now: datetime) -> list[RoundStatus]:
    """The latest round of each survey: responses per member against the contacts asked."""
    require(config, person, Action.SEE_SURVEY_RESULTS)
    statuses = []
    for survey in config.surveys:
        round_ = latest_round(config, survey, now)
        if round_ is None:
            continue
        given = store.responses_per_member(session, survey.id, round_.opens)
        answered = store.respondents(session, survey.id, round_.opens)
        members = [
            MemberStatus(
                name=config.member(member_id).name,
                responses=given.get(member_id, 0),
                contacts=len(contacts),
                missing=[config.person(p).name for p in contacts if p not in answered] if not survey.anonymous else [],
            )
            for member_id, contacts in contacts_per_member(config, survey).items()
        ]
        asked = sum(member.contacts for member in members)
        statuses.append(RoundStatus(round_, asked, sum(given.values()), members))
    return statuses


def _survey(config: AssociationConfig, text: str) -> Survey:
    if not config.surveys:
        raise NoSurveyResults()
    if not text:
        return config.surveys[0]
    survey = find_survey(config, text.strip().casefold())
    if survey is None:
        raise NoSurveyResults(text.strip(), tuple(survey.id for survey in config.surveys))
    return survey


def latest_results(
    *, session: Session, config: AssociationConfig, person: Person, now: datetime, text: str = ""
) -> SurveyResults:
    """The results of the survey's open round, or else its last closed one (`text`: a survey id; the first)."""
    require(config, person, Action.SEE_SURVEY_RESULTS)
    round_ = latest_round(config, _survey(config, text), now)
    if round_ is None:
        raise NoSurveyResults()
    return compile_results(session, config, round_)


def request_export(
    *,
    session: Session,
    config: AssociationConfig,
    person: Person,
    now: datetime,
    text: str = "",
    request_key: str | None = None,
) -> SurveyRound:
    """Queue the latest results with their CSV and Excel files as a DM to the person; a replay raises Replayed."""
    results = latest_results(session=session, config=config, person=person, now=now, text=text)
    claim(session, request_key, now)
    outbox.enqueue(session, export_rows(config, results, person_recipient(person), now))
    return results.round
