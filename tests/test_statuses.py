"""Statuses are enums whose values are the strings already stored, so no migration was needed."""

from sqlalchemy import text

from bot.cases.service import Refusal
from storage.cases import OPEN_STATUSES, CaseEventKind, CaseStatus
from storage.engine import session_scope
from storage.followup import AnswerStatus
from tests.cases_support import a_report, register
from tests.conftest import local


def test_the_stored_strings_stay_the_same():
    assert [s.value for s in CaseStatus] == ["new", "taken", "answered", "closed"]
    assert OPEN_STATUSES == ("new", "taken", "answered")
    assert [s.value for s in AnswerStatus] == ["met", "partly_met", "not_met", "at_risk"]
    assert {"registered", "reopened", "not_confidential"} <= {k.value for k in CaseEventKind}
    assert Refusal.NOT_HANDLER == "not_handler"


def test_a_registered_case_is_stored_as_the_plain_value(engine, example_config):
    register(engine, example_config, a_report(), local(2027, 2, 1, 9, 0))
    with session_scope(engine) as session:
        assert session.execute(text("SELECT status FROM feedback_case")).scalar_one() == "new"
        assert session.execute(text("SELECT kind FROM case_event")).scalar_one() == "registered"
