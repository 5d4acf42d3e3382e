"""The survey tick with an injected clock: invitations once (late when the bot was down at opening), only the
latest reminder that fell due, results once when a round closes, none for a round that closed before the bot knew
it; and the service refusing what a forged or late request asks."""

import uuid

import pytest
from sqlmodel import select

from bot.delivery.keys import Source
from bot.replays import Replayed
from bot.surveys import answers
from bot.surveys.answers import SurveyRefused
from bot.surveys.schedule import enqueue_due_surveys
from bot.surveys.validation import InvalidSurveyAnswers
from storage.engine import session_scope
from storage.outbox import Delivery
from storage.surveys import SurveyResponse
from tests.conftest import local

ASKED = 6  # the example's contacts: two for Arboga and Köping, one for Kungsör and Surahammar


def occurrences(engine) -> list[tuple[str, str]]:
    with session_scope(engine) as session:
        rows = session.exec(select(Delivery).where(Delivery.source == Source.SURVEY)).all()
        return sorted((row.occurrence_key, row.recipient) for row in rows)


def tick(engine, config, now) -> int:
    with session_scope(engine) as session:
        return enqueue_due_surveys(session, config, now)


def test_invitations_once_late_if_need_be_then_only_the_latest_reminder_then_results_once(engine, example_config):
    assert tick(engine, example_config, local(2027, 3, 15, 8, 0)) == 0  # before 08:30
    assert tick(engine, example_config, local(2027, 3, 16, 9, 0)) == ASKED  # the bot was down at opening
    assert tick(engine, example_config, local(2027, 3, 16, 9, 1)) == 0
    # Both reminders fell due while the bot was down: only the later goes out.
    assert tick(engine, example_config, local(2027, 3, 30, 9, 0)) == ASKED
    keys = {key for key, _ in occurrences(engine)}
    assert keys == {"2027-03-15:open", "2027-03-15:reminder:1"}
    assert tick(engine, example_config, local(2027, 3, 31, 8, 30)) == 2  # the director and the channel
    assert tick(engine, example_config, local(2027, 4, 30, 8, 30)) == 0


def test_a_round_that_closed_before_the_bot_knew_it_gets_nothing(engine, example_config):
    assert tick(engine, example_config, local(2027, 6, 1, 9, 0)) == 0
    assert occurrences(engine) == []


def _typed(respondent_services: list[str], score: str = "7") -> dict[tuple[str, str], str | None]:
    typed: dict[tuple[str, str], str | None] = {("", q): score for q in ("overall", "expectations", "ideal")}
    for service in respondent_services:
        typed |= {(service, q): score for q in ("quality", "responsiveness", "availability")}
    return typed


def submit(engine, config, person_id, typed, now, ballot=None, key=None, round_key="2027-03-15"):
    with session_scope(engine) as session:
        return answers.submit_page(
            session=session, config=config, person=config.person(person_id), survey_id="bas", round_key=round_key,
            ballot=ballot or uuid.uuid4().hex, typed=typed, now=now, request_key=key,
        )  # fmt: skip


def test_the_service_refuses_forged_late_and_foreign_answers(engine, example_config):
    now = local(2027, 3, 16, 10, 0)
    with pytest.raises(InvalidSurveyAnswers) as invalid:
        submit(engine, example_config, "lon-kontakt-koping", _typed(["lon", "it-drift"]), now)
    assert set(invalid.value.errors.values()) == {"not_asked"}  # Köping's payroll contact rates payroll only
    with pytest.raises(InvalidSurveyAnswers) as invalid:
        submit(
            engine, example_config, "lon-kontakt-koping", _typed(["lon"], "0") | {("lon", "improve"): "x" * 2001}, now
        )
    assert set(invalid.value.errors.values()) == {"not_a_score", "too_long"}
    with pytest.raises(SurveyRefused) as refused:
        submit(engine, example_config, "kommunikator", _typed([]), now)
    assert refused.value.reason == "not_asked"
    with pytest.raises(SurveyRefused) as refused:
        submit(engine, example_config, "lon-kontakt-koping", _typed(["lon"]), local(2027, 3, 31, 8, 30))
    assert refused.value.reason == "closed"
    with pytest.raises(SurveyRefused) as refused:
        submit(engine, example_config, "lon-kontakt-koping", _typed(["lon"]), now, round_key="2027-03-16")
    assert refused.value.reason == "not_open"
    with session_scope(engine) as session:
        assert session.exec(select(SurveyResponse)).all() == []


def test_a_replay_stores_once_and_a_second_form_edits_the_same_response(engine, example_config):
    now = local(2027, 3, 16, 10, 0)
    submit(engine, example_config, "lon-kontakt-koping", _typed(["lon"]), now, key="k1")
    with pytest.raises(Replayed):
        submit(engine, example_config, "lon-kontakt-koping", _typed(["lon"], "2"), now, key="k1")
    submit(engine, example_config, "lon-kontakt-koping", _typed(["lon"], "9"), now, key="k2")
    with session_scope(engine) as session:
        (response,) = session.exec(select(SurveyResponse)).all()
        assert (response.person_id, response.revision) == ("lon-kontakt-koping", 2)
