"""`/direktion export [år]` on Slack and on Teams: the year's final decisions and their follow-up as CSV and Excel,
sent to whoever keeps the board's records as files in a DM; the files read back as the board expects them."""

import csv
import io
from datetime import date

from openpyxl import load_workbook
from sqlalchemy import select

from bot.delivery.keys import Source
from messages.message import File, Message
from storage.board import TaskReportKind
from storage.engine import session_scope
from storage.outbox import Delivery
from tests.board_task_support import APRIL, FEBRUARY, add_decision, add_report, release
from tests.chat import Chat
from tests.conftest import local

SECRETARY, DIRECTOR, OWNER = "sekreterare", "forbundschef", "it-chef"
NOW = local(2027, 6, 1, 10, 0)
FILES = ["direktionens-beslut-2027.csv", "direktionens-beslut-2027.xlsx"]


def sent_files(chat: Chat) -> dict[str, bytes]:
    """The files of the export rows in the outbox, by name."""
    with session_scope(chat.engine) as session:
        rows = session.scalars(select(Delivery).where(Delivery.source == Source.BOARD_EXPORT)).all()
        files: list[File] = [file for row in rows for file in Message.from_json(row.message).files]
    return {file.filename: file.content for file in files}


def _decisions(chat: Chat) -> None:
    engine = chat.engine
    platform = add_decision(engine, FEBRUARY, 3, "Ny plattform för e-tjänster", owner=OWNER, due=date(2027, 4, 30),
                            case_number="VMKF 2027-0042", summary="Upphandling; start i höst.")  # fmt: skip
    add_decision(engine, FEBRUARY, 1, "=HYPERLINK(\"https://evil.example\")", members=("arboga", "koping"),
                 public=False)  # fmt: skip
    payroll = add_decision(engine, FEBRUARY, 2, "Lönerevision", owner="lon-chef", due=date(2027, 3, 31))
    add_decision(engine, APRIL, 1, "Utkast", owner=OWNER, due=date(2027, 5, 3))  # April's not released: no record
    release(engine, FEBRUARY)
    add_report(engine, platform, TaskReportKind.DELAYED, OWNER, local(2027, 4, 26, 10, 0), date(2027, 6, 15), "Sen")
    add_report(engine, payroll, TaskReportKind.DONE, "lon-chef", local(2027, 3, 30, 15, 0))


def test_the_years_decisions_reach_the_secretary_as_csv_and_excel(chat: Chat):
    _decisions(chat)
    chat.runtime.clock.set(NOW)
    queued = chat.command(SECRETARY, "direktion export").text
    assert "Exporten av direktionens beslut 2027 (3 beslut) skickas till dig" in queued
    chat.tick(NOW)
    assert sorted(chat.files_to(SECRETARY)) == FILES

    files = sent_files(chat)
    text = files[FILES[0]].decode("utf-8")
    assert text.startswith("\ufeff")
    heading, *rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert heading[:4] == ["Sammanträde", "Paragraf", "Rubrik", "Sammanfattning"] and len(heading) == 15
    formula, payroll, platform = rows
    # Text that would run as a formula is kept as text.
    assert formula[:7] == ["2027-02-18", "1", "'=HYPERLINK(\"https://evil.example\")", "",
                           "Arboga kommun, Köpings kommun", "Internt", ""]  # fmt: skip
    assert formula[7:11] == ["", "", "", "Ingen uppgift"]
    assert payroll[7:15] == ["Lönechefen (exempel)", "2027-03-31", "2027-03-31", "Klar", "Klar", "",
                             "Lönechefen (exempel)", "2027-03-30 15:00"]  # fmt: skip
    assert platform[2:11] == ["Ny plattform för e-tjänster", "Upphandling; start i höst.", "Alla", "Offentligt",
                              "VMKF 2027-0042", "IT-chefen (exempel)", "2027-04-30", "2027-06-15", "Pågår"]  # fmt: skip
    assert platform[11:13] == ["Försenad – nytt slutdatum", "Sen"]

    workbook = load_workbook(io.BytesIO(files[FILES[1]]))
    assert workbook.sheetnames == ["Beslut", "Rapporter"]
    decisions = [[cell.value for cell in row] for row in workbook["Beslut"].iter_rows()]
    assert decisions[0] == heading and len(decisions) == 4
    assert decisions[1][1] == 1 and decisions[1][2] == '=HYPERLINK("https://evil.example")'  # a number; a text
    assert workbook["Beslut"]["C2"].data_type == "s"
    assert decisions[3][9:11] == ["2027-06-15", "Pågår"]
    reported = [[cell.value for cell in row] for row in workbook["Rapporter"].iter_rows()]
    assert reported[1:] == [
        ["2027-02-18", 2, "Lönerevision", "Klar", None, None, "Lönechefen (exempel)", "2027-03-30 15:00"],
        ["2027-02-18", 3, "Ny plattform för e-tjänster", "Försenad – nytt slutdatum", "2027-06-15", "Sen",
         "IT-chefen (exempel)", "2027-04-26 10:00"],
    ]  # fmt: skip

    chat.tick(local(2027, 6, 1, 10, 5))  # sent once
    assert sorted(chat.files_to(SECRETARY)) == FILES


def test_only_the_keepers_of_the_records_and_a_year_of_four_digits(chat: Chat):
    _decisions(chat)
    chat.runtime.clock.set(NOW)
    assert "beslut; det gör förbundschefen och direktionens sekreterare" in chat.command(OWNER, "direktion export").text
    assert "fyra siffror" in chat.command(DIRECTOR, "direktion export tjugo").text
    assert "inga beslut från direktionens sammanträden 2026" in chat.command(DIRECTOR, "direktion export 2026").text
    assert "skickas till dig" in chat.command(DIRECTOR, "direktion export 2027").text
    chat.tick(NOW)
    assert sorted(chat.files_to(DIRECTOR)) == FILES and chat.files_to(OWNER) == []
    assert len(sent_files(chat)) == 2
