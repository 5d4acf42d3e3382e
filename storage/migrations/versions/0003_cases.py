"""cases: feedback and complaint cases, their history, the yearly number sequence, the purge record

Revision ID: 0003_cases
Revises: 0002_followup
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision = "0003_cases"
down_revision = "0002_followup"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_purge",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("category", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("department_id", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("registered_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("closed_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("purged_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("rule", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "case_sequence",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year"),
    )
    op.create_table(
        "feedback_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("serial", sa.Integer(), nullable=False),
        sa.Column("category", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("department_id", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("service_id", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True),
        sa.Column("member_id", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("contact", sa.Text(), nullable=True),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("reporter_user_id", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("source_link", sa.Text(), nullable=True),
        sa.Column("confidential", sa.Boolean(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("assignee", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True),
        sa.Column("registered_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("take_due", sa.Date(), nullable=False),
        sa.Column("answer_due", sa.Date(), nullable=False),
        sa.Column("reopen_answer_due", sa.Date(), nullable=True),
        sa.Column("taken_at", storage.types.UTCDateTime(), nullable=True),
        sa.Column("answered_at", storage.types.UTCDateTime(), nullable=True),
        sa.Column("closed_at", storage.types.UTCDateTime(), nullable=True),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("number", name="uq_feedback_case_number"),
        sa.UniqueConstraint("year", "serial", name="uq_feedback_case_year_serial"),
    )
    with op.batch_alter_table("feedback_case", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_feedback_case_department_id"), ["department_id"], unique=False)

    op.create_table(
        "case_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("actor", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["feedback_case.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("case_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_event_case_id"), ["case_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("case_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_event_case_id"))

    op.drop_table("case_event")
    with op.batch_alter_table("feedback_case", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedback_case_department_id"))

    op.drop_table("feedback_case")
    op.drop_table("case_sequence")
    op.drop_table("case_purge")
