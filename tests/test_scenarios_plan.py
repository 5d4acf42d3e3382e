"""The communication plan on Slack and on Teams, the same scenario and assertions: the 14-day overview and its
filters, help for what it does not understand, delivery status for the director only, and plan deliveries to a
channel and a DM sent exactly once."""

import pytest

from tests.chat import Chat
from tests.conftest import local

DIRECTOR, QUALITY_MANAGER, IT_HEAD, PAYROLL_HEAD = "forbundschef", "kvalitetschef", "it-chef", "lon-chef"
LEADERSHIP = "C0LEDNINGS"  # the leadership group's channel (on Teams, the channel standing for it)


def test_the_overview_lists_the_next_14_days_in_order(chat: Chat):
    text = chat.command(DIRECTOR, "kommunikationsplan").text
    assert text.startswith("Kommunikationsplanen – 14 dagar framåt")
    expected = [
        "måndag 1 februari 2027 kl. 08:00 – Veckoavstämning med avdelningscheferna",
        "tisdag 2 februari 2027 kl. 08:30 – Punkter till ledningsgruppens möte",
        "måndag 8 februari 2027 kl. 08:00 – Veckoavstämning med avdelningscheferna",
    ]
    positions = [text.index(line) for line in expected]
    assert positions == sorted(positions)
    assert "15 februari" not in text
    assert "Inlägg i: Ledningsgruppen (kommuncheferna)" in text and "Ansvarig: Förbundschefen (exempel)" in text


@pytest.mark.parametrize(
    ("argument", "title", "items"),
    [
        ("direktion", "Direktionen", []),  # its preparation and agenda are the board's reminders, not plan items
        ("ledn", "Ledningsgruppen (kommuncheferna)", ["Punkter till ledningsgruppens möte"]),
        ("  LÖNEAVDELNINGEN ", "Löneavdelningen", ["Veckoavstämning med avdelningscheferna"] * 2),
    ],
)
def test_the_overview_filtered(chat: Chat, argument, title, items):
    text = chat.command(DIRECTOR, f"kommunikationsplan {argument}").text
    assert text.startswith(f"Kommunikationsplanen – 14 dagar framåt för {title}")
    listed = [line.split(" – ", 1)[1] for line in text.splitlines() if " 2027 kl. " in line and " – " in line]
    assert listed == items


def test_a_filter_with_nothing_planned_says_so(chat: Chat):
    text = chat.command(DIRECTOR, "kommunikationsplan surahammar").text
    assert "Inga utskick är planerade till Surahammars kommun de närmaste 14 dagarna." in text


@pytest.mark.parametrize("argument", ["blaha", "styrelsen", "k"])
def test_an_unknown_argument_gets_the_swedish_help(chat: Chat, argument):
    text = chat.command(DIRECTOR, f"kommunikationsplan {argument}").text
    assert text.startswith(f'Jag förstår inte "{argument}".')
    assert "Så använder du" in text and "kommunikationsplan status" in text
    assert "Du kan filtrera på: Direktionen, Presidieberedningen," in text and "Surahammars kommun" in text


def test_status_for_the_director_and_the_quality_manager_only(chat: Chat):
    chat.tick(local(2027, 2, 1, 8, 5))
    for person in (DIRECTOR, QUALITY_MANAGER):
        text = chat.command(person, "kommunikationsplan status").text
        assert text.startswith("Leveransstatus för kommunikationsplanen\nVäntar på att skickas: 0")
        assert "1 feb 08:05 – Utskicket ”Veckoavstämning med avdelningscheferna” till Lönechefen (exempel)" in text
    refused = chat.command(IT_HEAD, "kommunikationsplan status").text
    assert refused.startswith("Tyvärr, du har inte behörighet")
    assert "Leveransstatus" not in refused


def test_a_plan_delivery_reaches_a_dm_and_a_channel_exactly_once(chat: Chat):
    for _ in range(2):  # the second tick finds everything sent
        chat.tick(local(2027, 2, 1, 8, 5))
        chat.tick(local(2027, 2, 2, 8, 35))
    weekly = [m.text for m in chat.delivered(PAYROLL_HEAD) if "din avdelning" in m.text]
    assert len(weekly) == 1 and weekly[0].startswith("Veckoavstämning med avdelningscheferna\nHej! Finns det något")
    assert "Ansvarig: Förbundschefen (exempel)" in weekly[0]
    posts = [m.text for m in chat.delivered(LEADERSHIP)]
    assert len(posts) == 1 and "Ledningsgruppen träffas nästa vecka." in posts[0]
    assert "Ordförandekommun:" in posts[0]
    # the director is in no department and leads no forum DM'd that week: only the board's reminder to prepare
    [preparation] = chat.delivered(DIRECTOR)
    assert preparation.text.startswith("Beredning inför Direktionsmöte torsdag 18 februari 2027 kl. 13:00")


def test_a_channel_the_app_cannot_reach_is_reported_to_the_owner_and_in_the_status(chat: Chat):
    chat.lose_channel(LEADERSHIP)
    chat.tick(local(2027, 2, 2, 8, 35))
    assert chat.delivered(LEADERSHIP) == []
    [report] = [m.text for m in chat.delivered(DIRECTOR) if "Punkter till ledningsgruppens möte" in m.text]
    assert (
        "Utskicket ”Punkter till ledningsgruppens möte” i kanalen för Ledningsgruppen (kommuncheferna) kunde inte "
        "levereras\nOrsak: " in report
    )
    assert "\nGör så här: " in report and "Planerat till tisdag 2 februari 2027 kl. 08:30" in report
    status = chat.command(DIRECTOR, "kommunikationsplan status").text
    assert "Misslyckade utskick\n• 2 feb 08:30 – " in status
    assert "Utskicket ”Punkter till ledningsgruppens möte” i kanalen för Ledningsgruppen (kommuncheferna): " in status
    assert "Inga misslyckade utskick" not in status
