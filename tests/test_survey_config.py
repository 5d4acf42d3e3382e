"""The `surveys:` section and members' `service_contacts`: defaults, the rounds they give, and every mistake
reported with its path and a hint."""

from datetime import date

import pytest

from bot.config import ConfigError, parse_config
from bot.surveys.audience import respondents
from bot.surveys.rounds import opening_days
from tests.conftest import EXAMPLE

BASE = EXAMPLE.read_text(encoding="utf-8")
WITHOUT_SURVEYS = BASE[: BASE.index("\nsurveys:")]


def _with(section: str, base: str = WITHOUT_SURVEYS):
    return parse_config(base + "\n" + section, "vmkf.yaml")


def _problems(section: str, base: str = WITHOUT_SURVEYS) -> list[str]:
    with pytest.raises(ConfigError) as raised:
        _with(section, base)
    return [problem.render("vmkf.yaml") for problem in raised.value.problems]


def test_defaults_and_the_example():
    survey = _with("surveys: [{id: bas, name: BAS, opens: [2027-03-15]}]").surveys[0]
    assert (survey.anonymous, survey.min_answers, survey.services, survey.closes_working_days_after) == (
        False, 3, "all", 10,
    )  # fmt: skip
    assert parse_config(BASE).surveys[0].yearly == ["03-15", "09-15"]
    assert parse_config(WITHOUT_SURVEYS).surveys == []


def test_a_yearly_survey_opens_twice_a_year_and_explicit_dates_once_each():
    survey = _with('surveys: [{id: bas, name: BAS, yearly: ["09-15", "03-15"], first_year: 2027, last_year: 2028}]')
    assert opening_days(survey.surveys[0], 2030) == [
        date(2027, 3, 15), date(2027, 9, 15), date(2028, 3, 15), date(2028, 9, 15),
    ]  # fmt: skip


def test_contacts_per_service_else_default_else_the_chief():
    config = parse_config(BASE)
    asked = respondents(config, config.surveys[0])
    assert [s.id for s in asked["lon-kontakt-koping"].services] == ["lon"]
    assert "lon" not in [s.id for s in asked["bas-koping"].services]
    assert asked["kommunchef-surahammar"].member.id == "surahammar"
    assert "upphandling" not in [s.id for s in asked["bas-kungsor"].services]  # Kungsör does not take it


@pytest.mark.parametrize(
    ("section", "expected"),
    [
        ("surveys: [{id: bas, name: BAS}]", "give either opens (dates) or yearly"),
        ('surveys: [{id: bas, name: BAS, opens: [2027-03-01], yearly: ["03-01"]}]', "not both or neither"),
        ('surveys: [{id: bas, name: BAS, yearly: ["03-01"]}]', "a yearly survey needs first_year"),
        ('surveys: [{id: bas, name: BAS, yearly: ["02-29"], first_year: 2027}]', "'02-29' is not a day of every year"),
        ('surveys: [{id: bas, name: BAS, yearly: ["mars"], first_year: 2027}]', "write it as MM-DD"),
        ("surveys: [{id: bas, name: BAS, opens: [2027-03-15, 2027-09-15], closes: 2027-04-01}]", "closes is for a"),
        ("surveys: [{id: bas, name: BAS, opens: [2027-03-15], closes: 2027-03-01}]", "closes before it opens"),
        ("surveys: [{id: bas, name: BAS, opens: [2027-03-15], min_answers: 0}]", "min_answers"),
        ("surveys: [{id: bas, name: BAS, opens: [2027-03-15], services: [it-drif]}]", "did you mean 'it-drift'"),
        ("surveys: [{id: bas, name: BAS, opens: [2027-03-15], digest_forum: lednings}]", "unknown forum 'lednings'"),
        (
            "surveys: [{id: bas, name: BAS, opens: [2027-03-15], reminders_working_days_before: [12]}]",
            "the reminder 12 working days before closing falls before the survey opens",
        ),
        (
            "surveys: [{id: bas, name: BAS, opens: [2027-03-15]}, {id: bas, name: Igen, opens: [2027-09-15]}]",
            "duplicate id 'bas' in surveys",
        ),
        ("surveys: [{id: bas, name: BAS, opens: [2027-03-15], anonym: true}]", "anonym"),
    ],
)
def test_mistakes_in_a_survey(section, expected):
    problems = _problems(section)
    assert any(expected in problem for problem in problems), problems
    assert all(problem.startswith("vmkf.yaml:") for problem in problems)


@pytest.mark.parametrize(
    ("contacts", "expected"),
    [
        ("{default: [bas-arbga]}", "unknown person 'bas-arbga' (did you mean 'bas-arboga'?)"),
        ("{it-drif: [bas-arboga]}", "unknown service 'it-drif' (did you mean 'it-drift'?)"),
        ("{e-arkiv: [bas-arboga]}", "member 'arboga' does not take service 'e-arkiv'"),
        ("{default: [bas-koping]}", "person 'bas-koping' is a contact of both 'arboga' and 'koping'"),
    ],
)
def test_mistakes_in_a_members_contacts(contacts, expected):
    base = WITHOUT_SURVEYS.replace(
        "service_contacts: {default: [bas-arboga], it-drift: [bas-arboga, it-kontakt-arboga]}",
        f"service_contacts: {contacts}",
    )
    assert base != WITHOUT_SURVEYS
    problems = _problems("surveys: []", base)
    assert any(expected in problem and ".service_contacts." in problem for problem in problems), problems


def test_without_a_leadership_group_the_results_need_a_forum():
    base = WITHOUT_SURVEYS.replace("kind: leadership_group", "kind: other")
    assert any(
        "add a forum of kind 'leadership_group'" in p
        for p in _problems("surveys: [{id: b, name: B, opens: [2027-03-15]}]", base)
    )
