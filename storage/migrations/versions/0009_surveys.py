"""surveys: BAS survey responses and their answers

Revision ID: 0009_surveys
Revises: 0008_board
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision = "0009_surveys"
down_revision = "0008_board"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "survey_response",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("round_opens", sa.Date(), nullable=False),
        sa.Column("member_id", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("person_id", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True),
        sa.Column("ballot", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("submitted_at", storage.types.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("ballot"),
        sa.UniqueConstraint("survey_id", "round_opens", "person_id", name="uq_survey_response_person"),
    )
    with op.batch_alter_table("survey_response", schema=None) as batch_op:
        batch_op.create_index(
            "ix_survey_response_round_member", ["survey_id", "round_opens", "member_id"], unique=False
        )

    op.create_table(
        "survey_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("service_id", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("question", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["survey_response.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("response_id", "service_id", "question", name="uq_survey_answer"),
    )
    with op.batch_alter_table("survey_answer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_survey_answer_response_id"), ["response_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("survey_answer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_answer_response_id"))

    op.drop_table("survey_answer")
    with op.batch_alter_table("survey_response", schema=None) as batch_op:
        batch_op.drop_index("ix_survey_response_round_member")

    op.drop_table("survey_response")
