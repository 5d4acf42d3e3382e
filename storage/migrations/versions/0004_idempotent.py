"""idempotent: one table of processed chat requests replaces followup_submission (its keys carried over)

Revision ID: 0004_idempotent
Revises: 0003_cases

The follow-up form's keys were stored as text; processed_request stores the SHA-256 digest of that same text,
which is what handlers/slack/request_keys.py derives for a view submission, so a submission processed before the
upgrade is still recognised after it. The downgrade cannot turn digests back into keys: it recreates an empty
followup_submission (the follow-up form then accepts one more copy of a request replayed across the downgrade).
"""

import hashlib

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision = "0004_idempotent"
down_revision = "0003_cases"
branch_labels = None
depends_on = None


def upgrade() -> None:
    processed = op.create_table(
        "processed_request",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("received_at", storage.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    old = sa.table(
        "followup_submission", sa.column("key", sa.String()), sa.column("received_at", storage.types.UTCDateTime())
    )
    rows = op.get_bind().execute(sa.select(old.c.key, old.c.received_at)).all()
    carried = [{"key": hashlib.sha256(key.encode()).hexdigest(), "received_at": at} for key, at in rows]
    if carried:
        op.bulk_insert(processed, carried)
    op.drop_table("followup_submission")


def downgrade() -> None:
    op.create_table(
        "followup_submission",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("round_id", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("department_id", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("submitted_by", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("received_at", storage.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.drop_table("processed_request")
