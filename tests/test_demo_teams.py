"""`samverkan demo --platform teams` end to end, run as a user runs it: the real app on /api/messages, the users'
side as Activity JSON and the fake Bot Connector receiving what the app sends. Each act's key moments appear in
the transcript as Teams users read them (cards as text), in the right channel or chat, nothing was sent twice,
and the transcript shows no raw Teams id, no log line. The card-to-text renderer reads message and form cards as
the transcript shows them."""

import re
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from bot.demo.teams_cards import card_text
from messages.form import ChoiceField, Form, FormValues, Option, TextField, Toggle
from messages.message import Button, Fact, Message
from messages.teams.card import message_card
from messages.teams.form import form_card
from tests.conftest import ROOT
from tests.test_demo import _acts, _section

ACTS = [
    "Akt 1 – Kommunikationsplanen",
    "Akt 2 – Direktionens möte torsdag 22 april 2027",
    "Akt 3 – Uppföljning: Tertialuppföljning 1 2027",
    "Akt 4 – Synpunkter och klagomål",
]
# What Teams users never see: an Entra object id, a channel's or a chat's id, a Bot Connector user id.
RAW_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-|19:[a-z0-9]+@thread|a:personal-|\b29:|\bteams:")
LOG_LINE = re.compile(r"\b(DEBUG|INFO|WARNING|ERROR|CRITICAL)\b|Traceback|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}")


