"""The tick's producer for surveys: the invitations when a round opens, reminders only to those who have not
answered, and the results when it closes.

Who has not answered: in a survey that is not anonymous, each person asked without a response. In an anonymous one
the bot cannot know who answered, so it counts: a member with fewer responses than contacts asked has all of its
contacts reminded (the reminder says that whoever has answered can disregard it), a member with as many is not.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from bot.config.model import AssociationConfig
from bot.delivery.keys import Source, survey_ask, survey_results
from bot.surveys.audience import Respondent, contacts_per_member, respondents
from bot.surveys.notices import ask_rows, results_rows
from bot.surveys.results import compile_results
from bot.surveys.rounds import SurveyRound, rounds_until
from storage import outbox, state
from storage import surveys as store

log = logging.getLogger(__name__)
TICK_NAME = "survey"
OPEN, RESULTS = "open", "results"


@dataclass(frozen=True)
class Stage:
    """What the tick sends once in a round: the invitations, a reminder (`step`: working days before closing), the
    results."""

    name: str
    step: str = ""


def not_answered(session: Session, config: AssociationConfig, round_: SurveyRound) -> list[Respondent]:
    """The people to ask again: those without a response, or in an anonymous survey every contact of a member with
    fewer responses than contacts."""
    asked = respondents(config, round_.survey)
    if not round_.survey.anonymous:
        answered = store.respondents(session, round_.survey.id, round_.opens)
        return [respondent for person_id, respondent in asked.items() if person_id not in answered]
    given = store.responses_per_member(session, round_.survey.id, round_.opens)
    short = {
        member_id
        for member_id, contacts in contacts_per_member(config, round_.survey).items()
        if given.get(member_id, 0) < len(contacts)
    }
    return [respondent for respondent in asked.values() if respondent.member.id in short]


def enqueue_due_surveys(session: Session, config: AssociationConfig, now: datetime) -> int:
    """Queue what is due in every round; returns the rows queued.

    A round that is open and has sent no invitations sends them (late, if the bot was down when it opened). The
    latest reminder whose time fell since the last tick (at most the grace period back) goes out once. A round the
    bot ran gets its results once it has closed, however late; rounds closed before the bot knew them are left
    alone."""
    grace = timedelta(hours=config.settings.grace_period_hours)
    previous = state.last_tick(session, TICK_NAME)
    window_start = now - grace if previous is None else min(previous, now - grace)
    started = [
        round_ for survey in config.surveys for round_ in rounds_until(config, survey, now) if round_.opens_at <= now
    ]
    sent = _sent(session, started)
    queued = 0
    for round_ in started:
        done = sent.get((round_.survey.id, round_.key), set())
        stages: list[Stage] = []
        if round_.is_open(now) and Stage(OPEN) not in done:
            stages.append(Stage(OPEN))
        elif Stage(OPEN) in done and round_.is_open(now):
            due = [Stage("reminder", str(offset)) for offset, at in round_.reminders if window_start < at <= now]
            stages += [stage for stage in due[-1:] if stage not in done]
        if round_.closes_at <= now and Stage(RESULTS) not in done:
            if Stage(OPEN) in done or window_start < round_.closes_at:
                stages.append(Stage(RESULTS))
        for stage in stages:
            queued += outbox.enqueue(session, _rows_for(session, config, round_, stage, now))
    state.record_tick(session, now, TICK_NAME)
    return queued


def _sent(session: Session, rounds: list[SurveyRound]) -> dict[tuple[str, str], set[Stage]]:
    """The stages of each round that have rows in the outbox (by survey id and round key), in one query."""
    written: dict[tuple[str, str], tuple[tuple[str, str], Stage]] = {}
    for round_ in rounds:
        survey_id, key = round_.survey.id, round_.key
        stages = [Stage(OPEN), *(Stage("reminder", str(offset)) for offset, _ in round_.reminders)]
        for stage in stages:
            outbox_key = survey_ask(survey_id, key, stage.name, stage.step)
            written[(outbox_key.item_id, outbox_key.occurrence)] = ((survey_id, key), stage)
        results = survey_results(survey_id, key)
        written[(results.item_id, results.occurrence)] = ((survey_id, key), Stage(RESULTS))
    found = outbox.existing_occurrences(session, Source.SURVEY, set(written))
    sent: dict[tuple[str, str], set[Stage]] = {}
    for pair in found:
        round_id, stage = written[pair]
        sent.setdefault(round_id, set()).add(stage)
    return sent


def _rows_for(
    session: Session, config: AssociationConfig, round_: SurveyRound, stage: Stage, now: datetime
) -> list[dict]:
    if stage.name == RESULTS:
        log.info("survey %s round %s closed; compiling its results", round_.survey.id, round_.key)
        return results_rows(config, compile_results(session, config, round_), now)
    ask = OPEN if stage.name == OPEN else "reminder"
    return ask_rows(config, round_, not_answered(session, config, round_), ask, now, stage.step)
