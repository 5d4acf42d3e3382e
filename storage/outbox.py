"""The outbox: one row per message to deliver, unique per (source, item, occurrence, recipient, part)."""

from collections.abc import Collection
from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    Column,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    bindparam,
    delete,
    false,
    func,
    or_,
    select,
    tuple_,
    update,
)
from sqlalchemy.orm import FromStatement
from sqlmodel import Field, Session, SQLModel

from storage.engine import insert_ignoring_conflicts, is_postgres
from storage.platform import Platform
from storage.types import UTCDateTime


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    MISSED = "missed"
    # Queued for an event's date, and the event was moved or cancelled before the row went out: never sent.
    WITHDRAWN = "withdrawn"


class RowKind(StrEnum):
    """POST sends the row's message; UPDATE brings the message posted by row `updates_id` up to date with what
    that row holds now (so an update carries no content of its own, and never shows an older state)."""

    POST = "post"
    UPDATE = "update"


class Delivery(SQLModel, table=True):
    __tablename__ = "delivery"
    __table_args__ = (
        UniqueConstraint("source", "item_id", "occurrence_key", "recipient", "part", name="uq_delivery_key"),
        Index("ix_delivery_status_next_attempt", "status", "next_attempt_at"),
        # What `recent` (the status view) and `prune` read: the newest or oldest rows of one status.
        Index("ix_delivery_status_due", "status", "due_at", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(max_length=40)
    item_id: str = Field(max_length=200)
    occurrence_key: str = Field(max_length=200)
    recipient: str = Field(max_length=200)
    part: int = 0
    # What the row carries (a messages.deliveries.DeliveryKind, set by bot.delivery.keys) and, for a follow-up
    # ask, the department it is about: stored so that nothing parses the key back.
    kind: str = Field(default="unknown", sa_column=Column(String(40), nullable=False, server_default="unknown"))
    about: str | None = Field(default=None, max_length=200)
    due_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    platform: str = Field(
        default=Platform.SLACK, sa_column=Column(String(20), nullable=False, server_default=Platform.SLACK.value)
    )
    address: str = Field(max_length=320)
    row_kind: str = Field(
        default=RowKind.POST, sa_column=Column(String(20), nullable=False, server_default=RowKind.POST.value)
    )
    updates_id: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
    # The message's notification text, neutral: what logs and status views show of the row.
    text: str = Field(sa_column=Column(Text, nullable=False))
    # The neutral message part (messages.message.Message as JSON, files included), rendered at send time.
    message: str = Field(default="{}", sa_column=Column(Text, nullable=False, server_default="{}"))
    owner: str | None = Field(default=None, max_length=200)
    status: str = Field(default=DeliveryStatus.PENDING, max_length=20)
    attempts: int = 0
    next_attempt_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    claimed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    # Where the platform put the posted message: a Slack channel and ts, a Teams conversation and activity id.
    posted_conversation: str | None = Field(default=None, max_length=400)
    posted_id: str | None = Field(default=None, max_length=200)
    error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    sent_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    # Set when a post may have reached the platform without being recorded (a crash, a 5xx, a dropped
    # connection): the next attempt looks for the message's metadata in the channel before posting again.
    check_before_post: bool = Field(
        default=False, sa_column=Column(Boolean, nullable=False, default=False, server_default=false())
    )


FINAL_STATUSES = (DeliveryStatus.SENT, DeliveryStatus.FAILED, DeliveryStatus.MISSED, DeliveryStatus.WITHDRAWN)
Pairs = set[tuple[str, str]]  # (item_id, occurrence_key) pairs of one source


class QueuedOccurrence(SQLModel, table=True):
    """An occurrence whose rows are all in the outbox (or that could not be queued: `error` says why).

    Written in the same transaction as the occurrence's last rows, so an occurrence written in several
    transactions counts as queued only once all of them are in.
    """

    __tablename__ = "queued_occurrence"

    source: str = Field(primary_key=True, max_length=40)
    item_id: str = Field(primary_key=True, max_length=200)
    occurrence_key: str = Field(primary_key=True, max_length=200)
    queued_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False, index=True))
    error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


def enqueue(session: Session, rows: list[dict]) -> int:
    """Insert delivery rows; rows whose key already exists are left as they are. Returns rows inserted."""
    return insert_ignoring_conflicts(session, Delivery.__table__, rows)


