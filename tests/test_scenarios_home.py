"""The personal view on Slack (the Home tab) and on Teams (`hem`, `mina uppgifter`, the personal chat): what the
person must do now (follow-up forms, cases, acknowledgements, decision tasks, surveys), then what the plan sends them
in the coming two weeks, the same text on both; served from the stored view while clean; and the app installed for
a person reaches them."""

import json
from datetime import datetime

from sqlalchemy import event

from bot.home.view import TASK_LIMIT
from storage.cases import CaseStatus, FeedbackCase
from storage.engine import session_scope
from tests.chat import STRANGER, Chat
from tests.conftest import local
from tests.test_scenarios_cases import cases, report, triage_post
from tests.test_scenarios_followup import answers_for


def test_the_personal_view_lists_what_the_plan_sends_that_person(chat: Chat):
    text = chat.home("forbundschef")
    assert "Hej Förbundschefen (exempel)!" in text
    assert "Punkter till ledningsgruppens möte" in text  # the director sits in the leadership group
    assert "Veckoavstämning med avdelningscheferna" not in text  # sent to the department heads, not to her


def test_a_department_head_sees_the_weekly_check_in(chat: Chat):
    text = chat.home("it-chef")
    assert "Hej IT-chefen (exempel)!" in text and "Veckoavstämning med avdelningscheferna" in text


def test_a_person_the_app_is_installed_for_gets_the_plan_s_messages(chat: Chat):
    chat.installed("it-chef")
    chat.tick(local(2027, 2, 1, 8, 5))
    [weekly] = [m.text for m in chat.delivered("it-chef") if "Veckoavstämning" in m.text]
    assert "Hej! Finns det något från din avdelning" in weekly


def test_a_stranger_is_told_what_to_ask_for_and_refused_what_needs_a_role(chat: Chat):
    assert "Du finns inte ännu bland förbundets personer." in chat.home(STRANGER)
    assert "Jag hittar dig inte bland förbundets personer." in chat.command(STRANGER, "uppfoljning").text
    assert chat.command(STRANGER, "kommunikationsplan status").text.startswith("Tyvärr, du har inte behörighet")
    assert chat.command(STRANGER, "kommunikationsplan").text.startswith("Kommunikationsplanen – 14 dagar framåt")


# my tasks ------------------------------------------------------------------------------------------------------
ROUND_OPENS, IN_ROUND = local(2027, 5, 3, 8, 35), local(2027, 5, 4, 10, 0)
ROUND = "Tertialuppföljning 1 2027"


def test_a_person_with_nothing_to_do_is_told_so(chat: Chat):
    chat.runtime.clock.set(local(2027, 2, 1, 7, 0))
    text = chat.home("kvalitetschef")
    assert "Hej Ekonomi- och kvalitetschefen (exempel)! Du har inget att göra just nu." in text
    assert "Inget planerat just nu." in text


def test_a_follow_up_form_due_is_shown_with_its_progress_and_gone_once_answered(chat: Chat):
    chat.tick(ROUND_OPENS)
    chat.runtime.clock.set(IN_ROUND)
    text = chat.home("it-chef")
    assert "Uppföljning att lämna (1)" in text
    assert f"{ROUND} – IT-avdelningen: 0 av" in text and "indikatorer besvarade" in text
    assert "Uppföljning att lämna" not in chat.home("kvalitetschef")  # answers for no department

    form = chat.command("it-chef", "uppfoljning")
    assert form.form is not None
    chat.submit_form("it-chef", form, answers_for(chat, "it"))
    assert "Uppföljning att lämna" not in chat.home("it-chef")  # the answers marked the view dirty


