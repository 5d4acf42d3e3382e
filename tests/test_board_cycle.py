"""The board's whole cycle end to end, on Slack and on Teams, through the real app over HTTP with an injected clock
and the example association (plan, surveys and all): the preparation before the February meeting (prepared by the
chair municipality of the meeting's date, which changes between the reminder and the meeting), the secretary's
request and form (bad input first), the digests each audience gets, acknowledgements with their reminders and the
director's escalation, the decision task from its reminder through a delay to done, the `/direktion` views along
the way, and a meeting moved and another cancelled after their reminders were queued.

The parts are tested one by one in tests/test_board_*.py and tests/test_acknowledgements*.py; this test is about
them working together: what one part writes is what the next one reads."""

from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from bot.config.model import ChairTerm, Event
from bot.delivery.keys import Source
from bot.tick import queue_due_work
from storage.board import BoardDecision
from storage.engine import session_scope
from storage.outbox import Delivery, DeliveryStatus
from tests.chat import Chat, Posted, Reply, Value
from tests.conftest import local

SECRETARY, DIRECTOR, OWNER = "sekreterare", "forbundschef", "it-chef"
CHIEFS = {member: f"kommunchef-{member}" for member in ("arboga", "koping", "kungsor", "surahammar")}
CHANNELS = {"arboga": "C0ARBOGA01", "koping": "C0KOPING01", "kungsor": "C0KUNGSOR1", "surahammar": "C0SURAHAM1"}
BOARD, LEADERSHIP, STAFF, PUBLIC = "C0DIREKTIO", "C0LEDNINGS", "C0VMKFALLA", "C0VMKFPUBL"
FEBRUARY, APRIL, JUNE = "direktion-2027-02", "direktion-2027-04", "direktion-2027-06"
CHANGE = date(2027, 2, 15)  # Kungsör takes over the chair from Arboga three days before the February meeting
BUDGET: dict[str, Value] = {
    "title": "Budget 2028", "summary": "Budgetramen för 2028 fastställdes.", "concerns": ("all",),
    "visibility": "public", "owner": None, "due": "", "case_number": "VMKF 2027/12",
}  # fmt: skip
PAYROLL: dict[str, Value] = {
    "title": "Lönestöd i Arboga", "summary": "Bemanningen av lönestödet i Arboga ses över.",
    "concerns": ("member:arboga",), "visibility": "internal", "owner": None, "due": "", "case_number": "",
}  # fmt: skip
ARCHIVE: dict[str, Value] = {
    "title": "Nytt e-arkiv", "summary": "E-arkivet upphandlas gemensamt.",
    "concerns": ("member:koping", "department:it"), "visibility": "public", "owner": OWNER, "due": "2027-04-30",
    "case_number": "VMKF 2027/15",
}  # fmt: skip


def said(chat: Chat, to: str, words: str) -> list[Posted]:
    """What reached a person (by id) or a channel that says `words`."""
    return [posted for posted in chat.delivered(to) if words in posted.text]


def ticks(chat: Chat, *moments: datetime) -> None:
    """The scheduler at each moment, and again a minute later (which must add nothing)."""
    for moment in moments:
        chat.tick(moment)
        chat.tick(moment + timedelta(minutes=1))


def as_of(chat: Chat, moment: datetime) -> None:
    chat.runtime.clock.set(moment)


def stored_decisions(chat: Chat) -> int:
    with session_scope(chat.engine) as session:
        return session.scalar(select(func.count()).select_from(BoardDecision)) or 0


def change_events(chat: Chat, meeting_id: str, **changes: object) -> None:
    """The association file edited: one meeting moved (`date=`) or cancelled (`cancelled=True`)."""
    events: list[Event] = [e.model_copy(update=changes) if e.id == meeting_id else e for e in chat.config.events]
    chat.runtime.config = chat.config.model_copy(update={"events": events})


def withdrawn(chat: Chat, meeting_id: str) -> int:
    """The meeting's preparation reminders withdrawn before they went out."""
    with session_scope(chat.engine) as session:
        found = (
            select(func.count())
            .select_from(Delivery)
            .where(
                Delivery.source == Source.BOARD_PREPARATION,
                Delivery.item_id == meeting_id,
                Delivery.status == DeliveryStatus.WITHDRAWN,
            )
        )
        return session.scalar(found) or 0


