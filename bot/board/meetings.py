"""The board's meetings: the events of `board.meeting_kind`, the chair municipality on each meeting's date, who
prepares a meeting, and the budget dialogues shown beside them."""

from dataclasses import dataclass
from datetime import date, time

from bot.config.board_model import BoardConfig
from bot.config.model import AssociationConfig, Event, Member, Person
from bot.permissions import Grant


def board_of(config: AssociationConfig) -> BoardConfig:
    """The `board:` section; only called where the association has one."""
    if config.board is None:
        raise ValueError("the association file has no board: section")
    return config.board


def _by_date(events: list[Event]) -> list[Event]:
    return sorted(events, key=lambda event: (event.date, event.time or time.min, event.id))


def meetings(config: AssociationConfig, *, include_cancelled: bool = False) -> list[Event]:
    """The board's meetings by date; cancelled ones only when asked for."""
    kind = board_of(config).meeting_kind
    return _by_date([e for e in config.events if e.kind == kind and (include_cancelled or not e.cancelled)])


def find_meeting(config: AssociationConfig, meeting_id: str) -> Event | None:
    """The meeting with this id, cancelled or not; None when the file has no such meeting (or no board)."""
    if config.board is None:
        return None
    return next((event for event in meetings(config, include_cancelled=True) if event.id == meeting_id), None)


def next_meetings(
    config: AssociationConfig, today: date, count: int, *, include_cancelled: bool = False
) -> list[Event]:
    """The first `count` meetings on or after `today`."""
    return [event for event in meetings(config, include_cancelled=include_cancelled) if event.date >= today][:count]


def budget_dialogues(config: AssociationConfig, today: date) -> list[Event]:
    """The budget dialogues (events of `board.budget_dialogue_kind`) on or after `today` that take place."""
    kind = board_of(config).budget_dialogue_kind
    if kind is None:
        return []
    return _by_date([e for e in config.events if e.kind == kind and e.date >= today and not e.cancelled])


def chair_of(config: AssociationConfig, meeting: Event) -> Member | None:
    """The chair municipality on the meeting's date (not on the day a reminder goes out: a term may end between)."""
    return config.chair_on(meeting.date)


@dataclass(frozen=True)
class Preparers:
    """Who prepares a meeting: the chair municipality and its chief, the director, the presidium's members."""

    chair: Member | None
    chief: Person | None
    director: Person
    presidium: tuple[Person, ...]


def preparers(config: AssociationConfig, meeting: Event) -> Preparers:
    chair = chair_of(config, meeting)
    chief = config.find_person(chair.chief) if chair is not None else None
    presidium_id = board_of(config).presidium
    presidium = config.forum(presidium_id).members if presidium_id else []
    return Preparers(
        chair=chair,
        chief=chief,
        director=config.role_holder(Grant.DIRECTOR),
        presidium=tuple(config.person(person_id) for person_id in presidium),
    )
