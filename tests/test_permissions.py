"""The one permission model: every action has its grants, and roles and relations decide as the table says."""

from datetime import UTC, datetime

import pytest

from bot.errors import NotAllowed
from bot.permissions import GRANTS, Action, Scope, allowed, may, require
from messages.render import render
from storage.followup import FollowupDelegation


def _handed(round_id: str, department_id: str, person_id: str) -> FollowupDelegation:
    at = datetime(2027, 3, 1, tzinfo=UTC)
    return FollowupDelegation(
        round_id=round_id, department_id=department_id, person_id=person_id, delegated_by="x", delegated_at=at
    )


def test_every_action_has_grants_and_a_swedish_refusal():
    assert set(GRANTS) == set(Action)
    for action in Action:
        assert render("not_allowed", action=action, department="IT-avdelningen").startswith("Tyvärr, du har inte")


def test_roles_see_the_delivery_status_and_nobody_else(example_config):
    assert allowed(example_config, Action.SEE_DELIVERY_STATUS) == ["forbundschef", "kvalitetschef"]
    assert not may(example_config, example_config.person("it-chef"), Action.SEE_DELIVERY_STATUS)


def test_a_decision_task_is_its_owners_and_the_directors_and_the_boards_records_are_its_keepers(example_config):
    owned = Scope(decision_owner="it-chef")
    assert allowed(example_config, Action.REPORT_ON_DECISION_TASK, owned) == ["it-chef", "forbundschef"]
    assert allowed(example_config, Action.REPORT_ON_DECISION_TASK) == ["forbundschef"]  # a decision without owner
    assert allowed(example_config, Action.SEE_ALL_DECISION_TASKS) == ["forbundschef"]
    assert allowed(example_config, Action.EXPORT_BOARD_DECISIONS) == ["forbundschef", "sekreterare"]
    assert allowed(example_config, Action.SEE_BOARD_ACKNOWLEDGEMENTS) == [
        "forbundschef",
        "kvalitetschef",
        "sekreterare",
    ]
    without_board = example_config.model_copy(update={"board": None})
    assert allowed(without_board, Action.SEE_BOARD_ACKNOWLEDGEMENTS) == ["forbundschef", "kvalitetschef"]


def test_who_acknowledges_for_an_audience(example_config):
    koping = next(member for member in example_config.members if member.id == "koping")
    assert allowed(example_config, Action.ACKNOWLEDGE, Scope(member=koping)) == ["kommunchef-koping"]
    assert allowed(example_config, Action.ACKNOWLEDGE, Scope(addressee="it-chef")) == ["it-chef"]
    assert allowed(example_config, Action.ACKNOWLEDGE, Scope(channel="C0VMKFIT01")) == ["it-chef", "it-stf"]
    assert allowed(example_config, Action.ACKNOWLEDGE, Scope(channel="C0KOPING01")) == ["kommunchef-koping"]
    leadership = allowed(example_config, Action.ACKNOWLEDGE, Scope(channel="C0LEDNINGS"))
    assert "kommunchef-arboga" in leadership and "kvalitetschef" not in leadership
    unowned = allowed(example_config, Action.ACKNOWLEDGE, Scope(channel="C0NOBODY01"))
    assert unowned == [person.id for person in example_config.people]  # the bot cannot see who is in a channel
    assert allowed(example_config, Action.ACKNOWLEDGE) == []  # an audience that names nobody
    refusal = render("not_allowed", action=Action.ACKNOWLEDGE, department="Köpings kommun", who=("Kommunchef Köping",))
    assert refusal == "Tyvärr, du har inte behörighet att kvittera för Köpings kommun; det gör Kommunchef Köping."


def test_case_handlers_in_the_order_the_assign_form_lists_them(example_config):
    it = Scope(example_config.department("it"))
    assert allowed(example_config, Action.TAKE_CASE, it) == ["it-stf", "it-chef", "kvalitetschef", "forbundschef"]
    with pytest.raises(NotAllowed) as refused:
        require(example_config, example_config.person("lon-chef"), Action.CLOSE_CASE, it)
    assert (refused.value.action, refused.value.department) == (Action.CLOSE_CASE, "IT-avdelningen")


def test_a_delegate_answers_only_for_the_round_handed_over(example_config):
    it = example_config.department("it")
    handed = [_handed("t1-2027", "it", "kommunikator")]
    communicator = example_config.person("kommunikator")
    assert may(example_config, communicator, Action.ANSWER_FOLLOWUP, Scope(it, handed, "t1-2027"))
    assert not may(example_config, communicator, Action.ANSWER_FOLLOWUP, Scope(it, handed, "delar-2027"))
    assert may(example_config, communicator, Action.SEE_FOLLOWUP_HISTORY, Scope(it, handed))  # any round
    assert not may(example_config, communicator, Action.DELEGATE_FOLLOWUP, Scope(it, handed))
