"""Shared state for many replicas: the standards library in the database (published versions, retired ones), and
version stamps that every cache is keyed on (a counter per kind of change, advanced in the writer's transaction; an
assessment carries the stamp of its last change, so the officers' panel re-scores only what changed).

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

STAMPS = ("library", "panel")


def upgrade() -> None:
    op.create_table(
        "published_standards",
        sa.Column("standard_id", sa.String(100), primary_key=True),
        sa.Column("version", sa.String(50), primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("document", sa.Text, nullable=False),
        sa.Column("file", sa.String(255), nullable=False),
        sa.Column("published_by", sa.String(100), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_by", sa.String(100), nullable=True),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
    )
    stamps = op.create_table(
        "stamps",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("value", sa.BigInteger, nullable=False),
    )
    op.bulk_insert(stamps, [{"name": name, "value": 0} for name in STAMPS])
    with op.batch_alter_table("assessments") as batch:
        batch.add_column(sa.Column("revision", sa.BigInteger, nullable=False, server_default="0"))
        batch.create_index("ix_assessments_revision", ["standard_id", "standard_version", "revision"])


def downgrade() -> None:
    with op.batch_alter_table("assessments") as batch:
        batch.drop_index("ix_assessments_revision")
        batch.drop_column("revision")
    op.drop_table("stamps")
    op.drop_table("published_standards")
