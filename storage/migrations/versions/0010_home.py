"""home: the personal view ("my tasks") as last rendered, per person

Revision ID: 0010_home
Revises: 0009_surveys
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision = "0010_home"
down_revision = "0009_surveys"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "home_view",
        sa.Column("person_id", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("parts", sa.Text(), nullable=False),
        sa.Column("dirty", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("valid_until", storage.types.UTCDateTime(), nullable=False),
        sa.Column("rendered_at", storage.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("person_id"),
    )


def downgrade() -> None:
    op.drop_table("home_view")
