"""Goals, indicators and follow-up rounds in the configuration: the example loads, mistakes are named."""

import pytest

from bot.config import ConfigError
from bot.config.followup_model import Target
from bot.config.loader import parse_config
from bot.followup.rounds import indicators_for, round_times
from tests.conftest import EXAMPLE, local


def test_example_has_three_goals_and_three_rounds(example_config):
    assert len(example_config.goals) == 3
    assert any("medlemskommun" in goal.name for goal in example_config.goals)
    assert [r.kind for r in example_config.followup_rounds] == ["tertial", "interim", "annual"]
    assert {i.unit for g in example_config.goals for i in g.indicators} == {"number", "percent", "index", "text"}


def test_deadline_counted_in_working_days_before_the_board_meeting(example_config):
    times = round_times(example_config, example_config.followup_rounds[0])
    # 15 working days before the board meeting on 10 June 2027 (Ascension Day 6 May is no working day)
    assert str(times.deadline) == "2027-05-20"
    assert times.opens_at == local(2027, 5, 3, 8, 30)
    assert [at for _, at in times.reminders] == [local(2027, 5, 13, 8, 30), local(2027, 5, 19, 8, 30)]
    assert times.escalation_at == local(2027, 5, 21, 8, 30)
    assert times.closes_at == local(2027, 5, 27, 8, 30)


def test_indicators_per_department(example_config):
    loner = [indicator.id for _, indicator in indicators_for(example_config, "loner")]
    assert "lonefel" in loner and "it-svarstid" not in loner and "nki" in loner


@pytest.mark.parametrize(
    ("text", "operator", "value", "label"),
    [("NKI >= 70", ">=", 70, "NKI"), ("<= 2", "<=", 2, ""), ("> 3,5", ">", 3.5, ""), (80, ">=", 80, "")],
)
def test_targets_parse(text, operator, value, label):
    target = Target.model_validate(text)
    assert (target.operator, target.value, target.label) == (operator, value, label)


def _broken(old: str, new: str) -> ConfigError:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert old in text
    with pytest.raises(ConfigError) as caught:
        parse_config(text.replace(old, new, 1), "vmkf.yaml")
    return caught.value


def test_unknown_department_on_an_indicator_is_named_with_a_suggestion():
    error = _broken("departments: [loner]}", "departments: [lonor]}")
    assert "unknown department 'lonor'" in str(error) and "loner" in str(error)


def test_unknown_event_in_a_deadline():
    error = _broken("relative_to: direktion-2027-06,", "relative_to: direktion-2027-07,")
    assert "unknown event 'direktion-2027-07'" in str(error)


def test_bad_target_and_text_target():
    assert "is not a target" in str(_broken('target: "NKI >= 70"', 'target: "NKI ungefär 70"'))
    error = _broken("unit: text}", 'unit: text, target: ">= 1"}')
    assert "text indicator cannot have a numeric target" in str(error)


def test_duplicate_indicator_ids_across_goals():
    error = _broken("{id: sjukfranvaro,", "{id: nki,")
    assert "duplicate indicator id 'nki'" in str(error)


def test_percent_target_out_of_range():
    assert "between 0 and 100" in str(
        _broken(
            'target: ">= 95",\n         departments: [ekonomi]', 'target: ">= 195",\n         departments: [ekonomi]'
        )
    )


def test_a_round_closing_on_the_escalation_day_is_refused():
    # The escalation is due at the closing moment, when the round is already closed: it would never go out.
    old = "escalation_working_days_after: 1\n    closes_working_days_after: 5"
    error = _broken(old, "escalation_working_days_after: 3\n    closes_working_days_after: 3")
    assert "must close after the escalation" in str(error)


def test_a_reminder_before_the_round_opens_is_refused():
    # Opens Tuesday 18 May, deadline Thursday 20 May: the reminder 5 working days before falls on 13 May.
    error = _broken("opens: 2027-05-03", "opens: 2027-05-18")
    assert "the reminder 5 working days before the deadline (2027-05-20) falls on 2027-05-13" in str(error)
    assert "the reminder 1 working days" not in str(error)


def test_a_reminder_before_opening_is_refused_with_a_fixed_deadline_too():
    error = _broken("reminders_working_days_before: [5, 2, 1]", "reminders_working_days_before: [15, 1]")
    assert "falls on 2027-12-27, not after the round opens on 2028-01-03" in str(error)
