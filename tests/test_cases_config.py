"""The `cases:` configuration section: defaults, and every mistake reported with its line and a hint."""

import pytest

from bot.config import ConfigError, parse_config
from tests.conftest import EXAMPLE

BASE = EXAMPLE.read_text(encoding="utf-8")
WITHOUT_CASES = BASE[: BASE.index("\ncases:")]


def _with_cases(section: str):
    return parse_config(WITHOUT_CASES + "\n" + section, "vmkf.yaml")


def _problems(section: str) -> list[str]:
    with pytest.raises(ConfigError) as raised:
        _with_cases(section)
    return [problem.render("vmkf.yaml") for problem in raised.value.problems]


ROUTING = """
  routing:
    - {department: it, triage_channel: C0VMKFITTR}
    - {department: specialist, triage_channel: C0VMKFSPTR}
    - {department: loner, triage_channel: C0VMKFLOTR}
    - {department: ekonomi, triage_channel: C0VMKFEKTR}
"""


def test_defaults_follow_common_municipal_practice():
    config = _with_cases("cases:" + ROUTING)
    deadlines = config.cases.deadlines
    assert (deadlines.take_working_days, deadlines.answer_working_days) == (2, 10)
    assert config.cases.retention.keep_years == 2 and config.cases.digest is None
    assert config.cases.routing_for("it").triage_channel == "C0VMKFITTR"


def test_the_section_is_optional():
    assert parse_config(WITHOUT_CASES).cases is None


def test_unknown_department_handler_and_unrouted_department():
    problems = _problems(
        """cases:
  routing:
    - {department: itt, triage_channel: C0VMKFITTR, handlers: [it-stff]}
    - {department: specialist, triage_channel: C0VMKFSPTR}
    - {department: loner, triage_channel: C0VMKFLOTR}
    - {department: loner, triage_channel: C0VMKFEKTR}
"""
    )
    assert any("cases.routing[0].department: unknown department 'itt' (did you mean 'it'?)" in p for p in problems)
    assert any("cases.routing[0].handlers[0]: unknown person 'it-stff' (did you mean 'it-stf'?)" in p for p in problems)
    assert any("cases.routing[3].department: department 'loner' is routed twice" in p for p in problems)
    assert any("department 'ekonomi' has no triage channel for cases" in p for p in problems)
    assert any("department 'it' has no triage channel for cases" in p for p in problems)


def test_bad_values_are_reported_with_their_line():
    problems = _problems(
        "cases:"
        + ROUTING
        + """  deadlines: {take_working_days: 5, answer_working_days: 3}
  retention: {keep_years: -1, categories: [berom, gnall]}
  digest: {forum: direktionen, months: [1, 13]}
  triage: C0VMKFITTR
"""
    )
    text = "\n".join(problems)
    assert "answer_working_days must not be shorter than take_working_days" in text
    assert "cases.retention.keep_years" in text and "cases.retention.categories[1]" in text
    assert "months must list month numbers 1-12" in text
    assert "cases.triage: unknown key 'triage'" in text
    line = WITHOUT_CASES.count("\n") + 1
    assert any(p.startswith(f"vmkf.yaml:{line + 7}: cases.deadlines") for p in problems)


def test_digest_forum_must_exist_and_have_a_channel():
    problems = _problems("cases:" + ROUTING + "  digest: {forum: direktionen}\n")
    assert any("unknown forum 'direktionen' (did you mean 'direktion'?)" in p for p in problems)
    no_channel = WITHOUT_CASES.replace("    channel: C0DIREKTIO\n", "")
    with pytest.raises(ConfigError) as raised:
        parse_config(no_channel + "\ncases:" + ROUTING + "  digest: {forum: direktion}\n")
    assert "forum 'direktion' has no channel for the statistics digest" in str(raised.value)


def test_retention_keeps_cases_at_least_a_year():
    problems = _problems("cases:" + ROUTING + "  retention: {keep_years: 0}\n")
    assert any("cases.retention.keep_years" in p and "greater than or equal to 1" in p for p in problems)
