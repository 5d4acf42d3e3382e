"""`samverkan demo` end to end: each act's key moments appear in the transcript, in the right channel or DM."""

import re

from bot.cli import main


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


def test_the_demo_plays_all_three_acts(tmp_path, capsys):
    assert main(["demo", "--dir", str(tmp_path)]) == 0
    transcript = capsys.readouterr().out
    acts = _acts(transcript)
    assert list(acts) == [
        "Akt 1 – Kommunikationsplanen",
        "Akt 2 – Uppföljning: Tertialuppföljning 1 2027",
        "Akt 3 – Synpunkter och klagomål",
    ]
    _check_plan(*acts.values())
    _check_followup(list(acts.values())[1])
    _check_cases(list(acts.values())[2])
    database = (tmp_path / "demo.db").resolve()
    assert database.exists() and f"The database is at {database}" in transcript


def _check_plan(act: str, *later: str) -> None:
    assert "Kallelse till *Direktionsmöte* torsdag 18 februari 2027 kl. 13:00." in _section(act, "Direktionen")
    commands = _section(act, "Vad användarna gör")
    assert "Förbundschefen (exempel): /kommunikationsplan status" in commands
    to_communicator = _section(act, "DM till Kommunikatören")
    assert "*Missade utskick: Förbundsnytt till alla medarbetare*" in to_communicator
    assert "*Utskicket kunde inte levereras: Information från direktionens möte*" in to_communicator
    assert "Mottagare: Surahammars kommun Orsak: boten är inte medlem i kanalen" in to_communicator
    assert "Surahammars kommun: `not_in_channel`" in commands  # and in /kommunikationsplan status
    assert "=== Surahammars kommun" not in act  # the bot was never invited there
    for other in later:  # the plan goes on in later acts, counted rather than shown
        assert "Veckoavstämning" not in other
        assert re.search(r"skickade boten också \d+ meddelanden enligt kommunikationsplanen", other)


def _check_followup(act: str) -> None:
    actions = _section(act, "Vad användarna gör")
    assert "IT-chefen (exempel): klickar på [Öppna formuläret] i sitt DM" in actions
    assert "Värde (procent): En procentsats ligger mellan 0 och 100." in actions
    assert "Planerade åtgärder: Beskriv planerade åtgärder" in actions
    assert "*Tack! Svaren för IT-avdelningen är sparade.*" in actions
    assert "*Tack! Svaren för Löneavdelningen är sparade.*" in actions
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
    assert "*Registrerat som VMKF 2027-0001*" in actions
    assert "*Registrerat som VMKF 2027-0002*" in actions
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
