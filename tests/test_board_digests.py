"""Releasing a meeting's digests, on Slack and on Teams: each audience gets exactly what concerns it (a member what
concerns it and the general decisions, with the acknowledge button; internal decisions never in the public
channel), an audience with nothing gets nothing, owners are told, a replayed or repeated release sends nothing
twice, and the decisions are final afterwards."""

import pytest
from sqlalchemy import func, select

from bot.board.decisions import BoardRefused, Refusal, add_decision, edit_decision
from bot.board.digests import release_digests
from bot.errors import NotAllowed
from messages.board_form import DecisionValues
from storage.board import BoardDecision, BoardDigestRelease
from storage.engine import session_scope
from storage.outbox import Delivery
from tests.chat import Chat, Value
from tests.conftest import local

SECRETARY, IT_HEAD, COMMUNICATOR = "sekreterare", "it-chef", "kommunikator"
MEETING = "direktion-2027-02"
NOW = local(2027, 2, 19, 10, 0)
ARBOGA, KOPING, KUNGSOR = "C0ARBOGA01", "C0KOPING01", "C0KUNGSOR1"
LEADERSHIP, STAFF, PUBLIC = "C0LEDNINGS", "C0VMKFALLA", "C0VMKFPUBL"
DECISIONS: list[dict[str, Value]] = [
    {"title": "Budget 2028", "summary": "Budgetramen för 2028 fastställdes.", "concerns": ("all",),
     "visibility": "public", "owner": None, "due": "", "case_number": "VMKF 2027/12"},
    {"title": "Personalfrågor i Arboga", "summary": "Bemanningen av lönestödet i Arboga ses över.",
     "concerns": ("member:arboga",), "visibility": "internal", "owner": IT_HEAD, "due": "2027-05-31",
     "case_number": ""},
    {"title": "Nytt e-arkiv", "summary": "E-arkivet upphandlas gemensamt.",
     "concerns": ("member:koping", "department:it"), "visibility": "public", "owner": None, "due": "",
     "case_number": ""},
]  # fmt: skip


def record(chat: Chat, values: list[dict[str, Value]]) -> None:
    for decision in values:
        listed = chat.command(SECRETARY, "direktion protokoll")
        assert listed.message is not None
        form = chat.click(SECRETARY, listed.message, "board_decision_new")
        assert "är registrerat" in chat.submit_form(SECRETARY, form, decision).text


def texts(chat: Chat, to: str) -> list[str]:
    return [posted.text for posted in chat.delivered(to)]


def digest_rows(chat: Chat) -> int:
    with session_scope(chat.engine) as session:
        return session.scalar(select(func.count()).select_from(Delivery).where(Delivery.source == "board-decisions"))


def test_each_audience_gets_what_concerns_it_once(chat: Chat):
    chat.runtime.clock.set(NOW)
    record(chat, DECISIONS)
    listed = chat.command(SECRETARY, "direktion protokoll")
    sent = chat.click(SECRETARY, listed.message, "board_digests_release")
    assert "Sammanfattningarna av 3 beslut skickas nu" in sent.text
    assert "Förbundets ledningsgrupp" not in sent.text and "Allmänheten" in sent.text
    assert "IT-chefen (exempel) får besked" in sent.text
    assert "Besluten kan inte ändras längre." in sent.text

    [arboga] = chat.delivered(ARBOGA)
    assert "Budget 2028" in arboga.text and "Personalfrågor i Arboga" in arboga.text
    assert "Nytt e-arkiv" not in arboga.text and arboga.actions == ["acknowledge"]
    [koping] = chat.delivered(KOPING)
    assert "Budget 2028" in koping.text and "Nytt e-arkiv" in koping.text and "Personalfrågor" not in koping.text
    [kungsor] = texts(chat, KUNGSOR)
    assert "Budget 2028" in kungsor and "Nytt e-arkiv" not in kungsor and "Personalfrågor" not in kungsor
    [leadership] = texts(chat, LEADERSHIP)
    assert all(title in leadership for title in ("Budget 2028", "Personalfrågor i Arboga", "Nytt e-arkiv"))
    assert "Ansvarig: IT-chefen (exempel), genomfört senast måndag 31 maj 2027" in leadership
    [staff] = texts(chat, STAFF)
    assert "Internt beslut" in staff and "Offentligt beslut" in staff and "Personalfrågor i Arboga" in staff
    [public] = texts(chat, PUBLIC)
    assert "Budget 2028" in public and "Nytt e-arkiv" in public and "Personalfrågor" not in public
    assert "(dnr VMKF 2027/12)" in public
    [task] = [text for text in texts(chat, IT_HEAD) if "Du ansvarar för att genomföra" in text]
    assert "Personalfrågor i Arboga" in task and "senast måndag 31 maj 2027" in task

    # The same click delivered again, and a second click: nothing sent twice.
    rows = digest_rows(chat)
    chat.click(SECRETARY, listed.message, "board_digests_release")
    again = chat.click(SECRETARY, listed.message, "board_digests_release")
    assert "kan inte ändras längre" in again.text  # the final list, or 'already sent'
    chat.tick(local(2027, 2, 19, 12, 0))
    assert digest_rows(chat) == rows
    assert [len(chat.delivered(channel)) for channel in (ARBOGA, KOPING, LEADERSHIP, STAFF, PUBLIC)] == [1] * 5

    # Final: the list has no buttons, the form is refused.
    final = chat.command(SECRETARY, "direktion protokoll direktion-2027-02")
    assert "Sammanfattningarna skickades" in final.text and final.message is None
    edit = chat.click(SECRETARY, listed.message, listed.message.actions[0])
    assert edit.form is None and "redan skickade" in edit.text
    assert "Det finns inget hållet direktionsmöte" in chat.command(SECRETARY, "direktion protokoll").text


