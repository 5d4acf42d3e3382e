"""`/direktion` alone on Slack and in Teams: the next meetings (cancelled ones shown as such), the chair municipality
of each meeting's date, who prepares, the next meeting's preparation dates, the budget dialogue, and the open
decision tasks with owners and due dates (overdue marked)."""

from datetime import date

from bot.config.model import AssociationConfig
from storage.board import BoardDecision, BoardTaskReport, TaskReportKind
from storage.engine import session_scope
from tests.chat import STRANGER, Chat
from tests.conftest import local

DIRECTOR, IT_HEAD = "forbundschef", "it-chef"


def with_events(config: AssociationConfig, **changes: dict) -> AssociationConfig:
    """The configuration with the named events changed (`date`, `cancelled`)."""
    events = [event.model_copy(update=changes.get(event.id, {})) for event in config.events]
    return config.model_copy(update={"events": events})


def test_the_next_meetings_their_chair_who_prepares_and_the_preparation_dates(chat: Chat):
    text = chat.command(IT_HEAD, "direktion").text
    assert text.startswith("Direktionens kommande möten\n")
    meetings = [line for line in text.splitlines() if line.startswith("Direktionsmöte ")]
    assert meetings == [
        "Direktionsmöte torsdag 18 februari 2027 kl. 13:00",
        "Direktionsmöte torsdag 22 april 2027 kl. 13:00",
        "Direktionsmöte torsdag 10 juni 2027 kl. 13:00",
    ]
    assert text.count("Ordförandekommun: Arboga kommun") == 3
    assert (
        "Bereds av: Kommunchef Arboga (exempel) (ordförandekommunen), Förbundschefen (exempel) och presidiet "
        "(Direktionens ordförande (exempel), Direktionens vice ordförande (exempel), Förbundschefen (exempel))"
    ) in text
    dates = text.split("Inför mötet torsdag 18 februari 2027\n", 1)[1].split("\nBudgetdialog\n", 1)[0]
    assert dates.splitlines() == [
        "• Ärenden till förbundschefen senast torsdag 28 januari 2027 (passerat)",
        "• Beredning med ordförandekommunen från tisdag 2 februari 2027",
        "• Presidieberedning torsdag 4 februari 2027",
        "• Kallelsen skickas torsdag 11 februari 2027",
    ]
    assert "Budgetdialog\n• Budgetdialog med storgruppen torsdag 11 mars 2027 kl. 09:00" in text
    assert text.endswith("Inga beslut väntar på att verkställas.")


def test_a_cancelled_meeting_is_shown_as_such_and_a_chair_change_per_meeting(chat: Chat, clock):
    clock.set(local(2026, 11, 2, 9, 0))  # Köping chairs 2025–2026, Arboga from 2027
    chat.runtime.config = with_events(
        chat.config,
        **{"direktion-2027-02": {"date": date(2026, 12, 10)}, "direktion-2027-04": {"cancelled": True}},
    )
    text = chat.command(DIRECTOR, "direktion").text
    assert "Direktionsmöte torsdag 10 december 2026 kl. 13:00\nOrdförandekommun: Köpings kommun" in text
    assert "Bereds av: Kommunchef Köping (exempel) (ordförandekommunen)" in text
    assert "Direktionsmöte torsdag 22 april 2027 kl. 13:00 – inställt" in text
    assert "Direktionsmöte torsdag 10 juni 2027 kl. 13:00\nOrdförandekommun: Arboga kommun" in text
    assert "Direktionsmöte torsdag 23 september 2027" in text  # the third that takes place
    assert "Inför mötet torsdag 10 december 2026" in text and "(passerat)" not in text


def test_the_open_decisions_with_owners_and_due_dates_overdue_marked(chat: Chat):
    at = local(2026, 12, 10, 15, 0)
    with session_scope(chat.engine) as session:
        overdue, coming = [
            BoardDecision(
                meeting_id="direktion-2026-12", position=position, title=title, summary="", concerns_all=True,
                public=False, owner=owner, due=due, created_by="sekreterare", created_at=at, updated_by="sekreterare",
                updated_at=at,
            )
            for position, title, owner, due in [
                (1, "Ny IT-strategi", "it-chef", date(2027, 1, 29)),
                (2, "Översyn av lönerutiner", "lon-chef", date(2027, 3, 1)),
            ]
        ]  # fmt: skip
        session.add_all([overdue, coming])
        session.flush()
        session.add(
            BoardTaskReport(decision_id=coming.id, kind=TaskReportKind.COMMENT, comment="Påbörjad",
                            reported_by="lon-chef", reported_at=local(2027, 1, 20, 10, 0))
        )  # fmt: skip
    text = chat.command(IT_HEAD, "direktion").text
    tasks = text.split("Beslut som ska verkställas (2)\n", 1)[1]
    assert [line.strip() for line in tasks.splitlines()] == [
        "• Ny IT-strategi – IT-chefen (exempel), senast 29 jan 2027 – försenad",
        "• Översyn av lönerutiner – Lönechefen (exempel), senast 1 mar 2027",
        "Senast rapporterat 20 jan: Kommentar – Påbörjad",
    ]


def test_nothing_ahead_and_a_stranger(chat: Chat, clock):
    clock.set(local(2028, 1, 10, 9, 0))
    text = chat.command(DIRECTOR, "direktion").text
    assert "Inga kommande möten finns i sammanträdesplanen." in text and "Inför mötet" not in text
    assert "Budgetdialog" not in text
    refused = chat.command(STRANGER, "direktion").text
    assert refused.startswith("Jag hittar dig inte bland förbundets personer.")
    assert "Direktionens kommande möten" not in refused