def with_chair_change(chat: Chat) -> None:
    """Arboga chairs until the day before CHANGE, Kungsör from then on."""
    [before, arboga] = chat.config.chair_rotation
    terms = [before, arboga.model_copy(update={"end": CHANGE - timedelta(days=1)}),
             ChairTerm(member="kungsor", start=CHANGE, end=date(2028, 12, 31))]  # fmt: skip
    chat.runtime.config = chat.config.model_copy(update={"chair_rotation": terms})


def test_the_board_s_cycle_from_preparation_to_the_last_task(chat: Chat):
    with_chair_change(chat)
    before_the_meeting(chat)
    decision_id = the_secretary_records_the_decisions(chat)
    the_digests_reach_each_audience(chat)
    acknowledgements_are_reminded_and_escalated(chat)
    a_meeting_moved_after_its_reminders_were_queued(chat)
    the_task_is_reminded_overdue_and_delayed(chat, decision_id)
    a_meeting_cancelled_after_its_reminders_were_queued(chat)
    the_delayed_task_is_reminded_and_done(chat)


def before_the_meeting(chat: Chat) -> None:
    matters, chair, presidium, agenda = (local(2027, 1, 21, 8, 30), local(2027, 2, 2, 8, 30),
                                         local(2027, 2, 4, 8, 30), local(2027, 2, 11, 8, 30))  # fmt: skip
    ticks(chat, matters, chair)
    [due] = said(chat, OWNER, "Ärenden till direktionens möte torsdag 18 februari 2027")
    assert "förbundschefen tillhanda senast torsdag 28 januari 2027" in due.text
    assert len(said(chat, DIRECTOR, "Ärenden till direktionens möte")) == 1

    # On 2 February Arboga chairs, but Kungsör does on the meeting's date: Kungsör's chief prepares it.
    [prepare] = said(chat, CHIEFS["kungsor"], "Beredning inför Direktionsmöte torsdag 18 februari 2027 kl. 13:00")
    assert "Kungsörs kommun är ordförandekommun och har ett särskilt ansvar" in prepare.text
    assert "Inga beslut väntar på att verkställas." in prepare.text
    assert said(chat, CHIEFS["arboga"], "Beredning inför") == []
    assert len(said(chat, DIRECTOR, "Beredning inför Direktionsmöte torsdag 18 februari")) == 1

    as_of(chat, chair + timedelta(hours=1))
    overview = chat.command(DIRECTOR, "direktion").text
    february = overview.split("Direktionsmöte torsdag 18 februari 2027 kl. 13:00\n", 1)[1].splitlines()
    assert february[:2] == [
        "Ordförandekommun: Kungsörs kommun",
        "Bereds av: Kommunchef Kungsör (exempel) (ordförandekommunen), Förbundschefen (exempel) och presidiet "
        "(Direktionens ordförande (exempel), Direktionens vice ordförande (exempel), Förbundschefen (exempel))",
    ]
    assert "• Ärenden till förbundschefen senast torsdag 28 januari 2027 (passerat)\n" in overview
    assert "• Beredning med ordförandekommunen från tisdag 2 februari 2027\n" in overview

    ticks(chat, presidium, agenda)
    for member in ("ordforande", "vice-ordforande", DIRECTOR):
        [presidium_notice] = said(chat, member, "Presidieberedning inför Direktionsmöte torsdag 18 februari")
        assert "Ordförandekommun: Kungsörs kommun." in presidium_notice.text
    [called] = said(chat, BOARD, "Kallelse till Direktionsmöte torsdag 18 februari 2027 kl. 13:00")
    assert "Ordförandekommun: Kungsörs kommun." in called.text


