"""After a board meeting, on Slack and on Teams: the secretary is asked once, records the decisions in the form
(bad input comes back as Swedish errors with what was typed, nothing stored), edits one with its revision kept,
others are refused, and `/direktion protokoll` lists the meeting's decisions with their buttons."""

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from bot.board.decisions import add_decision, edit_decision
from bot.board.secretary import enqueue_protocol_requests, request_time
from bot.config.model import Event
from bot.errors import NotAllowed
from messages.board_form import DecisionValues
from storage.board import BoardDecision, BoardDecisionRevision
from storage.engine import session_scope
from tests.chat import Chat, Value
from tests.conftest import local

SECRETARY, DIRECTOR, COMMUNICATOR, IT_HEAD = "sekreterare", "forbundschef", "kommunikator", "it-chef"
MEETING = "direktion-2027-02"  # Thursday 18 February 2027
ASKED_AT = local(2027, 2, 19, 8, 30)  # the day after, at the default time
GOOD: dict[str, Value] = {
    "title": "Budget 2028",
    "summary": "Direktionen fastställde budgetramen för 2028.",
    "concerns": ("all",),
    "visibility": "public",
    "owner": IT_HEAD,
    "due": "2027-05-31",
    "case_number": "VMKF 2027/12",
}


def decisions(chat: Chat) -> list[BoardDecision]:
    with session_scope(chat.engine) as session:
        return list(session.scalars(select(BoardDecision).order_by(BoardDecision.position)))


def requests_to_secretary(chat: Chat) -> list:
    return [posted for posted in chat.delivered(SECRETARY) if "Registrera besluten" in posted.text]


def test_the_secretary_is_asked_once_the_day_after_and_records_a_decision(chat: Chat):
    chat.tick(local(2027, 2, 18, 18, 0))  # the evening of the meeting: not yet
    assert requests_to_secretary(chat) == []
    chat.tick(ASKED_AT)
    chat.tick(ASKED_AT.replace(hour=12))
    [asked] = requests_to_secretary(chat)
    assert "torsdag 18 februari 2027" in asked.text and asked.actions == ["board_decision_new"]

    chat.runtime.clock.set(ASKED_AT.replace(hour=10))
    form = chat.click(SECRETARY, asked, "board_decision_new")
    assert form.form is not None and "Nytt beslut från direktionsmöte torsdag 18 februari 2027" in form.text

    # Bad input: a Swedish text under each wrong field, what was typed kept, nothing stored.
    bad = GOOD | {"title": "  ", "concerns": ("all", "member:arboga"), "due": "31/5", "case_number": "???"}
    refused = chat.submit_form(SECRETARY, form, bad)
    assert refused.errors == {
        "title": "Skriv en rubrik.",
        "concerns": "Välj antingen alla eller enskilda kommuner och avdelningar, inte båda.",
        "due": "Skriv datumet som ÅÅÅÅ-MM-DD, till exempel 2027-05-31.",
        "case_number": "Skriv diarienumret som förbundet skriver det, till exempel VMKF 2027/12 (högst 40 tecken, "
        "med minst en siffra).",
    }
    assert refused.typed["due"] == "31/5" and refused.typed["summary"] == GOOD["summary"]
    assert decisions(chat) == []

    # An owner without a due date, and a due date before the meeting.
    both = chat.submit_form(SECRETARY, refused, GOOD | {"due": ""})
    assert both.errors == {"due": "Ange också senast när beslutet ska vara genomfört, eller ta bort den ansvariga."}
    early = chat.submit_form(SECRETARY, both, GOOD | {"due": "2027-02-01"})
    assert early.errors == {"due": "Datumet kan inte ligga före mötet."} and decisions(chat) == []

    saved = chat.submit_form(SECRETARY, early, GOOD)
    assert saved.errors == {} and "§1 Budget 2028 är registrerat" in saved.text
    again = chat.resubmit()  # the same submission delivered again
    assert "redan sparat" in again.text
    [stored] = decisions(chat)
    assert (stored.position, stored.owner, stored.due, stored.case_number) == (
        1,
        IT_HEAD,
        date(2027, 5, 31),
        "VMKF 2027/12",
    )
    assert stored.concerns_all and stored.public and stored.created_by == SECRETARY


