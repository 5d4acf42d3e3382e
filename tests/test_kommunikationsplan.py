"""/kommunikationsplan over signed HTTP: the 14-day overview, filters, help, delivery status and permissions."""

import importlib
import threading

import pytest

from bot.config import parse_config
from bot.plan.overview import upcoming_for
from bot.tick import run_tick
from messages.slack.limits import SECTION_LIMIT
from tests.command_support import command_answer, later_reply
from tests.conftest import EXAMPLE, local

DIRECTOR, QUALITY_MANAGER, IT_HEAD = "U0VMKF0001", "U0VMKF0002", "U0VMKF0010"


def reply(slack, fake_slack, text: str = "", user_id: str = DIRECTOR) -> str:
    """The command's ephemeral answer as one text (its blocks' mrkdwn), checked against Slack's limits."""
    return reply_text(command_answer(slack, fake_slack, "/kommunikationsplan", text, user_id))


def reply_text(body: dict) -> str:
    assert body["response_type"] == "ephemeral"
    assert 0 < len(body["blocks"]) <= 50
    sections = [block["text"]["text"] for block in body["blocks"] if block["type"] == "section"]
    assert all(len(section) <= SECTION_LIMIT for section in sections)
    return "\n".join(sections)


def test_the_overview_lists_the_next_14_days_in_order(slack, fake_slack):
    text = reply(slack, fake_slack)
    assert text.startswith("*Kommunikationsplanen – 14 dagar framåt*")
    expected = [
        "*måndag 1 februari 2027 kl. 08:00* – Veckoavstämning med avdelningscheferna",
        "*tisdag 2 februari 2027 kl. 08:30* – Punkter till ledningsgruppens möte",
        "*måndag 8 februari 2027 kl. 08:00* – Veckoavstämning med avdelningscheferna",
    ]
    positions = [text.index(line) for line in expected]
    assert positions == sorted(positions)
    assert "15 februari" not in text  # beyond 14 days
    assert "Inlägg i: Ledningsgruppen (kommuncheferna)\n_Ansvarig: Förbundschefen (exempel)_" in text
    assert (
        "DM till: IT-chefen (exempel), Chef specialistavdelningen (exempel), Lönechefen (exempel), "
        "Ekonomichefen (exempel)" in text
    )
    assert [call.method for call in fake_slack.calls] == ["auth.test"]  # Bolt's token check; the rest is the ack


@pytest.mark.parametrize(
    ("argument", "title", "items"),
    [
        (
            "Ledningsgruppen (kommuncheferna)",
            "Ledningsgruppen (kommuncheferna)",
            ["Punkter till ledningsgruppens möte"],
        ),
        ("ledn", "Ledningsgruppen (kommuncheferna)", ["Punkter till ledningsgruppens möte"]),
        ("it", "IT-avdelningen", ["Veckoavstämning med avdelningscheferna"] * 2),
        ("  LÖNEAVDELNINGEN ", "Löneavdelningen", ["Veckoavstämning med avdelningscheferna"] * 2),
    ],
)
def test_the_overview_filtered_by_forum_or_department(slack, fake_slack, argument, title, items):
    text = reply(slack, fake_slack, argument)
    assert text.startswith(f"*Kommunikationsplanen – 14 dagar framåt för {title}*")
    listed = [line.split("* – ", 1)[1] for line in text.splitlines() if line.startswith("*") and "* – " in line]
    assert listed == items


@pytest.mark.parametrize("argument", ["koping", "Köpings kommun", "köp"])
def test_the_overview_filtered_by_member_municipality(slack, fake_slack, clock, argument):
    clock.set(local(2027, 10, 1, 7, 0))
    text = reply(slack, fake_slack, argument)
    assert text.startswith("*Kommunikationsplanen – 14 dagar framåt för Köpings kommun*")
    assert "*måndag 11 oktober 2027 kl. 10:00* – Resultat från storgruppsmötet" in text
    assert "Kallelse" not in text and "Veckoavstämning" not in text