def test_an_audience_with_nothing_gets_nothing(chat: Chat):
    chat.runtime.clock.set(NOW)
    record(chat, [DECISIONS[1]])  # internal, concerns Arboga only
    listed = chat.command(SECRETARY, "direktion protokoll")
    chat.click(SECRETARY, listed.message, "board_digests_release")
    assert len(chat.delivered(ARBOGA)) == 1
    assert chat.delivered(KOPING) == [] and chat.delivered(KUNGSOR) == [] and chat.delivered(PUBLIC) == []
    assert len(chat.delivered(LEADERSHIP)) == 1 and len(chat.delivered(STAFF)) == 1


def test_only_the_secretary_or_the_director_releases_and_nothing_empty(runtime):
    config = runtime.config
    with pytest.raises(NotAllowed), session_scope(runtime.engine) as session:
        release_digests(session=session, config=config, person=config.person(COMMUNICATOR), meeting_id=MEETING, now=NOW)
    with pytest.raises(BoardRefused) as empty, session_scope(runtime.engine) as session:
        release_digests(session=session, config=config, person=config.person(SECRETARY), meeting_id=MEETING, now=NOW)
    assert empty.value.reason == Refusal.NO_DECISIONS
    with session_scope(runtime.engine) as session:
        assert session.scalar(select(func.count()).select_from(BoardDigestRelease)) == 0


def test_edits_are_refused_after_the_release(runtime):
    config, secretary = runtime.config, runtime.config.person(SECRETARY)
    typed = DecisionValues("Budget", "Sammanfattning", True, (), (), False, "public", None, "", "")
    with session_scope(runtime.engine) as session:
        decision = add_decision(session=session, config=config, person=secretary, meeting_id=MEETING, typed=typed,
                                now=NOW)  # fmt: skip
        release_digests(session=session, config=config, person=secretary, meeting_id=MEETING, now=NOW)
    for step in (
        lambda session: edit_decision(
            session=session, config=config, person=secretary, decision_id=decision.id, revision=1, typed=typed, now=NOW
        ),  # fmt: skip
        lambda session: add_decision(
            session=session, config=config, person=secretary, meeting_id=MEETING, typed=typed, now=NOW
        ),  # fmt: skip
        lambda session: release_digests(
            session=session, config=config, person=secretary, meeting_id=MEETING, now=NOW
        ),  # fmt: skip
    ):
        with pytest.raises(BoardRefused) as refused, session_scope(runtime.engine) as session:
            step(session)
        assert refused.value.reason == Refusal.RELEASED
    with session_scope(runtime.engine) as session:
        assert session.scalar(select(func.count()).select_from(BoardDecision)) == 1
        assert session.get(BoardDecision, decision.id).revision == 1
