"""Migration 0005_load: plan occurrences queued before it count as queued after it, so none is sent again."""

from datetime import timedelta

from alembic import command
from sqlalchemy import select

from bot.config import parse_config
from bot.plan.schedule import enqueue_due_plan
from storage import outbox
from storage.engine import make_engine, session_scope
from storage.migrate import _alembic_config, upgrade
from storage.outbox import QueuedOccurrence
from tests.test_outbox import CONFIG, MONDAY
from tests.test_retention import old_row


def test_occurrences_queued_before_the_migration_are_not_queued_again(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'migrate.db'}")
    upgrade(engine)
    config = _alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0003_cases")
    due = MONDAY.isoformat()[:10]
    with session_scope(engine) as session:  # what the previous version wrote on Monday morning
        rows = [old_row(due, "sent", due_days_ago=0), old_row(due, "sent", due_days_ago=0)]
        rows[1]["recipient"] = "person:kval"
        rows.append(dict(old_row(due, "sent", due_days_ago=0), source="followup"))
        outbox.enqueue(session, rows)
    upgrade(engine)
    with session_scope(engine) as session:
        marks = session.scalars(select(QueuedOccurrence)).all()
    assert [(m.source, m.item_id, m.occurrence_key) for m in marks] == [("plan", "veckobrev", due)]
    report = enqueue_due_plan(engine, parse_config(CONFIG), MONDAY + timedelta(minutes=5))
    assert [o.item.id for o in report.queued] == ["paminnelse"]  # veckobrev was queued before the upgrade
    engine.dispose()