@pytest.mark.parametrize(
    ("argument", "name"),
    [
        ("surahammar", "Surahammars kommun"),
        ("direktion", "Direktionen"),
        ("Presidieberedningen", "Presidieberedningen"),
    ],
)
def test_a_filter_with_nothing_planned_says_so(slack, fake_slack, argument, name):
    # the board's preparation and agenda are the board's reminders (bot/board/preparation.py), not plan items
    text = reply(slack, fake_slack, argument)
    assert text.startswith(f"*Kommunikationsplanen – 14 dagar framåt för {name}*")
    assert f"Inga utskick är planerade till {name} de närmaste 14 dagarna." in text


@pytest.mark.parametrize("argument", ["blaha", "styrelsen", "k"])
def test_an_unknown_argument_gets_the_swedish_help(slack, fake_slack, argument):
    text = reply(slack, fake_slack, argument)
    assert text.startswith(f'Jag förstår inte "{argument}".')
    assert "*Så använder du /kommunikationsplan*" in text
    assert "`/kommunikationsplan it`" in text
    assert "`/kommunikationsplan status` – senaste leveranser och fel (förbundschef och kvalitetschef)" in text
    assert "Du kan filtrera på: Direktionen, Presidieberedningen," in text and "Surahammars kommun" in text


@pytest.mark.parametrize("argument", ["hjälp", "help", "?"])
def test_asking_for_help_gets_the_help_without_a_complaint(slack, fake_slack, argument):
    text = reply(slack, fake_slack, argument)
    assert text.startswith("*Så använder du /kommunikationsplan*")


def test_status_for_the_director_lists_sent_and_failed_deliveries(slack, fake_slack, runtime):
    run_tick(runtime.engine, runtime.senders, runtime.config, local(2027, 2, 1, 8, 5))
    fake_slack.workspace.missing_channels.add("C0LEDNINGS")
    run_tick(runtime.engine, runtime.senders, runtime.config, local(2027, 2, 2, 8, 35))

    text = reply(slack, fake_slack, "status")
    assert text.startswith("*Leveransstatus för kommunikationsplanen*\nVäntar på att skickas: 0")
    assert "• 1 feb 08:05 – Utskicket ”Veckoavstämning med avdelningscheferna” till Lönechefen (exempel)" in text
    assert (
        "• 2 feb 08:30 – Utskicket ”Punkter till ledningsgruppens möte” i kanalen för Ledningsgruppen "
        "(kommuncheferna): kanalen finns inte, eller appen ser den inte" in text
    )
    assert "channel_not_found" not in text
    assert "Inga misslyckade utskick" not in text
    sent = text.split("*Senast skickade*")[1].split("*Misslyckade utskick*")[0]
    assert "Rapporten om" not in sent  # the failure report DM to the owner is not a delivery of the plan
    # the board's preparation is listed with the plan: the chair municipality's chief and the director were reminded
    chair = "• 2 feb 08:35 – Påminnelsen om beredningen av Direktionsmöte torsdag 18 februari 2027 till "
    assert f"{chair}Förbundschefen (exempel)" in sent and f"{chair}Kommunchef Arboga (exempel)" in sent
    assert sent.count("• ") == 6


def test_status_with_nothing_sent_yet(slack, fake_slack):
    text = reply(slack, fake_slack, "STATUS", user_id=QUALITY_MANAGER)
    assert "Väntar på att skickas: 0" in text
    assert "Inget har skickats ännu." in text
    assert "Inga misslyckade utskick. :white_check_mark:" in text


REFUSAL = (
    "Tyvärr, du har inte behörighet att se leveransstatus. "
    "Kontakta förbundschefen eller kvalitetschefen om du behöver det."
)


def test_status_is_politely_refused_to_others(slack, fake_slack):
    assert reply(slack, fake_slack, "status", user_id=IT_HEAD) == REFUSAL
    assert fake_slack.calls_to("users.info") == []  # a configured slack_id needs no lookup


def test_status_is_refused_to_an_unknown_slack_user(slack, fake_slack):
    assert reply(slack, fake_slack, "status", user_id="U0NOBODY99") == REFUSAL
    assert [call.params["user"] for call in fake_slack.calls if call.method == "users.info"] == ["U0NOBODY99"]


