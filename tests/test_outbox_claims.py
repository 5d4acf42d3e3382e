"""The outbox's claims and marks at the storage level, on SQLite and PostgreSQL: each claim is one UPDATE ...
RETURNING, so what it returns must be the rows as they are after it, in the sender's order."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from storage import outbox
from storage.engine import session_scope
from storage.outbox import Delivery, DeliveryStatus

NOW = datetime(2027, 2, 1, 8, 0, tzinfo=UTC)
STALE_BEFORE = NOW - timedelta(minutes=15)


def queue(engine, *rows: tuple[str, datetime]) -> dict[str, int]:
    """Pending rows (recipient, next attempt); their ids by recipient."""
    built = [
        {
            "source": "test",
            "item_id": "item",
            "occurrence_key": "k",
            "recipient": recipient,
            "due_at": NOW,
            "address": f"C{recipient}",
            "text": recipient,
            "next_attempt_at": at,
            "created_at": NOW,
        }
        for recipient, at in rows
    ]
    with session_scope(engine) as session:
        outbox.enqueue(session, built)
        return {row["recipient"]: outbox.row_id(session, {**row, "part": 0}) for row in built}


def stored(engine) -> dict[str, Delivery]:
    with session_scope(engine) as session:
        return {row.recipient: row for row in session.exec(select(Delivery))}


def test_claim_due_returns_the_due_rows_as_claimed_in_order_of_their_next_attempt(engine):
    ids = queue(engine, ("late", NOW - timedelta(minutes=1)), ("early", NOW - timedelta(hours=1)), ("later", NOW))
    queue(engine, ("not_due", NOW + timedelta(seconds=1)))

    with session_scope(engine) as session:
        claimed = outbox.claim_due(session, NOW, STALE_BEFORE, limit=10)

    assert [row.recipient for row in claimed] == ["early", "late", "later"]
    assert [row.id for row in claimed] == [ids["early"], ids["late"], ids["later"]]
    for row in claimed:
        assert (row.status, row.claimed_at, row.attempts, row.check_before_post) == (
            DeliveryStatus.SENDING,
            NOW,
            1,
            False,
        )
    assert {name: row.status for name, row in stored(engine).items()} == {
        "early": DeliveryStatus.SENDING,
        "late": DeliveryStatus.SENDING,
        "later": DeliveryStatus.SENDING,
        "not_due": DeliveryStatus.PENDING,
    }


def test_claim_due_takes_the_first_rows_up_to_its_limit(engine):
    queue(engine, *((f"r{index}", NOW - timedelta(minutes=index)) for index in range(5)))

    with session_scope(engine) as session:
        claimed = outbox.claim_due(session, NOW, STALE_BEFORE, limit=2)

    assert [row.recipient for row in claimed] == ["r4", "r3"]
    assert sorted(name for name, row in stored(engine).items() if row.status == DeliveryStatus.SENDING) == ["r3", "r4"]


def test_a_row_left_sending_by_a_crash_is_claimed_again_to_be_looked_for_first(engine):
    ids = queue(engine, ("stuck", NOW - timedelta(hours=1)), ("sending", NOW - timedelta(hours=1)))
    with session_scope(engine) as session:  # claimed before the crash, and claimed by a live sender just now
        outbox.mark(
            session, ids["stuck"], status=DeliveryStatus.SENDING, claimed_at=NOW - timedelta(minutes=20), attempts=1
        )
        outbox.mark(
            session, ids["sending"], status=DeliveryStatus.SENDING, claimed_at=NOW - timedelta(minutes=1), attempts=1
        )

    with session_scope(engine) as session:
        claimed = outbox.claim_due(session, NOW, STALE_BEFORE, limit=10)

    assert [(row.recipient, row.status, row.claimed_at, row.attempts, row.check_before_post) for row in claimed] == [
        ("stuck", DeliveryStatus.SENDING, NOW, 2, True)
    ]
    rows = stored(engine)
    assert (rows["stuck"].claimed_at, rows["stuck"].check_before_post) == (NOW, True)
    assert (rows["sending"].claimed_at, rows["sending"].check_before_post) == (NOW - timedelta(minutes=1), False)


def test_claim_rows_takes_only_the_given_rows_that_are_pending_and_due(engine):
    ids = queue(engine, ("b", NOW), ("a", NOW - timedelta(minutes=1)), ("later", NOW + timedelta(minutes=1)))
    queue(engine, ("other", NOW))
    with session_scope(engine) as session:
        outbox.mark(session, ids["a"], status=DeliveryStatus.SENT)

    with session_scope(engine) as session:
        claimed = outbox.claim_rows(session, [ids["later"], ids["b"], ids["a"]], NOW)

    assert [(row.recipient, row.status, row.claimed_at, row.attempts) for row in claimed] == [
        ("b", DeliveryStatus.SENDING, NOW, 1)
    ]
    assert {name: row.status for name, row in stored(engine).items()} == {
        "a": DeliveryStatus.SENT,
        "b": DeliveryStatus.SENDING,
        "later": DeliveryStatus.PENDING,
        "other": DeliveryStatus.PENDING,
    }


def test_mark_refuses_a_name_that_is_no_column_and_writes_nothing(engine):
    ids = queue(engine, ("a", NOW))

    with pytest.raises(ValueError, match="not columns of the outbox: statu"), session_scope(engine) as session:
        outbox.mark(session, ids["a"], status=DeliveryStatus.SENT, statu=DeliveryStatus.SENT)
    with pytest.raises(ValueError, match="nothing to set"), session_scope(engine) as session:
        outbox.mark(session, ids["a"])

    assert stored(engine)["a"].status == DeliveryStatus.PENDING
