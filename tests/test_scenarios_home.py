"""The personal view on Slack (the Home tab) and on Teams (`hem`, the personal chat): what the plan sends the
person in the coming two weeks, the same text on both; and the app installed for a person reaches them."""

from tests.chat import STRANGER, Chat
from tests.conftest import local


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
