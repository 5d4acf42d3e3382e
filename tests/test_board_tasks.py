"""Decisions that must be carried out, on Slack and on Teams: the owner is reminded once before the due date with
a Rapportera button, the form refuses bad input in Swedish with nothing stored, a delay gets a reminder of its own
for the new date, the director hears once when a task is overdue and when it is reported done or delayed, and a
task reported done is left alone."""

from datetime import date

from storage.board import TaskReportKind
from tests.board_task_support import APRIL, FEBRUARY, add_decision, add_report, release, reports
from tests.chat import Chat, Posted
from tests.conftest import local

OWNER, DIRECTOR, OTHER = "it-chef", "forbundschef", "lon-chef"
TITLE = "Ny plattform för e-tjänster"


def task_messages(chat: Chat, person: str, words: str) -> list[Posted]:
    return [posted for posted in chat.delivered(person) if words in posted.text]


def reminders(chat: Chat) -> list[Posted]:
    return task_messages(chat, OWNER, "Påminnelse: ett direktionsbeslut")


def test_a_task_reminded_delayed_reminded_again_overdue_and_done(chat: Chat):
    number = "VMKF 2027-0042"
    task = add_decision(chat.engine, FEBRUARY, 3, TITLE, owner=OWNER, due=date(2027, 4, 30), case_number=number)
    add_decision(chat.engine, FEBRUARY, 4, "Yttrande över remiss")  # nobody must carry it out: no task
    add_decision(chat.engine, APRIL, 1, "Utkast", owner=OWNER, due=date(2027, 5, 3))  # April's not released yet
    release(chat.engine, FEBRUARY)

    # Five working days before the due date, once.
    chat.tick(local(2027, 4, 22, 12, 0))
    assert reminders(chat) == []
    chat.tick(local(2027, 4, 23, 8, 5))
    chat.tick(local(2027, 4, 26, 8, 5))  # also when the April draft's reminder would be due: not a task yet
    [reminder] = reminders(chat)
    assert TITLE in reminder.text and "fredag 30 april 2027" in reminder.text and number in reminder.text
    assert reminder.actions == [f"board_task_report:{task}"]

    # Someone else may not report on it.
    chat.runtime.clock.set(local(2027, 4, 26, 10, 0))
    assert (
        "rapportera om beslutet; det gör den som är ansvarig för beslutet och förbundschefen"
        in chat.click(OTHER, reminder, reminder.actions[0]).text
    )

    # Bad input: Swedish errors under the fields, what was typed kept, nothing stored.
    form = chat.click(OWNER, reminder, reminder.actions[0])
    assert form.form is not None and TITLE in form.text and chat.options(form, "kind") == ["done", "delayed", "comment"]
    assert "reply_to" not in form.origin  # a Slack modal, a Teams dialog: the reminder's card is not replaced
    refused = chat.submit_form(OWNER, form, {"kind": "delayed", "new_due": "", "comment": "Leverantören är sen"})
    assert refused.errors == {"new_due": "Skriv det nya slutdatumet, till exempel 2027-05-20."}
    assert refused.typed["comment"] == "Leverantören är sen"
    for values, field, error in [
        ({"kind": "delayed", "new_due": "2027-04-26"}, "new_due", "måste vara efter i dag"),
        ({"kind": "delayed", "new_due": "15 juni"}, "new_due", "ÅÅÅÅ-MM-DD"),
        ({"kind": "done", "new_due": "2027-06-15"}, "new_due", "bara när uppgiften är försenad"),
        ({"kind": "comment", "new_due": "", "comment": "  "}, "comment", "Skriv din kommentar"),
        ({"kind": "comment", "new_due": "", "comment": "x" * 3001}, "comment", "högst 3\u00a0000 tecken"),
    ]:
        refused = chat.submit_form(OWNER, refused, {"comment": "", **values})
        assert list(refused.errors) == [field] and error in refused.errors[field], (values, refused.errors)
        assert refused.typed[field][:3000] == values[field][:3000]  # a Teams card keeps what the field takes
    assert reports(chat.engine, task) == []

    # Delayed, stored once (the same submission again changes nothing), and the director told.
    values = {"kind": "delayed", "new_due": "2027-06-15", "comment": "Leverantören är sen"}
    saved = chat.submit_form(OWNER, refused, values)
    assert saved.errors == {} and "Rapporten är sparad" in saved.text and "tisdag 15 juni 2027" in saved.text
    assert "redan sparad" in chat.resubmit().text
    assert reports(chat.engine, task) == [(TaskReportKind.DELAYED, date(2027, 6, 15), "Leverantören är sen", OWNER)]
    chat.tick(local(2027, 4, 26, 10, 1))
    [told] = task_messages(chat, DIRECTOR, "som försenat")
    assert "IT-chefen" in told.text and "tisdag 15 juni 2027" in told.text and "Leverantören är sen" in told.text

    # The new date gets its own reminder, five working days before it.
    chat.tick(local(2027, 6, 7, 8, 5))
    assert len(reminders(chat)) == 1
    chat.tick(local(2027, 6, 8, 8, 5))
    chat.tick(local(2027, 6, 8, 9, 5))
    first, second = reminders(chat)
    assert "tisdag 15 juni 2027" in second.text and "flyttades från fredag 30 april 2027" in second.text

    # Overdue: the director is told once, the working day after.
    chat.tick(local(2027, 6, 15, 12, 0))
    assert task_messages(chat, DIRECTOR, "passerat sitt slutdatum") == []
    chat.tick(local(2027, 6, 16, 8, 5))
    chat.tick(local(2027, 6, 17, 8, 5))
    [overdue] = task_messages(chat, DIRECTOR, "passerat sitt slutdatum")
    assert TITLE in overdue.text and "IT-chefen" in overdue.text and "Leverantören är sen" in overdue.text

    # The director may comment on it too, and hears nothing of his own report.
    chat.runtime.clock.set(local(2027, 6, 17, 9, 0))
    form = chat.click(DIRECTOR, overdue, overdue.actions[0])
    commented = chat.submit_form(DIRECTOR, form, {"kind": "comment", "new_due": "", "comment": "Påminn leverantören"})
    assert "Kommentaren är sparad" in commented.text and "Förbundschefen har fått besked" not in commented.text

    # Done: the director is told, and nothing more goes out about it.
    chat.runtime.clock.set(local(2027, 6, 18, 9, 0))
    form = chat.click(OWNER, second, second.actions[0])
    done = chat.submit_form(OWNER, form, {"kind": "done", "new_due": "", "comment": ""})
    assert "inga fler påminnelser" in done.text and "Förbundschefen har fått besked" in done.text
    chat.tick(local(2027, 6, 18, 9, 1))
    assert len(task_messages(chat, DIRECTOR, "som genomfört")) == 1
    assert len(task_messages(chat, DIRECTOR, "har rapporterat")) == 2  # delayed, done: not the director's own comment
    for day in (date(2027, 6, 21), date(2027, 9, 1)):
        chat.tick(local(day.year, day.month, day.day, 8, 5))
    assert len(reminders(chat)) == 2 and len(task_messages(chat, DIRECTOR, "passerat sitt slutdatum")) == 1
    kinds = [kind for kind, *_ in reports(chat.engine, task)]
    assert kinds == [TaskReportKind.DELAYED, TaskReportKind.COMMENT, TaskReportKind.DONE]


