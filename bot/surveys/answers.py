"""Answering a survey: which rounds a person is asked in, what their form shows, and storing a page of answers.

In an anonymous survey nothing stored points at the respondent: the response keeps its member and its answers,
no person and no time, and the pages of one filled-in form are tied together by the form's random ballot. So an
anonymous response cannot be changed later (nobody can tell whose it is), and the bot cannot tell a contact who
answers twice from two contacts: it accepts as many responses per member as the member has contacts asked.
"""

import logging
import re
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.config.model import AssociationConfig, Person
from bot.home.dirty import mark_survey_member
from bot.replays import claim
from bot.surveys.audience import Respondent, contacts_per_member, respondents
from bot.surveys.rounds import SurveyRound, find_round, open_rounds
from bot.surveys.validation import Answer, AnswerKey, asked, clean, required
from storage import surveys as store
from storage.surveys import SurveyAnswer, SurveyResponse

log = logging.getLogger(__name__)
BALLOT = re.compile(r"^[0-9a-f]{32}$")  # uuid4().hex, as survey_form makes it


def valid_ballot(text: str) -> bool:
    """Whether a form's ballot is one the bot could have made (a forged one is refused before it is stored)."""
    return BALLOT.match(text) is not None


class SurveyRefused(Exception):
    """Why a person cannot answer: `reason` is not_asked, not_open (none open, or not this one yet), closed or full
    (an anonymous survey has as many responses from the member as it has contacts)."""

    def __init__(self, reason: str, round_: SurveyRound | None = None):
        super().__init__(reason)
        self.reason = reason
        self.round = round_


@dataclass(frozen=True)
class SurveyForm:
    """What the form shows: the round, who answers for which member and services, the answers so far (not in an
    anonymous survey) and the ballot that ties the form's pages together."""

    round: SurveyRound
    respondent: Respondent
    ballot: str
    current: dict[AnswerKey, Answer]


@dataclass(frozen=True)
class PageSaved:
    """A page stored: whether it was the response's first page, and whether every question is now answered."""

    new_response: bool
    complete: bool


def rounds_asking(config: AssociationConfig, person: Person, now: datetime) -> list[SurveyRound]:
    """The open rounds that ask the person."""
    return [round_ for round_ in open_rounds(config, now) if person.id in respondents(config, round_.survey)]


def _round(config: AssociationConfig, survey_id: str, key: str, now: datetime) -> SurveyRound:
    round_ = find_round(config, survey_id, key)
    if round_ is None or now < round_.opens_at:
        raise SurveyRefused("not_open", round_)
    if now >= round_.closes_at:
        raise SurveyRefused("closed", round_)
    return round_


def _respondent(config: AssociationConfig, round_: SurveyRound, person: Person) -> Respondent:
    respondent = respondents(config, round_.survey).get(person.id)
    if respondent is None:
        raise SurveyRefused("not_asked", round_)
    return respondent


def survey_form(
    *,
    session: Session,
    config: AssociationConfig,
    person: Person,
    now: datetime,
    survey_id: str | None = None,
    round_key: str | None = None,
) -> SurveyForm:
    """The form of the given round, or of the one open round that asks the person; SurveyRefused says why not."""
    if survey_id is None or round_key is None:
        asking = rounds_asking(config, person, now)
        if not asking:
            raise SurveyRefused("not_asked" if open_rounds(config, now) else "not_open")
        round_ = asking[0]
    else:
        round_ = _round(config, survey_id, round_key, now)
    respondent = _respondent(config, round_, person)
    current: dict[AnswerKey, Answer] = {}
    if not round_.survey.anonymous:
        response = store.response_of(session, round_.survey.id, round_.opens, person.id)
        if response is not None:
            current = {_key(answer): _value(answer) for answer in store.answers_of(session, response.id)}
    return SurveyForm(round_, respondent, uuid.uuid4().hex, current)


def _key(answer: SurveyAnswer) -> AnswerKey:
    return (answer.service_id, answer.question)


def _value(answer: SurveyAnswer) -> Answer:
    return answer.score if answer.score is not None else answer.text


def submit_page(
    *,
    session: Session,
    config: AssociationConfig,
    person: Person,
    survey_id: str,
    round_key: str,
    ballot: str,
    typed: dict[AnswerKey, str | None],
    now: datetime,
    request_key: str | None = None,
) -> PageSaved:
    """Validate and store one page of answers (InvalidSurveyAnswers, SurveyRefused); a replay raises Replayed."""
    round_ = _round(config, survey_id, round_key, now)
    respondent = _respondent(config, round_, person)
    answers = clean(respondent, typed)
    claim(session, request_key, now)
    for attempt in range(2):
        try:
            with session.begin_nested():
                return _store(session, config, round_, respondent, ballot, answers, now)
        except IntegrityError:
            # The same person's (or ballot's) first page stored meanwhile from another request: store on top of it.
            if attempt:
                raise
            session.expire_all()
    raise AssertionError("unreachable")


def _store(
    session: Session,
    config: AssociationConfig,
    round_: SurveyRound,
    respondent: Respondent,
    ballot: str,
    answers: dict[AnswerKey, Answer],
    now: datetime,
) -> PageSaved:
    survey = round_.survey
    if survey.anonymous:
        response = store.response_by_ballot(session, ballot)
    else:
        response = store.response_of(session, survey.id, round_.opens, respondent.person.id)
    new = response is None
    if response is None:
        if survey.anonymous:
            _refuse_beyond_contacts(session, config, round_, respondent)
        response = SurveyResponse(
            survey_id=survey.id,
            round_opens=round_.opens,
            member_id=respondent.member.id,
            person_id=None if survey.anonymous else respondent.person.id,
            ballot=ballot,
            submitted_at=None if survey.anonymous else now,
        )
        session.add(response)
        session.flush()
    elif response.survey_id != survey.id or response.round_opens != round_.opens:
        raise SurveyRefused("not_asked", round_)  # a ballot forged from another survey's form
    assert response.id is not None
    existing = {_key(answer): answer for answer in store.answers_of(session, response.id)}
    changed = False
    for key, value in answers.items():
        answer = existing.get(key)
        if answer is None:
            answer = SurveyAnswer(response_id=response.id, service_id=key[0], question=key[1])
            existing[key] = answer
        elif _value(answer) == value:
            continue
        answer.score, answer.text = (value, None) if isinstance(value, int) else (None, value)
        session.add(answer)
        changed = True
    if changed and not new and not survey.anonymous:
        response.revision += 1
        response.submitted_at = now
        session.add(response)
    session.flush()
    if new:  # the person (or, anonymously, everyone asked for the municipality) has one survey less to answer
        mark_survey_member(session, config, survey, respondent.member.id)
    answered = {key for key, answer in existing.items() if _value(answer) is not None}
    complete = all(key in answered for key in asked(respondent) if required(key))
    return PageSaved(new_response=new, complete=complete)


def _refuse_beyond_contacts(
    session: Session, config: AssociationConfig, round_: SurveyRound, respondent: Respondent
) -> None:
    """An anonymous survey takes at most as many responses from a member as it asks contacts of that member."""
    contacts = len(contacts_per_member(config, round_.survey).get(respondent.member.id, []))
    given = store.responses_per_member(session, round_.survey.id, round_.opens).get(respondent.member.id, 0)
    if given >= contacts:
        raise SurveyRefused("full", round_)
