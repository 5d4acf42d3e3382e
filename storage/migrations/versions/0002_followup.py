"""followup: answers, revisions, submissions, delegations; attachments on deliveries

Revision ID: 0002_followup
Revises: 0001
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision = "0002_followup"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "followup_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("department_id", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("indicator_id", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("value_number", sa.Float(), nullable=True),
        sa.Column("value_text", sa.Text(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("actions", sa.Text(), nullable=True),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("submitted_by", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("submitted_at", storage.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("round_id", "department_id", "indicator_id", name="uq_followup_answer"),
    )
    with op.batch_alter_table("followup_answer", schema=None) as batch_op:
        batch_op.create_index("ix_followup_answer_indicator", ["indicator_id"], unique=False)

    op.create_table(
        "followup_delegation",
        sa.Column("round_id", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("department_id", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("person_id", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("delegated_by", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("delegated_at", storage.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("round_id", "department_id"),
    )
    op.create_table(
        "followup_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("department_id", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("indicator_id", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("submitted_by", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("submitted_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("changes", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("round_id", "department_id", "indicator_id", "revision", name="uq_followup_revision"),
    )
    op.create_table(
        "followup_submission",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("round_id", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("department_id", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("submitted_by", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("received_at", storage.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    with op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attachments", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.drop_column("attachments")

    op.drop_table("followup_submission")
    op.drop_table("followup_revision")
    op.drop_table("followup_delegation")
    with op.batch_alter_table("followup_answer", schema=None) as batch_op:
        batch_op.drop_index("ix_followup_answer_indicator")

    op.drop_table("followup_answer")