def test_an_unknown_slack_user_still_sees_the_plan(slack, fake_slack):
    assert reply(slack, fake_slack, user_id="U0NOBODY99").startswith("*Kommunikationsplanen – 14 dagar framåt*")


def test_a_quality_manager_known_only_by_email_is_recognised_once_and_cached(slack, fake_slack, runtime):
    text = EXAMPLE.read_text(encoding="utf-8")
    runtime.config = parse_config(
        text.replace("slack_id: U0VMKF0002, email: kvalitetschef@vmkf.example", "email: kvalitetschef@vmkf.example")
    )
    assert reply(slack, fake_slack, "status", user_id=QUALITY_MANAGER).startswith(
        "*Leveransstatus för kommunikationsplanen*"
    )
    assert reply(slack, fake_slack, "status", user_id=QUALITY_MANAGER).startswith(
        "*Leveransstatus för kommunikationsplanen*"
    )
    assert [call.params["user"] for call in fake_slack.calls if call.method == "users.info"] == [QUALITY_MANAGER]


def test_a_listener_error_gets_a_swedish_apology_through_the_response_url(slack, fake_slack, runtime, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("bot.plan.command.upcoming", broken)
    apology = command_answer(slack, fake_slack, "/kommunikationsplan")  # acked at once; the error comes after
    assert len(fake_slack.responses) == 1
    assert apology["text"].startswith("Något gick fel hos Samverkan och din begäran kunde inte slutföras.")
    assert apology["response_type"] == "ephemeral"


def test_a_listener_that_fails_right_after_its_ack_still_answers_200(slack, fake_slack, monkeypatch):
    """Bolt takes the ack back when a listener fails after it; the request must not then wait 3 s and answer 404."""

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("bot.plan.command.upcoming", broken)
    monkeypatch.setattr("handlers.slack.errors.answer", lambda *args, **kwargs: None)  # the error handled at once
    for _ in range(5):
        answer = slack.command("/kommunikationsplan")
        assert (answer.status, answer.body) == (200, b"")


@pytest.mark.parametrize(("argument", "slow"), [("", "upcoming"), ("it", "upcoming"), ("status", "delivery_status")])
def test_the_overview_and_the_status_are_acked_before_they_are_computed(slack, fake_slack, monkeypatch, argument, slow):
    """Their cost grows with the plan and the outbox; the 3 s Slack waits for the ack must not."""
    module = "bot.plan.command"
    acked, seen = threading.Event(), []
    real = getattr(importlib.import_module(module), slow)

    def slow_work(*args, **kwargs):
        seen.append(acked.wait(timeout=5))  # the ack must not wait for this
        return real(*args, **kwargs)

    monkeypatch.setattr(f"{module}.{slow}", slow_work)
    answer = slack.command("/kommunikationsplan", text=argument)
    acked.set()
    assert (answer.status, answer.body) == (200, b"")
    text = reply_text(later_reply(slack, fake_slack, 0))
    assert text.startswith(("*Kommunikationsplanen – 14 dagar framåt", "*Leveransstatus för kommunikationsplanen*"))
    assert seen == [True]


def test_the_overview_follows_the_clock_within_a_day(slack, fake_slack, clock):
    """The overview is computed once a day, but what lies behind `now` drops out of it."""
    assert "*måndag 1 februari 2027 kl. 08:00*" in reply(slack, fake_slack)
    clock.set(local(2027, 2, 1, 8, 1))
    text = reply(slack, fake_slack)
    assert "*måndag 1 februari 2027 kl. 08:00*" not in text
    assert "*tisdag 2 februari 2027 kl. 08:30*" in text


def test_the_home_tab_lists_what_the_plan_sends_to_that_person(example_config):
    now = local(2027, 2, 1, 7, 0)
    shown = [
        (entry.occurrence.item.id, entry.occurrence.at.day)
        for entry in upcoming_for(example_config, example_config.person("forbundschef"), now, 14)
    ]
    assert shown == [("ledningsgrupp-punkter", 2)]
    assert upcoming_for(example_config, example_config.person("kvalitetschef"), now, 14) == []
    assert upcoming_for(example_config, None, now, 14) == []