def the_secretary_records_the_decisions(chat: Chat) -> int:
    """The request the day after, bad input, three decisions; returns the id of the one that is a task."""
    asked_at = local(2027, 2, 19, 8, 30)
    ticks(chat, local(2027, 2, 18, 18, 0))
    assert said(chat, SECRETARY, "Registrera besluten") == []
    ticks(chat, asked_at)
    [asked] = said(chat, SECRETARY, "Registrera besluten från direktionsmöte torsdag 18 februari 2027")
    assert asked.actions == ["board_decision_new"]

    as_of(chat, asked_at + timedelta(hours=1))
    form = chat.click(SECRETARY, asked, "board_decision_new")
    assert form.form is not None and "Nytt beslut från direktionsmöte torsdag 18 februari 2027" in form.text
    bad = ARCHIVE | {"summary": "", "concerns": (), "due": "30 april"}
    refused = chat.submit_form(SECRETARY, form, bad)
    assert refused.errors == {
        "summary": "Skriv en sammanfattning av beslutet.",
        "concerns": "Välj vilka beslutet gäller: alla, eller enskilda kommuner och avdelningar.",
        "due": "Skriv datumet som ÅÅÅÅ-MM-DD, till exempel 2027-05-31.",
    }
    assert (refused.typed["title"], refused.typed["due"], refused.typed["owner"]) == ("Nytt e-arkiv", "30 april", OWNER)
    assert stored_decisions(chat) == 0

    assert "§1 Budget 2028 är registrerat" in chat.submit_form(SECRETARY, refused, BUDGET).text
    for number, values in ((2, PAYROLL), (3, ARCHIVE)):
        listed = chat.command(SECRETARY, "direktion protokoll")
        assert listed.message is not None
        added = chat.submit_form(SECRETARY, chat.click(SECRETARY, listed.message, "board_decision_new"), values)
        assert f"§{number} {values['title']} är registrerat" in added.text
    listed = chat.command(SECRETARY, "direktion protokoll")
    assert "§2 Lönestöd i Arboga – internt; gäller Arboga kommun" in listed.text
    assert "§3 Nytt e-arkiv – offentligt; gäller Köpings kommun, IT-avdelningen; IT-chefen (exempel) senast 30 apr" in (
        listed.text
    )
    assert listed.message is not None and listed.message.actions[-1] == "board_digests_release"
    as_of(chat, local(2027, 2, 19, 10, 0))
    released = chat.click(SECRETARY, listed.message, "board_digests_release")
    audiences = "Arboga kommun, Köpings kommun, Kungsörs kommun, Surahammars kommun, Ledningsgruppen (kommuncheferna)"
    assert f"Sammanfattningarna av 3 beslut skickas nu till {audiences}, Personalen, Allmänheten." in released.text
    assert "IT-chefen (exempel) får besked" in released.text
    with session_scope(chat.engine) as session:
        [task] = session.scalars(select(BoardDecision.id).where(BoardDecision.owner == OWNER))
    return task


def titles(posted: Posted) -> list[str]:
    """The decisions a digest holds, by their paragraph lines."""
    return [line for line in posted.text.splitlines() if line.startswith("§")]


def the_digests_reach_each_audience(chat: Chat) -> None:
    budget, payroll, archive = (
        "§1 Budget 2028 (dnr VMKF 2027/12)",
        "§2 Lönestöd i Arboga",
        "§3 Nytt e-arkiv (dnr VMKF 2027/15)",
    )
    expected = {"arboga": [budget, payroll], "koping": [budget, archive], "kungsor": [budget], "surahammar": [budget]}
    for member, shown in expected.items():
        [digest] = said(chat, CHANNELS[member], "Direktionens beslut torsdag 18 februari 2027 som gäller")
        assert titles(digest) == shown and digest.actions == ["acknowledge"], member
    [leadership] = said(chat, LEADERSHIP, "Direktionens beslut torsdag 18 februari 2027")
    assert titles(leadership) == [budget, payroll, archive]
    lines = leadership.text.splitlines()
    assert lines[lines.index(archive) + 3] == "Ansvarig: IT-chefen (exempel), genomfört senast fredag 30 april 2027"
    assert lines[lines.index(budget) + 3] == "Ingen ansvarig: beslutet ska inte genomföras av någon särskild."
    [staff] = said(chat, STAFF, "Direktionens beslut torsdag 18 februari 2027")
    assert titles(staff) == [budget, payroll, archive]
    staff_lines = staff.text.splitlines()
    assert staff_lines[staff_lines.index(payroll) + 3].startswith("Internt beslut")
    [public] = chat.delivered(PUBLIC)
    assert titles(public) == [budget, archive] and "Lönestöd" not in public.text
    [assigned] = said(chat, OWNER, "Du ansvarar för att genomföra ett beslut från direktionen")
    assert "§3 Nytt e-arkiv" in assigned.text and "fredag 30 april 2027" in assigned.text


def reminders(chat: Chat, member: str) -> list[Posted]:
    return said(chat, CHIEFS[member], "Påminnelse: kvittera direktionens beslut")


