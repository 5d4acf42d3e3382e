"""load: completion marks for queued occurrences, and the index the status view and pruning read

Revision ID: 0005_load
Revises: 0003_cases
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision = "0005_load"
down_revision = "0004_idempotent"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "queued_occurrence",
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("item_id", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("occurrence_key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("queued_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("source", "item_id", "occurrence_key"),
    )
    op.create_index("ix_queued_occurrence_queued_at", "queued_occurrence", ["queued_at"], unique=False)
    # Plan occurrences queued before this revision were written in one transaction each: all are complete.
    op.execute(
        "INSERT INTO queued_occurrence (source, item_id, occurrence_key, queued_at) "
        "SELECT source, item_id, occurrence_key, MIN(created_at) FROM delivery WHERE source = 'plan' "
        "GROUP BY source, item_id, occurrence_key"
    )
    op.create_index("ix_delivery_status_due", "delivery", ["status", "due_at", "id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_delivery_status_due", table_name="delivery")
    op.drop_index("ix_queued_occurrence_queued_at", table_name="queued_occurrence")
    op.drop_table("queued_occurrence")