def test_the_protocol_lists_the_decisions_and_an_edit_keeps_its_revision(chat: Chat):
    chat.runtime.clock.set(ASKED_AT)
    listed = chat.command(SECRETARY, "direktion protokoll")
    assert "Inga beslut är registrerade ännu" in listed.text and listed.message is not None
    assert listed.message.actions == ["board_decision_new"]  # nothing to edit or send yet
    form = chat.click(SECRETARY, listed.message, "board_decision_new")
    assert "är registrerat" in chat.submit_form(SECRETARY, form, GOOD).text
    second = chat.click(SECRETARY, listed.message, "board_decision_new")
    internal = GOOD | {"title": "IT-strategi", "concerns": ("member:arboga", "department:it"), "visibility": "internal",
                       "owner": None, "due": "", "case_number": ""}  # fmt: skip
    assert "§2 IT-strategi är registrerat" in chat.submit_form(SECRETARY, second, internal).text

    listed = chat.command(SECRETARY, "direktion protokoll")
    assert "§1 Budget 2028 – offentligt; gäller alla" in listed.text
    assert "§2 IT-strategi – internt; gäller Arboga kommun, IT-avdelningen" in listed.text
    first, second_id = (decision.id for decision in decisions(chat))
    assert listed.message is not None
    assert listed.message.actions == [
        f"board_decision_edit:{first}",
        f"board_decision_edit:{second_id}",
        "board_decision_new",
        "board_digests_release",
    ]

    edit = chat.click(SECRETARY, listed.message, f"board_decision_edit:{first}")
    assert edit.form is not None and chat.shown_values(edit)["title"] == "Budget 2028"
    changed = chat.submit_form(SECRETARY, edit, GOOD | {"summary": "Budgetramen fastställdes, med ändring.",
                                                         "due": "2027-06-30"})  # fmt: skip
    assert "§1 Budget 2028 är ändrat (sammanfattning, ska vara genomfört senast)" in changed.text
    assert "redan sparat" in chat.resubmit().text
    [budget, _] = decisions(chat)
    assert budget.revision == 2 and budget.due == date(2027, 6, 30)
    with session_scope(chat.engine) as session:
        [revision] = session.scalars(select(BoardDecisionRevision))
    assert json.loads(revision.changes) == {
        "summary": [GOOD["summary"], "Budgetramen fastställdes, med ändring."],
        "due": ["2027-05-31", "2027-06-30"],
    }
    assert (revision.decision_id, revision.revision, revision.edited_by) == (first, 2, SECRETARY)

    # A form opened before that edit cannot overwrite it.
    stale = chat.submit_form(SECRETARY, edit, GOOD | {"title": "Budget 2028 (rättad)"})
    assert "har ändrats av någon annan" in stale.text and decisions(chat)[0].title == "Budget 2028"

    # Withdrawn: struck from the list, without its button.
    withdraw = chat.click(
        SECRETARY, chat.command(SECRETARY, "direktion protokoll").message, f"board_decision_edit:{second_id}"
    )
    assert "är struket" in chat.submit_form(SECRETARY, withdraw, internal | {"withdraw": True}).text
    listed = chat.command(SECRETARY, "direktion protokoll")
    assert "§2 IT-strategi (struket)" in listed.text
    assert f"board_decision_edit:{second_id}" not in listed.message.actions


def test_others_are_refused(chat: Chat):
    chat.runtime.clock.set(ASKED_AT)
    assert (
        "inte behörighet att registrera direktionens beslut" in chat.command(COMMUNICATOR, "direktion protokoll").text
    )
    listed = chat.command(DIRECTOR, "direktion protokoll")  # the director stands in for the secretary
    assert "Beslut från direktionsmöte torsdag 18 februari 2027" in listed.text
    assert "inte hållits ännu" in chat.command(SECRETARY, "direktion protokoll direktion-2027-04").text
    assert "inget direktionsmöte med det namnet" in chat.command(SECRETARY, "direktion protokoll mote-1").text


def test_a_form_submitted_by_someone_else_stores_nothing(runtime):
    typed = DecisionValues("Budget", "Sammanfattning", True, (), (), False, "public", None, "", "")
    with pytest.raises(NotAllowed), session_scope(runtime.engine) as session:
        add_decision(session=session, config=runtime.config, person=runtime.config.person(COMMUNICATOR),
                     meeting_id=MEETING, typed=typed, now=ASKED_AT)  # fmt: skip
    with session_scope(runtime.engine) as session:
        assert session.scalar(select(func.count()).select_from(BoardDecision)) == 0
        decision = add_decision(session=session, config=runtime.config, person=runtime.config.person(SECRETARY),
                                meeting_id=MEETING, typed=typed, now=ASKED_AT)  # fmt: skip
    with pytest.raises(NotAllowed), session_scope(runtime.engine) as session:
        edit_decision(session=session, config=runtime.config, person=runtime.config.person(IT_HEAD),
                      decision_id=decision.id, revision=1, typed=typed, now=ASKED_AT)  # fmt: skip


def test_the_request_moves_to_the_next_working_day_and_catches_up_once(runtime):
    friday = Event(id="m", kind="board_meeting", title="Direktionsmöte", date=date(2027, 6, 4))
    assert request_time(runtime.config, friday) == local(2027, 6, 7, 8, 30)  # Saturday -> Monday
    midsummer = Event(id="m", kind="board_meeting", title="Direktionsmöte", date=date(2027, 6, 24))
    assert request_time(runtime.config, midsummer) == local(2027, 6, 28, 8, 30)  # midsummer eve, then the weekend

    config = runtime.config
    with session_scope(runtime.engine) as session:  # the first tick long after the meetings asks about none
        assert enqueue_protocol_requests(session, config, local(2027, 5, 1, 9, 0)) == 0
    with session_scope(runtime.engine) as session:  # down from May to the end of June: the June meeting caught up
        assert enqueue_protocol_requests(session, config, local(2027, 6, 30, 9, 0)) == 1
    with session_scope(runtime.engine) as session:
        assert enqueue_protocol_requests(session, config, local(2027, 7, 1, 9, 0)) == 0

    cancelled = config.model_copy(
        update={"events": [e.model_copy(update={"cancelled": e.id == "direktion-2027-09"}) for e in config.events]}
    )
    with session_scope(runtime.engine) as session:
        assert enqueue_protocol_requests(session, cancelled, local(2027, 9, 24, 9, 0)) == 0