def acknowledgements_are_reminded_and_escalated(chat: Chat) -> None:
    as_of(chat, local(2027, 2, 22, 9, 0))
    [koping] = chat.delivered(CHANNELS["koping"])
    refused = chat.click(DIRECTOR, koping, "acknowledge")
    assert "inte behörighet att kvittera för Köpings kommun; det gör Kommunchef Köping" in refused.text
    chat.click(CHIEFS["koping"], koping, "acknowledge")
    [koping] = chat.delivered(CHANNELS["koping"])
    assert "Kvitterat av Kommunchef Köping (exempel) måndag 22 februari 2027 kl. 09:00." in koping.text
    assert "acknowledge" not in koping.actions

    chat.tick(local(2027, 2, 24, 9, 59))  # three working days after Friday 10:00 is Wednesday 10:00
    assert reminders(chat, "arboga") == []
    ticks(chat, local(2027, 2, 24, 10, 0))
    for member in ("arboga", "kungsor", "surahammar"):
        [reminder] = reminders(chat, member)
        assert reminder.actions == ["acknowledge"], member
    assert reminders(chat, "koping") == []

    as_of(chat, local(2027, 2, 25, 9, 0))
    chat.click(CHIEFS["arboga"], reminders(chat, "arboga")[0], "acknowledge")  # from the reminder
    [arboga] = chat.delivered(CHANNELS["arboga"])
    assert "Kvitterat av Kommunchef Arboga (exempel) torsdag 25 februari 2027 kl. 09:00." in arboga.text

    ticks(chat, local(2027, 2, 26, 10, 0))
    [escalation] = said(chat, DIRECTOR, "Kvittenser saknas")
    missing = [line for line in escalation.text.splitlines() if line.startswith("•")]
    assert missing == [
        "• Kungsörs kommun (kvitteras av Kommunchef Kungsör (exempel)), skickad fredag 19 februari 2027",
        "• Surahammars kommun (kvitteras av Kommunchef Surahammar (exempel)), skickad fredag 19 februari 2027",
    ]
    as_of(chat, local(2027, 2, 26, 11, 0))
    status = chat.command(DIRECTOR, "direktion kvittenser").text
    assert "Kvittenser – Direktionsmöte 18 feb\nLevererade 4, kvitterade 2, saknas 2." in status
    assert "• Arboga kommun – kvitterat av Kommunchef Arboga (exempel) 25 feb kl. 09:00" in status
    assert "• Kungsörs kommun – levererad 19 feb, inte kvitterad" in status

    ticks(chat, local(2027, 3, 5, 10, 0), local(2027, 3, 12, 10, 0))  # later ticks: nothing again
    assert [len(reminders(chat, member)) for member in ("arboga", "kungsor", "surahammar")] == [1, 1, 1]
    assert len(said(chat, DIRECTOR, "Kvittenser saknas")) == 1


def a_meeting_moved_after_its_reminders_were_queued(chat: Chat) -> None:
    """April's meeting moves a week after its chair reminders were queued (the bot stopped before sending them)."""
    old_chair = local(2027, 4, 6, 8, 30)
    queue_due_work(chat.engine, chat.config, old_chair)
    assert withdrawn(chat, APRIL) == 0
    change_events(chat, APRIL, date=date(2027, 4, 29))
    ticks(chat, old_chair + timedelta(minutes=5))
    assert withdrawn(chat, APRIL) == 2  # Kungsör's chief and the director
    assert said(chat, CHIEFS["kungsor"], "Beredning inför Direktionsmöte torsdag 22 april") == []
    assert said(chat, DIRECTOR, "Beredning inför Direktionsmöte torsdag 22 april") == []

    ticks(chat, local(2027, 4, 13, 8, 30))  # 12 working days before 29 April
    [prepare] = said(chat, CHIEFS["kungsor"], "Beredning inför Direktionsmöte torsdag 29 april 2027")
    tasks = prepare.text.split("Beslut som ska verkställas (1)\n", 1)[1].splitlines()
    assert tasks[0] == "• Nytt e-arkiv (VMKF 2027/15) – IT-chefen (exempel), senast 30 apr 2027"

    ticks(chat, local(2027, 4, 23, 8, 30))  # the day after the old date: no request for a meeting not yet held
    assert said(chat, SECRETARY, "direktionsmöte torsdag 22 april") == []
    ticks(chat, local(2027, 4, 30, 8, 30))
    [asked] = said(chat, SECRETARY, "Registrera besluten från direktionsmöte torsdag 29 april 2027")
    assert asked.actions == ["board_decision_new"]


def report(chat: Chat, posted: Posted, values: dict[str, Value]) -> Reply:
    form = chat.click(OWNER, posted, posted.actions[0])
    assert form.form is not None, form.text
    return chat.submit_form(OWNER, form, {"new_due": "", "comment": "", **values})