def test_ones_own_open_tasks_and_the_directors_list_of_all(chat: Chat):
    platform = add_decision(chat.engine, FEBRUARY, 1, TITLE, owner=OWNER, due=date(2027, 4, 30))
    payroll = add_decision(chat.engine, FEBRUARY, 2, "Lönerevision", owner=OTHER, due=date(2027, 3, 31))
    done = add_decision(chat.engine, FEBRUARY, 3, "Klar sak", owner=OWNER, due=date(2027, 3, 15))
    add_decision(chat.engine, APRIL, 1, "Utkast", owner=OWNER, due=date(2027, 5, 3))  # April's not released yet
    release(chat.engine, FEBRUARY)
    chat.runtime.clock.set(local(2027, 3, 1, 9, 0))
    with_form = chat.command(OWNER, "direktion uppgifter")
    assert with_form.actions == [f"board_task_report:{done}", f"board_task_report:{platform}"]
    add_report(chat.engine, done, TaskReportKind.DONE, OWNER, local(2027, 3, 1, 9, 5))

    chat.runtime.clock.set(local(2027, 4, 5, 9, 0))
    own = chat.command(OWNER, "direktion uppgifter")
    assert "Dina uppgifter från direktionen" in own.text and TITLE in own.text and "fredag 30 april 2027" in own.text
    assert "Lönerevision" not in own.text and "Utkast" not in own.text and "Klar sak" not in own.text
    assert own.actions == [f"board_task_report:{platform}"]

    everyone = chat.command(DIRECTOR, "direktion uppgifter")
    assert "Direktionens beslut som ska genomföras" in everyone.text
    assert "Ansvarig: Lönechefen (exempel). Slutdatum: onsdag 31 mars 2027 – passerat" in everyone.text
    assert everyone.actions == [f"board_task_report:{payroll}", f"board_task_report:{platform}"]

    assert "Du har inga direktionsbeslut att genomföra" in chat.command("kommunikator", "direktion uppgifter").text
