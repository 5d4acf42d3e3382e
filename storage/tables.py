"""Imports every table module so that SQLModel.metadata is complete (for Alembic and tests)."""

from storage.followup import FollowupAnswer, FollowupDelegation, FollowupRevision, FollowupSubmission
from storage.outbox import Delivery
from storage.state import ProcessedEvent, SchedulerState, SlackUser

__all__ = [
    "Delivery",
    "FollowupAnswer",
    "FollowupDelegation",
    "FollowupRevision",
    "FollowupSubmission",
    "ProcessedEvent",
    "SchedulerState",
    "SlackUser",
]