def the_task_is_reminded_overdue_and_delayed(chat: Chat, decision_id: int) -> Posted:
    """Returns the reminder (its button reports on the task)."""
    # The reminder went out on 23 April (five working days before 30 April); the director hears on 3 May.
    [reminder] = said(chat, OWNER, "Påminnelse: ett direktionsbeslut ska vara genomfört senast fredag 30 april 2027")
    assert reminder.actions == [f"board_task_report:{decision_id}"]
    ticks(chat, local(2027, 5, 3, 8, 30))
    [overdue] = said(chat, DIRECTOR, "Ett direktionsbeslut har passerat sitt slutdatum")
    assert "Nytt e-arkiv" in overdue.text and "Ingen rapport har lämnats." in overdue.text
    as_of(chat, local(2027, 5, 3, 9, 0))
    listed = chat.command(DIRECTOR, "direktion uppgifter").text.splitlines()
    assert listed[1:3] == [
        "1. Nytt e-arkiv (§ 3, direktionen torsdag 18 februari 2027, dnr VMKF 2027/15)",
        "Ansvarig: IT-chefen (exempel). Slutdatum: fredag 30 april 2027 – passerat.",
    ]
    overview = chat.command(DIRECTOR, "direktion").text
    assert "• Nytt e-arkiv (VMKF 2027/15) – IT-chefen (exempel), senast 30 apr 2027 – försenad" in overview

    as_of(chat, local(2027, 5, 4, 9, 0))
    delayed = report(chat, reminder, {"kind": "delayed", "new_due": "2027-06-15", "comment": "Leverantören är sen"})
    assert "Nytt slutdatum: tisdag 15 juni 2027" in delayed.text and "Förbundschefen har fått besked" in delayed.text
    ticks(chat, local(2027, 5, 4, 9, 5))
    [told] = said(chat, DIRECTOR, "har rapporterat ett direktionsbeslut som försenat")
    assert "Nytt slutdatum: tisdag 15 juni 2027 (var fredag 30 april 2027)." in told.text
    own = chat.command(OWNER, "direktion uppgifter").text
    assert (
        "Slutdatum: tisdag 15 juni 2027. Senaste rapport: Försenad – nytt slutdatum, 4 maj: ”Leverantören är sen”."
        in own
    )
    return reminder


def a_meeting_cancelled_after_its_reminders_were_queued(chat: Chat) -> None:
    """June's meeting is cancelled after its first reminders were queued (the bot stopped before sending them)."""
    matters = local(2027, 5, 13, 8, 30)
    queue_due_work(chat.engine, chat.config, matters)
    assert withdrawn(chat, JUNE) == 0
    change_events(chat, JUNE, cancelled=True)
    ticks(chat, matters + timedelta(minutes=5), local(2027, 5, 25, 8, 30), local(2027, 6, 3, 8, 30))
    assert withdrawn(chat, JUNE) == 5  # the director and the four department heads
    for to in (DIRECTOR, OWNER, CHIEFS["kungsor"], BOARD):
        assert said(chat, to, "torsdag 10 juni") == [], to
    as_of(chat, local(2027, 6, 3, 9, 0))
    assert "Direktionsmöte torsdag 10 juni 2027 kl. 13:00 – inställt" in chat.command(DIRECTOR, "direktion").text


def the_delayed_task_is_reminded_and_done(chat: Chat) -> None:
    ticks(chat, local(2027, 6, 8, 8, 30))  # five working days before 15 June
    [_, again] = said(chat, OWNER, "Påminnelse: ett direktionsbeslut ska vara genomfört senast")
    assert "tisdag 15 juni 2027" in again.text and "flyttades från fredag 30 april 2027" in again.text
    as_of(chat, local(2027, 6, 10, 15, 0))
    assert "inga fler påminnelser" in report(chat, again, {"kind": "done"}).text
    ticks(chat, local(2027, 6, 10, 15, 5), local(2027, 6, 11, 8, 30), local(2027, 6, 16, 8, 30))
    assert len(said(chat, DIRECTOR, "som genomfört")) == 1
    assert len(said(chat, DIRECTOR, "har passerat sitt slutdatum")) == 1  # April's date only, not June's
    assert len(said(chat, OWNER, "Påminnelse: ett direktionsbeslut")) == 2
    assert said(chat, SECRETARY, "torsdag 10 juni") == []  # the cancelled meeting: no request
    as_of(chat, local(2027, 6, 16, 9, 0))
    assert "Inga direktionsbeslut väntar på att genomföras." in chat.command(DIRECTOR, "direktion uppgifter").text
