"""board: decisions, their revisions and reports, digest releases, acknowledgements

Revision ID: 0008_board
Revises: 0007_teams
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision = "0008_board"
down_revision = "0007_teams"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "acknowledgement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("audience", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("person_id", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("acknowledged_at", storage.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("subject", "audience", name="uq_acknowledgement"),
    )
    with op.batch_alter_table("acknowledgement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_acknowledgement_subject"), ["subject"], unique=False)

    op.create_table(
        "board_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("concerns_all", sa.Boolean(), nullable=False),
        sa.Column("member_ids", sa.Text(), nullable=False),
        sa.Column("department_ids", sa.Text(), nullable=False),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("owner", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("case_number", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("updated_by", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("updated_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("withdrawn_at", storage.types.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("meeting_id", "position", name="uq_board_decision_position"),
    )
    with op.batch_alter_table("board_decision", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_board_decision_meeting_id"), ["meeting_id"], unique=False)
        batch_op.create_index("ix_board_decision_owner_due", ["owner", "due"], unique=False)

    op.create_table(
        "board_digest_release",
        sa.Column("meeting_id", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("released_by", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("released_at", storage.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("meeting_id"),
    )
    op.create_table(
        "board_decision_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("edited_by", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("edited_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("changes", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["board_decision.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("decision_id", "revision", name="uq_board_decision_revision"),
    )
    with op.batch_alter_table("board_decision_revision", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_board_decision_revision_decision_id"), ["decision_id"], unique=False)

    op.create_table(
        "board_task_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("new_due", sa.Date(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("reported_by", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("reported_at", storage.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["board_decision.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("board_task_report", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_board_task_report_decision_id"), ["decision_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("board_task_report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_board_task_report_decision_id"))

    op.drop_table("board_task_report")
    with op.batch_alter_table("board_decision_revision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_board_decision_revision_decision_id"))

    op.drop_table("board_decision_revision")
    op.drop_table("board_digest_release")
    with op.batch_alter_table("board_decision", schema=None) as batch_op:
        batch_op.drop_index("ix_board_decision_owner_due")
        batch_op.drop_index(batch_op.f("ix_board_decision_meeting_id"))

    op.drop_table("board_decision")
    with op.batch_alter_table("acknowledgement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_acknowledgement_subject"))

    op.drop_table("acknowledgement")
