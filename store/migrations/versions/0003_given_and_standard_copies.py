"""answers.given (written with each answer), standard_copies (the standard versions assessments use) and
organizations.kind (company or the association itself)

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("answers") as batch:
        batch.add_column(sa.Column("given", sa.Boolean(), nullable=False, server_default=sa.false()))
    # The rule as it stood in SQL until now (justifications were stored stripped): a level, or N/A with a reason.
    op.execute(
        "UPDATE answers SET given = (level IS NOT NULL OR (na AND justification IS NOT NULL AND justification != ''))"
    )
    with op.batch_alter_table("organizations") as batch:
        batch.add_column(sa.Column("kind", sa.String(20), nullable=False, server_default="company"))
    # Until now the association's own self-assessment was stored like a company's; the shipped association
    # standard tells them apart.
    op.execute(
        "UPDATE organizations SET kind = 'association' WHERE id IN "
        "(SELECT organization_id FROM assessments WHERE standard_id = 'association-readiness')"
    )
    op.create_table(
        "standard_copies",
        sa.Column("standard_id", sa.String(100), primary_key=True),
        sa.Column("version", sa.String(50), primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("standard_copies")
    with op.batch_alter_table("organizations") as batch:
        batch.drop_column("kind")
    with op.batch_alter_table("answers") as batch:
        batch.drop_column("given")
