"""`samverkan demo` end to end: each act's key moments appear in the transcript, in the right channel or DM, and
the transcript reads as a user would read it (Swedish only, no raw ids or error codes, counts in the right form)."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import load_config
from tests.conftest import EXAMPLE, ROOT


def _acts(transcript: str) -> dict[str, str]:
    """The transcript's acts by heading ('Akt 1 – …')."""
    parts = re.split(r"^# (Akt \d – .*)$", transcript, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def _section(act: str, heading: str) -> str:
    """The users' actions, or one channel's or DM's messages, within an act; wrapped lines joined again."""
    pattern = rf"^=== {re.escape(heading)}.*?===$(.*?)(?=^=== |\Z)"
    match = re.search(pattern, act, flags=re.MULTILINE | re.DOTALL)
    assert match, f"no section {heading!r} in:\n{act}"
    return " ".join(match.group(1).split())


def test_the_demo_plays_all_four_acts(tmp_path, capsys):
    assert main(["demo", "--dir", str(tmp_path)]) == 0
    transcript = capsys.readouterr().out
    acts = _acts(transcript)
    assert list(acts) == [
        "Akt 1 – Kommunikationsplanen",
        "Akt 2 – Direktionens möte torsdag 22 april 2027",
        "Akt 3 – Uppföljning: Tertialuppföljning 1 2027",
        "Akt 4 – Synpunkter och klagomål",
    ]
    _check_plan(*acts.values())
    _check_board(list(acts.values())[1])
    _check_followup(list(acts.values())[2])
    _check_cases(list(acts.values())[3])
    database = (tmp_path / "demo.db").resolve()
    assert database.exists() and f"Databasen finns i {database}" in transcript


def _check_plan(act: str, *later: str) -> None:
    assert "*Kallelse till Direktionsmöte torsdag 18 februari 2027 kl. 13:00*" in _section(act, "Direktionen")
    assert "Arboga kommun är ordförandekommun" in _section(act, "DM till Kommunchef Arboga")
    commands = _section(act, "Vad användarna gör")
    assert "Förbundschefen (exempel): /kommunikationsplan status" in commands
    to_communicator = _section(act, "DM till Kommunikatören")
    assert "*Missade utskick: Förbundsnytt till alla medarbetare*" in to_communicator
    assert (
        "*Utskicket ”Punkter till ledningsgruppens möte” i kanalen för Ledningsgruppen (kommuncheferna) kunde inte "
        "levereras* Orsak: appen är inte medlem i kanalen. Gör så här: Bjud in appen till kanalen med "
        "`/invite @Samverkan`."
    ) in _section(act, "DM till Förbundschefen")
    assert (  # and in /kommunikationsplan status
        "i kanalen för Ledningsgruppen (kommuncheferna): appen är inte medlem i kanalen. Bjud in appen till kanalen"
        in commands
    )
    # the board's secretary is asked for the decisions the day after the meeting
    assert "*Registrera besluten från direktionsmöte torsdag 18 februari 2027*" in _section(
        act, "DM till Direktionens sekreterare"
    )
    assert "Utskicket ”Förbundsnytt till alla medarbetare” i kanalen #forbundsnytt" in commands
    assert "=== Ledningsgruppen" not in act  # the bot was never invited there
    for other in later:  # the plan goes on in later acts, counted rather than shown
        assert "Veckoavstämning" not in other
        assert re.search(r"skickade boten också \d+ meddelanden enligt kommunikationsplanen", other)


def _check_board(act: str) -> None:
    """A board meeting: the reminders before it, the decisions (a bad try first), the digests, acknowledgements."""
    assert "*Ärenden till direktionens möte torsdag 22 april 2027*" in _section(act, "DM till IT-chefen")
    assert "Arboga kommun är ordförandekommun" in _section(act, "DM till Kommunchef Arboga")
    assert "*Kallelse till Direktionsmöte torsdag 22 april 2027 kl. 13:00*" in _section(act, "Direktionen")
    actions = _section(act, "Vad användarna gör")
    assert "/invite @Samverkan i Ledningsgruppen (kommuncheferna)" in actions
    assert "Slack visar felen vid fälten: • Vilka gäller beslutet?: Välj vilka beslutet gäller" in actions
    assert "• Ska vara genomfört senast: Skriv datumet som ÅÅÅÅ-MM-DD" in actions
    assert "§1 *Budgetramar 2028* är registrerat." in actions and "§2 *Gemensamt e-arkiv* är registrerat." in actions
    assert "klickar på [Skicka sammanfattningarna]" in actions
    assert "*Sammanfattningarna av 2 beslut skickas nu* till Arboga kommun" in actions
    arboga, koping = _section(act, "Arboga kommun"), _section(act, "Köpings kommun")
    assert "Budgetramar 2028" in arboga and "Gemensamt e-arkiv" not in arboga  # only what concerns Arboga
    assert "Gemensamt e-arkiv" in koping and "Kvitterat av Kommunchef Köping (exempel)" in koping
    assert "Kvitterat av Kommunchef Arboga (exempel) onsdag 28 april 2027" in arboga
    assert "Gemensamt e-arkiv" not in _section(act, "Allmänheten")  # an internal decision
    assert "Ansvarig: IT-chefen (exempel), genomfört senast torsdag 30 september 2027" in _section(
        act, "Ledningsgruppen (kommuncheferna)"
    )
    assert "Internt beslut" in _section(act, "forbundsnytt")  # the staff channel
    assert "*Påminnelse: kvittera direktionens beslut*" in _section(act, "DM till Kommunchef Surahammar")
    assert "=== DM till Kommunchef Köping" not in act  # acknowledged before the reminders
    missing = _section(act, "DM till Förbundschefen")
    assert "*Kvittenser saknas*" in missing and "• Kungsörs kommun" in missing
    assert "Arboga kommun (kvitteras" not in missing
    assert "Förbundschefen (exempel): /direktion kvittenser (svaret kommer strax efter)" in actions
    assert "*Kvittenser – Direktionsmöte 22 apr* Levererade 4, kvitterade 2, saknas 2." in actions
    assert "*Du ansvarar för att genomföra ett beslut från direktionen*" in _section(act, "DM till IT-chefen")


def _check_followup(act: str) -> None:
    actions = _section(act, "Vad användarna gör")
    assert "IT-chefen (exempel): klickar på [Öppna formuläret] i sitt DM" in actions
    assert "Värde (procent): En procentsats ligger mellan 0 och 100." in actions
    assert "Planerade åtgärder: Beskriv planerade åtgärder" in actions
    for department in ("IT-avdelningen", "Löneavdelningen"):
        assert f"*Tack! Svaren för {department} är sparade.*" in actions
    assert "svarar nu för Specialistavdelningen" in actions
    assert "⏳ Ekonomiavdelningen (Ekonomichefen (exempel)): inte svarat" in actions
    assert "Knappar: [Öppna formuläret]" in _section(act, "DM till IT-chefen")
    silent = _section(act, "DM till Ekonomichefen")
    assert "*Påminnelse: Tertialuppföljning 1 2027*" in silent
    assert "*Sista påminnelsen: Tertialuppföljning 1 2027*" in silent
    assert "*Påminnelse: Tertialuppföljning 1 2027*" in _section(act, "DM till Stf chef specialistavdelningen")
    quality = _section(act, "DM till Ekonomi- och kvalitetschefen")
    assert "*Tertialuppföljning 1 2027: 2 avdelningar saknas*" in quality
    assert "*Sammanställning: Tertialuppföljning 1 2027*" in quality
    board = _section(act, "Direktionen")
    assert "Åtgärder: Kundträffar i alla fyra kommuner i maj." in board
    for files in (quality, board):
        assert "Bifogad fil: uppfoljning-t1-2027.csv" in files
        assert "Bifogad fil: uppfoljning-t1-2027.xlsx" in files


def _check_cases(act: str) -> None:
    actions = _section(act, "Vad användarna gör")
    assert "Kommunchef Arboga (exempel): /synpunkt" in actions
    for number in ("VMKF 2027-0001", "VMKF 2027-0002"):
        assert f"*Registrerat som {number}*" in actions
    assert "därför kan vi inte svara dig" in actions
    assert "Direktmeddelanden från boten om ärendet: 0." in actions  # no receipt for the anonymous report
    reporter = _section(act, "DM till Kommunchef Arboga")
    assert "registrerat som VMKF 2027-0001" in reporter
    assert "*Svar på ditt ärende VMKF 2027-0001*" in reporter
    assert "Vi har bytt två skrivare" in reporter
    assert "=== DM till Kommunchef Surahammar" not in act
    triage = _section(act, "IT-avdelningen – synpunkter (triage)")
    assert "Knappar: [Ta ärendet]" in triage
    assert "*Status: Tagen* · Handläggare: IT-chefen (exempel)" in triage
    assert "*Status: Besvarad*" in triage
    assert "_Anonym anmälan – inget svar kan skickas._" in _section(act, "Löneavdelningen – synpunkter (triage)")
    assert "*Påminnelse: VMKF 2027-0002 (Synpunkt)*" in _section(act, "DM till Lönechefen")
    assert "*Tidsgränsen har passerats: VMKF 2027-0002" in _section(act, "DM till Ekonomi- och kvalitetschefen")
    assert "/synpunkt statistik *Synpunkter och klagomål 2027* Registrerade ärenden: 2" in actions


# A Slack id standing on its own (C…, U…, D…, G…, W… with a digit); the transcript shows names instead.
RAW_ID = re.compile(r"\b[CDGUW](?=[A-Z0-9]*\d)[A-Z0-9]{7,}\b")
ERROR_CODE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")  # not_in_channel, channel_not_found, response_url, ...
EMOJI = re.compile(r":[a-z0-9_+-]+:")  # :white_check_mark: is what Slack shows as an emoji
LOG_LINE = re.compile(r"\b(DEBUG|INFO|WARNING|ERROR|CRITICAL)\b|Traceback|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}")


@pytest.fixture(scope="module")
def played(tmp_path_factory) -> tuple[subprocess.CompletedProcess, Path]:
    """`samverkan demo` run as a user runs it, from another folder: what reached the terminal, and the folder."""
    folder = tmp_path_factory.mktemp("demo")
    command = [sys.executable, "-c", "import sys; from bot.cli import main; sys.exit(main())", "demo"]
    result = subprocess.run(
        [*command, "--dir", str(folder)],
        capture_output=True,
        text=True,
        cwd=folder,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result, folder


def test_no_log_line_reaches_the_terminal_and_the_transcript_says_where_the_log_is(played):
    result, folder = played
    assert result.stderr == ""
    assert not [line for line in result.stdout.splitlines() if LOG_LINE.search(line)]
    log = folder / "demo.log"
    assert "registered case VMKF 2027-0001" in log.read_text(encoding="utf-8")
    assert result.stdout.rstrip().endswith(f"Botens logg (på engelska, för den som driftar Samverkan) finns i {log}.")


def test_the_transcript_shows_no_raw_slack_id_nor_error_code(played):
    transcript = played[0].stdout
    assert not RAW_ID.findall(transcript)
    assert not ERROR_CODE.findall(EMOJI.sub("", transcript))


def test_every_count_in_the_transcript_has_the_right_form(played):
    transcript = played[0].stdout
    assert "(1 meddelande) ===" in transcript and "(2 meddelanden) ===" in transcript
    words = "meddelanden|arbetsdagar|dagar|timmar|indikatorer|avdelningar|kanaler|ärenden|utskicken"
    assert not re.findall(rf"(?<![\d,])1 ({words})\b", transcript)
    assert not re.findall(r"(?<![\d,])(?:[02-9]|\d{2,}) (meddelande|arbetsdag|indikator|avdelning)\b", transcript)
    assert "Mediantid till svar: 1 arbetsdag" in transcript


def test_the_case_digest_appears_at_its_configured_day_and_time(played):
    digest = load_config(EXAMPLE).cases.digest
    board = _section(_acts(played[0].stdout)["Akt 1 – Kommunikationsplanen"], "Direktionen")
    stamp = f"[2027-{min(digest.months):02d}-{digest.day:02d} {digest.time:%H:%M}]"
    assert f"{stamp} *Synpunkter och klagomål – rapport till direktionen 2026*" in board


def test_departments_answer_the_follow_up_differently(played):
    act = _acts(played[0].stdout)["Akt 3 – Uppföljning: Tertialuppföljning 1 2027"]
    summary = _section(act, "DM till Ekonomi- och kvalitetschefen")
    values: dict[str, list[str]] = {}
    for department, value in re.findall(r"(IT-avdelningen|Löneavdelningen): (.+?) (?:✓ )?(?:\(|–)", summary):
        values.setdefault(department, []).append(value)
    shared = list(zip(values["IT-avdelningen"][-4:], values["Löneavdelningen"][-4:], strict=True))
    assert len(values["Löneavdelningen"]) >= 6
    assert all(it != loner for it, loner in shared), shared


def test_a_morning_message_sent_late_says_so(played):
    act = _acts(played[0].stdout)["Akt 1 – Kommunikationsplanen"]
    late = _section(act, "DM till IT-chefen")
    assert (
        "[2027-02-01 12:00] *Veckoavstämning med avdelningscheferna* _Skickas i efterhand – det här skulle ha "
        "kommit måndag 1 februari 2027 kl. 08:00._" in late
    )
    afternoon = re.findall(r"\[\d{4}-\d\d-\d\d (?:1[0-9]|2[0-3]):\d\d\][^\[]*", played[0].stdout)
    assert afternoon and not [entry for entry in afternoon if "God morgon" in entry]