def row_id(session: Session, row: dict) -> int | None:
    """The id of the row with the unique key of `row`."""
    statement = select(Delivery.id).where(
        Delivery.source == row["source"],
        Delivery.item_id == row["item_id"],
        Delivery.occurrence_key == row["occurrence_key"],
        Delivery.recipient == row["recipient"],
        Delivery.part == row["part"],
    )
    return session.scalars(statement).first()


def existing_occurrences(session: Session, source: str, wanted: Pairs) -> Pairs:
    """Those of the `wanted` (item_id, occurrence_key) pairs of `source` that already have rows."""
    return _pairs_in(session, Delivery, source, wanted)


def queued_occurrences(session: Session, source: str, wanted: Pairs) -> Pairs:
    """Those of the `wanted` (item_id, occurrence_key) pairs of `source` that are marked as queued."""
    return _pairs_in(session, QueuedOccurrence, source, wanted)


def _pairs_in(session: Session, table: type[Delivery | QueuedOccurrence], source: str, wanted: Pairs) -> Pairs:
    """Those of the `wanted` (item_id, occurrence_key) pairs of `source` that `table` has a row for."""
    if not wanted:
        return set()
    items, keys = sorted({item for item, _ in wanted}), sorted({key for _, key in wanted})
    pairs = select(table.item_id, table.occurrence_key).distinct()
    statement = pairs.where(table.source == source, table.item_id.in_(items), table.occurrence_key.in_(keys))
    return {(item, key) for item, key in session.execute(statement) if (item, key) in wanted}


def queued_marks(session: Session, source: str, wanted: Pairs) -> dict[tuple[str, str], datetime]:
    """When each of the `wanted` (item_id, occurrence_key) pairs of `source` that is marked as queued was queued."""
    if not wanted:
        return {}
    items, keys = sorted({item for item, _ in wanted}), sorted({key for _, key in wanted})
    statement = select(QueuedOccurrence.item_id, QueuedOccurrence.occurrence_key, QueuedOccurrence.queued_at).where(
        QueuedOccurrence.source == source,
        QueuedOccurrence.item_id.in_(items),
        QueuedOccurrence.occurrence_key.in_(keys),
    )
    return {(item, key): at for item, key, at in session.execute(statement) if (item, key) in wanted}


def mark_queued(
    session: Session, source: str, item_id: str, occurrence_key: str, now: datetime, error: str | None = None
) -> None:
    row = {"source": source, "item_id": item_id, "occurrence_key": occurrence_key, "queued_at": now, "error": error}
    insert_ignoring_conflicts(session, QueuedOccurrence.__table__, [row])


def row_problem(row: dict) -> str | None:
    """Why the outbox cannot hold `row` (a value longer than its column), or None."""
    for name, length in _LENGTHS.items():
        value = row.get(name)
        if isinstance(value, str) and len(value) > length:
            return f"{name} is {len(value)} characters long; the outbox holds at most {length}"
    return None


_LENGTHS = {column.name: column.type.length for column in Delivery.__table__.c if getattr(column.type, "length", None)}


def prune(session: Session, before: datetime, keep_sources: tuple[str, ...], limit: int) -> int:
    """Delete up to `limit` finished rows due before `before` (not of `keep_sources`); returns how many."""
    ids = select(Delivery.id).where(
        Delivery.status.in_(FINAL_STATUSES), Delivery.due_at < before, Delivery.source.not_in(keep_sources)
    )
    doomed = list(session.scalars(ids.order_by(Delivery.due_at).limit(limit)))
    if doomed:
        session.execute(delete(Delivery).where(Delivery.id.in_(doomed)))
    return len(doomed)


def prune_queued_marks(session: Session, before: datetime, limit: int) -> int:
    """Delete up to `limit` completion marks written before `before`, in one statement; returns how many."""
    columns = (QueuedOccurrence.source, QueuedOccurrence.item_id, QueuedOccurrence.occurrence_key)
    doomed = session.execute(select(*columns).where(QueuedOccurrence.queued_at < before).limit(limit)).all()
    if doomed:
        session.execute(delete(QueuedOccurrence).where(tuple_(*columns).in_([tuple(row) for row in doomed])))
    return len(doomed)


