"""The differencing memory in the database: every set of organizations released to those who see no names.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "releases",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("scope", sa.String(200), nullable=False),
        sa.Column("query", sa.String(500), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("members", sa.JSON, nullable=False),
        sa.Column("members_hash", sa.String(64), nullable=False),
        sa.Column("n", sa.Integer, nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("scope", "query", "members_hash", name="uq_release"),
    )
    op.create_index("ix_releases_scope", "releases", ["scope"])


def downgrade() -> None:
    op.drop_index("ix_releases_scope", table_name="releases")
    op.drop_table("releases")