@pytest.fixture(scope="module")
def played(tmp_path_factory) -> tuple[subprocess.CompletedProcess, Path]:
    """`samverkan demo --platform teams` run from another folder: what reached the terminal, and the folder."""
    folder = tmp_path_factory.mktemp("demo-teams")
    command = [sys.executable, "-c", "import sys; from bot.cli import main; sys.exit(main())", "demo"]
    result = subprocess.run(
        [*command, "--platform", "teams", "--dir", str(folder)],
        capture_output=True,
        text=True,
        cwd=folder,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    return result, folder


@pytest.fixture(scope="module")
def acts(played) -> dict[str, str]:
    acts = _acts(played[0].stdout)
    assert list(acts) == ACTS
    return acts


def test_the_app_is_installed_first_and_the_plan_reports_the_team_without_it(acts):
    act = acts[ACTS[0]]
    intro = " ".join(act.split("=== ")[0].split())
    assert (
        "Först installeras appen i Teams" in intro and "men inte i teamet för Ledningsgruppen (kommuncheferna)" in intro
    )
    assert "*Kallelse till Direktionsmöte torsdag 18 februari 2027 kl. 13:00*" in _section(act, "Direktionen")
    assert "Arboga kommun är ordförandekommun" in _section(act, "Chatt med Kommunchef Arboga")
    commands = _section(act, "Vad användarna gör")
    assert "Förbundschefen (exempel): kommunikationsplan status" in commands
    assert "/kommunikationsplan" not in commands  # typed as a message to the app, without the slash
    to_communicator = _section(act, "Chatt med Kommunikatören")
    assert "*Missade utskick: Förbundsnytt till alla medarbetare*" in to_communicator
    assert (
        "*Utskicket ”Punkter till ledningsgruppens möte” i kanalen för Ledningsgruppen (kommuncheferna) kunde inte "
        "levereras* Orsak: Samverkan-appen är inte installerad i teamet som kanalen hör till. Gör så här: Lägg "
        "till appen Samverkan i teamet"
    ) in _section(act, "Chatt med Förbundschefen")
    assert "i kanalen för Ledningsgruppen (kommuncheferna): Samverkan-appen är inte installerad i teamet" in commands
    assert "=== Ledningsgruppen" not in act
    assert "_Skickas i efterhand – det här skulle ha kommit måndag 1 februari 2027 kl. 08:00._" in _section(
        act, "Chatt med IT-chefen"
    )
    # people given only by e-mail are reached through the roster the installation filled
    assert "*Veckoavstämning med avdelningscheferna*" in _section(act, "Chatt med Lönechefen")
    for other in (acts[ACTS[1]], acts[ACTS[2]], acts[ACTS[3]]):
        assert "Veckoavstämning" not in other
        assert re.search(r"skickade boten också \d+ meddelanden enligt kommunikationsplanen", other)


def test_a_board_meeting_on_cards(acts):
    act = acts[ACTS[1]]
    assert "*Kallelse till Direktionsmöte torsdag 22 april 2027 kl. 13:00*" in _section(act, "Direktionen")
    actions = _section(act, "Vad användarna gör")
    assert "lägger till appen i teamet för Ledningsgruppen (kommuncheferna)" in actions
    assert "Teams visar felen vid fälten: • Vilka gäller beslutet?: Välj vilka beslutet gäller" in actions
    assert "direktion protokoll" in actions and "Knappar: [Ändra §1] [Ändra §2] [Nytt beslut]" in actions
    assert "klickar på [Skicka sammanfattningarna] ✅ *Sammanfattningarna av 2 beslut skickas nu*" in actions
    assert "Kvitterat av Kommunchef Köping (exempel) måndag 26 april 2027 kl. 09:15." in _section(act, "Köpings kommun")
    assert "Gemensamt e-arkiv" not in _section(act, "Arboga kommun")
    assert "Gemensamt e-arkiv" not in _section(act, "Allmänheten")
    reminded = _section(act, "Chatt med Kommunchef Arboga")
    assert "*Påminnelse: kvittera direktionens beslut*" in reminded and "Kvitterat av Kommunchef Arboga" in reminded
    assert "*Kvittenser saknas*" in _section(act, "Chatt med Förbundschefen")
    assert "direktion kvittenser *Kvittenser – Direktionsmöte 22 apr* Levererade 4, kvitterade 2, saknas 2." in actions


def test_the_follow_up_round_on_cards(acts):
    act = acts[ACTS[2]]
    actions = _section(act, "Vad användarna gör")
    assert "IT-chefen (exempel): klickar på [Öppna formuläret] i sin chatt med appen Formuläret öppnas" in actions
    assert "Teams visar felen vid fälten:" in actions
    assert "Värde (procent): En procentsats ligger mellan 0 och 100." in actions
    assert "Planerade åtgärder: Beskriv planerade åtgärder" in actions
    for department in ("IT-avdelningen", "Löneavdelningen"):
        assert f"*Tack! Svaren för {department} är sparade.*" in actions
    assert "Lönechefen (exempel): uppfoljning Formuläret öppnas" in actions
    assert "svarar nu för Specialistavdelningen" in actions
    assert "⏳ Ekonomiavdelningen (Ekonomichefen (exempel)): inte svarat" in actions
    assert "Knappar: [Öppna formuläret]" in _section(act, "Chatt med IT-chefen")
    silent = _section(act, "Chatt med Ekonomichefen")
    assert "*Påminnelse: Tertialuppföljning 1 2027*" in silent
    assert "*Sista påminnelsen: Tertialuppföljning 1 2027*" in silent
    assert "*Påminnelse: Tertialuppföljning 1 2027*" in _section(act, "Chatt med Stf chef specialistavdelningen")
    quality = _section(act, "Chatt med Ekonomi- och kvalitetschefen")
    assert "*Tertialuppföljning 1 2027: 2 avdelningar saknas*" in quality
    assert "*Sammanställning: Tertialuppföljning 1 2027*" in quality
    for name in ("uppfoljning-t1-2027.csv", "uppfoljning-t1-2027.xlsx"):
        assert f"Fil att spara i OneDrive: {name}" in quality
        assert f"Fil sparad i OneDrive: {name}" in quality
        assert re.search(
            rf"klickar på \[Tillåt\] för {re.escape(name)} Filen laddas upp till OneDrive \(\d+ byte\)", actions
        )
    assert "Knappar: [Tillåt] [Avböj]" in quality
    assert "Teams låter bara appen skicka filer i en personlig chatt, inte i en kanal." in quality
    assert "Åtgärder: Kundträffar i alla fyra kommuner i maj." in _section(act, "Direktionen")


def test_complaints_with_the_triage_card_updated_in_place(acts):
    act = acts[ACTS[3]]
    actions = _section(act, "Vad användarna gör")
    assert "Kommunchef Arboga (exempel): synpunkt Formuläret öppnas: Vad gäller det?" in actions
    for number in ("VMKF 2027-0001", "VMKF 2027-0002"):
        assert f"*Registrerat som {number}*" in actions
    assert "därför kan vi inte svara dig" in actions
    assert "Direktmeddelanden från boten om ärendet: 0." in actions  # no receipt for the anonymous report
    assert "IT-chefen (exempel): ser kortet uppdateras på plats *VMKF 2027-0001* – Klagomål" in actions
    assert "Biträdande IT-chef (exempel): får svarsformuläret Svara VMKF 2027-0001" in actions
    reporter = _section(act, "Chatt med Kommunchef Arboga")
    assert "registrerat som VMKF 2027-0001" in reporter
    assert "*Svar på ditt ärende VMKF 2027-0001*" in reporter and "Vi har bytt två skrivare" in reporter
    assert "=== Chatt med Kommunchef Surahammar" not in act
    triage = _section(act, "IT-avdelningen – synpunkter (triage)")
    assert "Knappar: [Ta ärendet]" in triage
    assert "(meddelandet uppdaterat) *VMKF 2027-0001* – Klagomål" in triage
    assert "*Status: Tagen* · Handläggare: IT-chefen (exempel)" in triage
    assert "*Status: Besvarad*" in triage
    assert "[Skicka svar]" not in triage  # the answer form opened in a dialog for the answerer alone
    assert "_Anonym anmälan – inget svar kan skickas._" in _section(act, "Löneavdelningen – synpunkter (triage)")
    assert "*Påminnelse: VMKF 2027-0002 (Synpunkt)*" in _section(act, "Chatt med Lönechefen")
    assert "*Tidsgränsen har passerats: VMKF 2027-0002" in _section(act, "Chatt med Ekonomi- och kvalitetschefen")
    assert "synpunkt statistik *Synpunkter och klagomål 2027* Registrerade ärenden: 2" in actions


def _entries(act: str) -> list[tuple[str, str, str]]:
    """Every message of an act's channels and chats: (place, time, text)."""
    found = []
    for place, body in re.findall(r"^=== (.+?) \(\d+ meddelanden?\) ===$(.*?)(?=^=== |\n\d+ meddelanden? i |\Z)",
                                  act, flags=re.MULTILINE | re.DOTALL):  # fmt: skip
        for stamp, text in re.findall(r"^\[(\d{4}-\d\d-\d\d \d\d:\d\d)\]\n(.*?)(?=^\[\d{4}|\Z)", body,
                                      flags=re.MULTILINE | re.DOTALL):  # fmt: skip
            found.append((place, stamp, " ".join(text.split())))
    return found


def test_nothing_was_sent_twice(played, acts):
    for act in acts.values():
        entries = _entries(act)
        assert entries
        twice = [entry for entry, count in Counter(entries).items() if count > 1]
        assert not twice, twice
    posts = "from delivery where posted_id is not null and row_kind = 'post'"
    with sqlite3.connect(played[1] / "demo.db") as database:
        posted = database.execute(
            f"select posted_conversation, posted_id, count(*) {posts} group by posted_conversation, posted_id "
            "having count(*) > 1"
        ).fetchall()
        sent = database.execute(f"select count(*) {posts}").fetchone()[0]
    assert posted == [] and sent > 100


def test_the_terminal_shows_only_the_transcript(played):
    result, folder = played
    assert result.stderr == ""
    assert not [line for line in result.stdout.splitlines() if LOG_LINE.search(line)]
    assert not RAW_ID.findall(result.stdout.replace(str(folder), ""))
    assert "Teams app installed at" in (folder / "demo.log").read_text(encoding="utf-8")
    assert (folder / "vmkf-teams.yaml").read_text(encoding="utf-8").count("teams:19:") > 10
    log = folder / "demo.log"
    assert result.stdout.rstrip().endswith(f"Botens logg (på engelska, för den som driftar Samverkan) finns i {log}.")


def test_a_card_reads_as_text_with_heading_facts_items_and_buttons():
    message = Message(
        heading="Ärende VMKF 2027-0001",
        text="*Status: Ny*\nSvara senast _tisdag_.",
        facts=(Fact("Avdelning", "IT-avdelningen"),),
        items=("1 jun 10:00 – Registrerad",),
        buttons=(Button("case_take", "Ta ärendet", "1"), Button("case_answer", "Svara", "1")),
    )
    text = card_text(message_card(message))
    assert text.splitlines()[0] == "Ärende VMKF 2027-0001"
    assert "*Status: Ny*\nSvara senast _tisdag_." in text
    assert "Avdelning: IT-avdelningen" in text and "- 1 jun 10:00 – Registrerad" in text
    assert text.endswith("Knappar: [Ta ärendet] [Svara]")


def test_a_form_card_reads_as_its_fields_with_what_was_typed_and_the_errors():
    form = Form(
        title="Synpunkt",
        kind="case_report",
        submit="Skicka",
        parts=(
            ChoiceField("category", "Vad gäller det?", (Option("klagomal", "Klagomål"), Option("beröm", "Beröm"))),
            TextField("description", "Beskriv ärendet", multiline=True),
            Toggle("anonymous", "Anonymitet", "Lämna synpunkten anonymt"),
        ),
    )
    values = FormValues({"category": "klagomal", "description": "", "anonymous": True})
    text = card_text(form_card(form, values=values, errors={"description": "Beskriv ärendet."}))
    assert "Vad gäller det?: Klagomål" in text
    assert "Beskriv ärendet: …\n\n⚠ Beskriv ärendet." in text
    assert "Anonymitet: [x] Lämna synpunkten anonymt" in text
    assert text.endswith("Knappar: [Skicka]")