def occurrence_keys_of_items(session: Session, source: str, item_ids: set[str]) -> Pairs:
    """Every (item_id, occurrence_key) pair that `source` has rows for, for the given items."""
    if not item_ids:
        return set()
    statement = (
        select(Delivery.item_id, Delivery.occurrence_key)
        .where(Delivery.source == source, Delivery.item_id.in_(sorted(item_ids)))
        .distinct()
    )
    return {(item, key) for item, key in session.execute(statement)}


def occurrences_in_status(
    session: Session, status: str, sources: list[str], due_since: datetime | None = None
) -> list[tuple[str, str, str, datetime]]:
    """(source, item_id, occurrence_key, earliest due_at) of the occurrences of `sources` with rows in `status`
    (due at `due_since` or later, when given)."""
    if not sources:
        return []
    statement = select(Delivery.source, Delivery.item_id, Delivery.occurrence_key, func.min(Delivery.due_at)).where(
        Delivery.status == status, Delivery.source.in_(sources)
    )
    if due_since is not None:
        statement = statement.where(Delivery.due_at >= due_since)
    grouped = statement.group_by(Delivery.source, Delivery.item_id, Delivery.occurrence_key)
    return [(source, item, key, due) for source, item, key, due in session.execute(grouped)]


def move_occurrence(
    session: Session, source: str, item_id: str, occurrence_key: str, status: str, to: str, error: str | None
) -> int:
    """Put an occurrence's rows that are in `status` into status `to` (with `error`); returns how many. Rows a
    sender has claimed meanwhile are no longer in `status` and stay as they are."""
    result = session.execute(
        update(Delivery)
        .where(
            Delivery.source == source,
            Delivery.item_id == item_id,
            Delivery.occurrence_key == occurrence_key,
            Delivery.status == status,
        )
        .values(status=to, error=error, claimed_at=None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


# The claims' and mark's statements are built once (SQLAlchemy then finds their compiled form by a cached key):
# the sender runs them for every row it sends.
_TABLE = Delivery.__table__
_NOW = bindparam("now", type_=UTCDateTime())
_STALE_BEFORE = bindparam("stale_before", type_=UTCDateTime())


def _claim_due_statement(postgres: bool) -> FromStatement:
    """claim_due's one statement: UPDATE the first `limit` due rows (by next_attempt_at, id) to sending, RETURNING
    them as they are now; a row already sending gets `check_before_post` (SET sees the row as it was)."""
    due = or_(
        (_TABLE.c.status == DeliveryStatus.PENDING) & (_TABLE.c.next_attempt_at <= _NOW),
        (_TABLE.c.status == DeliveryStatus.SENDING) & (_TABLE.c.claimed_at < _STALE_BEFORE),
    )
    first = select(_TABLE.c.id).where(due).order_by(_TABLE.c.next_attempt_at, _TABLE.c.id).limit(bindparam("limit"))
    if postgres:
        first = first.with_for_update(skip_locked=True)
    claim = (
        update(_TABLE)
        .where(_TABLE.c.id.in_(first.scalar_subquery()), due)
        .values(
            status=DeliveryStatus.SENDING,
            claimed_at=_NOW,
            attempts=_TABLE.c.attempts + 1,
            check_before_post=_TABLE.c.check_before_post | (_TABLE.c.status == DeliveryStatus.SENDING),
        )
        .returning(*_TABLE.c)
    )
    return select(Delivery).from_statement(claim)


_CLAIM_DUE = {postgres: _claim_due_statement(postgres) for postgres in (False, True)}


def claim_due(session: Session, now: datetime, stale_before: datetime, limit: int) -> list[Delivery]:
    """Mark due pending rows, and rows stuck in 'sending' since before `stale_before`, as sending, in one UPDATE.

    A stuck row (a process died after marking it, perhaps after posting) gets `check_before_post`.
    On PostgreSQL concurrent senders skip each other's rows (FOR UPDATE SKIP LOCKED in the UPDATE's subquery); on
    SQLite the write transaction (BEGIN IMMEDIATE) keeps them apart. Returned in order of next_attempt_at and id,
    detached from the session.
    """
    parameters = {"now": now, "stale_before": stale_before, "limit": limit}
    rows = list(session.scalars(_CLAIM_DUE[is_postgres(session)], parameters))
    for row in rows:
        session.expunge(row)
    return sorted(rows, key=lambda row: (row.next_attempt_at, row.id))


_CLAIM_ROWS = select(Delivery).from_statement(
    update(_TABLE)
    .where(
        _TABLE.c.id.in_(bindparam("ids", expanding=True)),
        _TABLE.c.status == DeliveryStatus.PENDING,
        _TABLE.c.next_attempt_at <= _NOW,
    )
    .values(status=DeliveryStatus.SENDING, claimed_at=_NOW, attempts=_TABLE.c.attempts + 1)
    .returning(*_TABLE.c)
)


def claim_rows(session: Session, ids: list[int], now: datetime) -> list[Delivery]:
    """Mark those of the given rows that are pending and due as sending (a concurrent sender's claim wins), in one
    UPDATE; returned in order of id, detached from the session."""
    if not ids:
        return []
    rows = list(session.scalars(_CLAIM_ROWS, {"ids": ids, "now": now}))
    for row in rows:
        session.expunge(row)
    return sorted(rows, key=lambda row: row.id)


_CLAIM_ITEM_POSTS = select(Delivery).from_statement(
    update(_TABLE)
    .where(
        _TABLE.c.source == bindparam("item_source"),
        _TABLE.c.item_id == bindparam("item"),
        _TABLE.c.kind.in_(bindparam("kinds", expanding=True)),
        _TABLE.c.row_kind == RowKind.POST,
        _TABLE.c.status == DeliveryStatus.PENDING,
        _TABLE.c.next_attempt_at <= _NOW,
    )
    .values(status=DeliveryStatus.SENDING, claimed_at=_NOW, attempts=_TABLE.c.attempts + 1)
    .returning(*_TABLE.c)
)


def claim_item_posts(
    session: Session, source: str, item_id: str, kinds: Collection[str], now: datetime
) -> list[Delivery]:
    """Mark one item's pending and due posts of these kinds as sending (a concurrent sender's claim wins), in one
    UPDATE: what a request sends at once instead of the tick (a case's receipt and triage post). Returned in order
    of id, detached from the session."""
    parameters = {"item_source": source, "item": item_id, "kinds": list(kinds), "now": now}
    rows = list(session.scalars(_CLAIM_ITEM_POSTS, parameters))
    for row in rows:
        session.expunge(row)
    return sorted(rows, key=lambda row: row.id)


def recent(
    session: Session, limit: int, statuses: tuple[str, ...], exclude_sources: tuple[str, ...] = ()
) -> list[Delivery]:
    """The latest messages posted (not updates of them) in the given statuses, and not from `exclude_sources`,
    newest first."""
    statement = (
        select(Delivery)
        .where(
            Delivery.status.in_(statuses), Delivery.source.not_in(exclude_sources), Delivery.row_kind == RowKind.POST
        )
        .order_by(Delivery.due_at.desc(), Delivery.id.desc())
        .limit(limit)
    )
    return list(session.scalars(statement))


def message_parts(session: Session, row: Delivery) -> list[Delivery]:
    """Every part of the message `row` is one part of, in order."""
    statement = (
        select(Delivery)
        .where(
            Delivery.source == row.source,
            Delivery.item_id == row.item_id,
            Delivery.occurrence_key == row.occurrence_key,
            Delivery.recipient == row.recipient,
        )
        .order_by(Delivery.part)
    )
    return list(session.scalars(statement))


# One row's UPDATE by id; it sets the columns named by the parameters' other keys (compiled once per set of them).
_MARK = update(_TABLE).where(_TABLE.c.id == bindparam("row_id"))
_COLUMNS = frozenset(_TABLE.c.keys())


def mark(session: Session, delivery_id: int, **values: object) -> None:
    """Set `values` on one row (a Core UPDATE: Delivery objects loaded in the session are not refreshed)."""
    if not values:
        raise ValueError("nothing to set on the outbox row")
    if unknown := values.keys() - _COLUMNS:
        raise ValueError(f"not columns of the outbox: {', '.join(sorted(unknown))}")
    session.execute(_MARK, {"row_id": delivery_id, **values})
