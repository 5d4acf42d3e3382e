"""teams: installed conversations and the roster

Revision ID: 0007_teams
Revises: 0006_neutral_outbox
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision = "0007_teams"
down_revision = "0006_neutral_outbox"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "teams_conversation",
        sa.Column("address", sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False),
        sa.Column("conversation_id", sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False),
        sa.Column("service_url", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("tenant_id", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True),
        sa.Column("bot_id", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=400), nullable=True),
        sa.Column("installed_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("removed_at", storage.types.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("address"),
    )
    op.create_table(
        "teams_member",
        sa.Column("object_id", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("user_id", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("email", sqlmodel.sql.sqltypes.AutoString(length=320), nullable=True),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("tenant_id", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True),
        sa.Column("service_url", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("seen_at", storage.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("object_id"),
    )
    with op.batch_alter_table("teams_member", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_teams_member_email"), ["email"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("teams_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_teams_member_email"))

    op.drop_table("teams_member")
    op.drop_table("teams_conversation")
