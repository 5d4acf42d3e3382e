"""A plan item's acknowledgement rule (`acknowledge`, `acknowledge_reminder_working_days`,
`acknowledge_escalate_working_days`): defaults, and each mistake reported with its path; and the names of subjects
and audiences read back."""

import pytest

from bot.acknowledgements.subjects import Subject, board_digest_subject, parse_subject, plan_subject
from bot.config import ConfigError, parse_config
from tests.conftest import EXAMPLE

BASE = EXAMPLE.read_text(encoding="utf-8")
ITEM = "    owner: kommunikator\n"  # the line of forbundsnytt (plan[3]) that names its owner


def _with_rule(rule: str):
    return parse_config(BASE.replace(ITEM, ITEM + rule, 1), "vmkf.yaml")


def _problems(rule: str) -> list[str]:
    with pytest.raises(ConfigError) as raised:
        _with_rule(rule)
    return [problem.render("vmkf.yaml") for problem in raised.value.problems]


def test_an_item_asks_for_no_acknowledgement_unless_it_says_so():
    item = parse_config(BASE).plan_item("forbundsnytt")
    assert (item.acknowledge, item.acknowledge_reminder_working_days, item.acknowledge_escalate_working_days) == (
        False,
        None,
        None,
    )
    rule = "    acknowledge: true\n    acknowledge_reminder_working_days: 2\n    acknowledge_escalate_working_days: 4\n"
    item = _with_rule(rule).plan_item("forbundsnytt")
    assert (item.acknowledge, item.acknowledge_reminder_working_days, item.acknowledge_escalate_working_days) == (
        True,
        2,
        4,
    )


@pytest.mark.parametrize(
    ("rule", "problem"),
    [
        ("    acknowledge_reminder_working_days: 2\n", "need acknowledge: true"),
        ("    acknowledge: true\n    acknowledge_reminder_working_days: 0\n", "greater than or equal to 1"),
        (
            "    acknowledge: true\n    acknowledge_reminder_working_days: 4\n"
            "    acknowledge_escalate_working_days: 4\n",
            "must be later than acknowledge_reminder_working_days",
        ),
        ("    acknowledge: ja tack\n", "valid boolean"),
    ],
)
def test_a_bad_rule_is_reported_with_its_item(rule: str, problem: str):
    [found] = _problems(rule)
    assert "plan[3]" in found and problem in found, found


def test_subjects_are_read_back():
    assert parse_subject(board_digest_subject("direktion-2027-02")) == Subject(meeting_id="direktion-2027-02")
    assert parse_subject(plan_subject("kallelse", "event:direktion-2027-02")) == Subject(
        item_id="kallelse", occurrence_key="event:direktion-2027-02"
    )
    for text in ("board:", "plan:kallelse", "plan::x", "case:1", ""):
        assert parse_subject(text) is None, text
