"""Imports every table module so that SQLModel.metadata is complete (for Alembic and tests)."""

from storage.outbox import Delivery
from storage.state import ProcessedEvent, SchedulerState, SlackUser

__all__ = ["Delivery", "ProcessedEvent", "SchedulerState", "SlackUser"]
