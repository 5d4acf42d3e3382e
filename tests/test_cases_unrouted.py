"""A case whose department was renamed or removed in the configuration: kept, skipped by the tick, counted."""

import re

import pytest
from sqlmodel import select

from bot.cases import service
from bot.cases.service import CaseRefused
from bot.cases.statistics import case_statistics
from bot.config import parse_config
from bot.tick import run_tick
from storage.cases import FeedbackCase
from storage.engine import session_scope
from storage.outbox import Delivery
from tests.cases_support import a_report, button_click, register
from tests.conftest import EXAMPLE, local
from tests.service_calls import by

REGISTERED = local(2027, 2, 1, 9, 0)


@pytest.fixture
def renamed():
    """The example configuration with the IT department renamed from 'it' to 'itavd'."""
    text = re.sub(r"(?<![\w-])it(?![\w-])", "itavd", EXAMPLE.read_text(encoding="utf-8"))
    return parse_config(text, "vmkf.yaml")


@pytest.fixture
def cases(engine, example_config):
    """An IT case (department 'it') and a payroll case, registered before the rename."""
    it_case = register(engine, example_config, a_report(), REGISTERED)
    payroll = register(engine, example_config, a_report(service_id="lon"), REGISTERED)
    return it_case, payroll


def _keys(engine, case_id: int) -> list[str]:
    with session_scope(engine) as session:
        rows = session.exec(select(Delivery).where(Delivery.source == "case", Delivery.item_id == str(case_id)))
        return sorted(row.occurrence_key for row in rows)


def test_the_tick_skips_the_unrouted_case_and_serves_the_others(engine, runtime, renamed, cases, caplog):
    it_case, payroll = cases
    report = run_tick(engine, runtime.senders, renamed, local(2027, 2, 4, 9, 0))
    assert report.errors == []
    assert "escalation-take:2027-02-03" in _keys(engine, payroll.id)
    assert _keys(engine, it_case.id) == ["receipt", "triage"]  # registered before the rename; nothing new
    assert "case VMKF 2027-0001: department 'it' is not in the configuration; its reminders wait" in caplog.text
    with session_scope(engine) as session:
        assert session.get(FeedbackCase, it_case.id).status == "new"  # the case stays as it was


def test_steps_on_an_unrouted_case_are_refused(engine, renamed, cases):
    quality = renamed.person("kvalitetschef")
    with session_scope(engine) as session, pytest.raises(CaseRefused) as refused:
        service.take(**by(session, renamed, quality), case_id=cases[0].id, now=REGISTERED)
    assert (refused.value.reason, refused.value.detail) == ("unrouted", "it")


def test_statistics_count_the_unrouted_case_under_its_department_id(engine, renamed, cases):
    with session_scope(engine) as session:
        stats = case_statistics(session=session, config=renamed, year=2027, now=local(2027, 3, 1, 9, 0))
    assert stats.total == 2
    assert ("IT-avdelningen", 0) in stats.by_department and ("it", 1) in stats.by_department
    assert sum(count for _, count in stats.by_department) == stats.total


def test_the_buttons_of_an_unrouted_case_say_so_in_swedish(slack, fake_slack, runtime, renamed, cases):
    runtime.config = renamed
    for action_id in ("case_take", "case_show"):
        slack.interaction(button_click("U0VMKF0002", action_id, str(cases[0].id), fake_slack.response_url))
    slack.idle()
    replies = fake_slack.responses
    assert len(replies) == 2
    for reply in replies:
        assert 'Ärende VMKF 2027-0001 hör till avdelningen "it", som inte längre finns' in reply["text"]