def test_a_new_case_waits_in_the_handlers_views_and_moves_to_whoever_takes_it(chat: Chat):
    chat.runtime.clock.set(local(2027, 3, 1, 9, 0))
    assert "Synpunkter och klagomål" not in chat.home("it-chef")
    report(chat)
    [number] = [case.number for case in cases(chat)]
    for handler in ("it-chef", "it-stf"):
        text = chat.home(handler)
        assert "Synpunkter och klagomål (1)" in text
        assert f"{number} – Klagomål, IT-avdelningen. Nytt, ingen har tagit det" in text
    assert "Synpunkter och klagomål" not in chat.home("specialist-chef")

    triage = triage_post(chat)
    chat.click("it-chef", triage, "case_take")
    assert f"{number} – Klagomål, IT-avdelningen. Tilldelat dig" in chat.home("it-chef")
    assert "Synpunkter och klagomål" not in chat.home("it-stf")  # taken: no longer waiting in the department


def test_opening_a_clean_view_reads_one_row_and_gathers_nothing(chat: Chat, monkeypatch):
    chat.runtime.clock.set(local(2027, 3, 1, 9, 0))
    first = chat.home("it-chef")
    statements: list[str] = []
    listen = event.listens_for(chat.engine, "before_cursor_execute")
    listen(lambda conn, cursor, statement, *rest: statements.append(statement))
    monkeypatch.setattr("bot.home.cache.gather_tasks", _must_not_gather)
    assert chat.home("it-chef") == first
    read = [s for s in statements if "home_view" in s or "feedback_case" in s or "followup" in s or "delivery" in s]
    assert len(read) == 1 and "FROM home_view" in read[0]


def _must_not_gather(*args: object) -> None:
    raise AssertionError("a clean view was gathered again")


def test_a_view_rendered_before_the_round_opened_is_rendered_again_after(chat: Chat):
    chat.runtime.clock.set(local(2027, 5, 2, 12, 0))
    assert "Uppföljning att lämna" not in chat.home("it-chef")
    chat.tick(ROUND_OPENS)  # the round opens: valid_until passed, the view is rendered again
    chat.runtime.clock.set(IN_ROUND)
    assert "Uppföljning att lämna (1)" in chat.home("it-chef")


def test_fifty_tasks_are_cut_to_fit_with_a_pointer_to_the_rest(chat: Chat):
    now = local(2027, 3, 1, 9, 0)
    chat.runtime.clock.set(now)
    assigned_cases(chat, "it-chef", 50, now)
    text = chat.home("it-chef")
    assert "Synpunkter och klagomål (50)" in text
    assert f"… och {50 - TASK_LIMIT} till. Alla ärenden finns i avdelningarnas triagekanaler." in text
    assert text.count("Tilldelat dig") == TASK_LIMIT
    assert "Skriv /kommunikationsplan i valfri kanal för hela planen." in text  # the plan is still shown


def test_the_tick_republishes_a_slack_home_tab_a_write_made_stale(chat: Chat):
    chat.runtime.clock.set(local(2027, 3, 1, 9, 0))
    chat.home("it-stf")
    report(chat)
    chat.tick(local(2027, 3, 1, 9, 1))
    if chat.platform == "slack":
        [published] = [call for call in chat.fake.calls_to("views.publish")[1:] if call.params["user_id"] ==
                       chat.user("it-stf")]  # fmt: skip
        assert "Nytt, ingen har tagit det" in json.dumps(published.params["view"], ensure_ascii=False)
    assert "Nytt, ingen har tagit det" in chat.home("it-stf")


def assigned_cases(chat: Chat, person_id: str, count: int, now: datetime) -> None:
    """`count` open IT cases assigned to the person, written directly (the scenario is the view, not the forms)."""
    with session_scope(chat.engine) as session:
        for serial in range(1, count + 1):
            session.add(FeedbackCase(number=f"VMKF 2027-{serial:04d}", year=2027, serial=serial, category="klagomal",
                                     department_id="it", description="Skrivaren", status=CaseStatus.TAKEN,
                                     assignee=person_id, registered_at=now, take_due=now.date(),
                                     answer_due=now.date()))  # fmt: skip
