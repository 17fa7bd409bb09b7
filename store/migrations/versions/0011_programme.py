"""The programme: campaigns (a round across the membership, with its deadline and reminders), verification of a
sample of each submission (verified levels beside the company's own), and the support given (interventions).

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def _fk(table: str, ondelete: str = "CASCADE") -> sa.ForeignKey:
    return sa.ForeignKey(f"{table}.id", ondelete=ondelete)


def upgrade() -> None:
    op.create_table(
        "campaigns",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("standard_id", sa.String(100), nullable=False),
        sa.Column("standard_version", sa.String(50), nullable=False),
        sa.Column("round_name", sa.String(100), nullable=False, unique=True),
        sa.Column("deadline", sa.Date, nullable=False),
        sa.Column("remind_days", sa.JSON, nullable=False),
        sa.Column("message_id", sa.Text, nullable=False),
        sa.Column("message_en", sa.Text, nullable=False),
        sa.Column("sample_size", sa.Integer, nullable=False),
        sa.Column("reply_days", sa.Integer, nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "campaign_members",
        sa.Column("campaign_id", sa.Integer, _fk("campaigns"), primary_key=True),
        sa.Column("organization_id", sa.Integer, _fk("organizations"), primary_key=True),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("invitation_id", sa.Integer, _fk("invitations", "SET NULL"), nullable=True),
        sa.Column("invited_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_campaign_members_organization_id", "campaign_members", ["organization_id"])
    with op.batch_alter_table("assessments") as batch:
        batch.add_column(sa.Column("campaign_id", sa.Integer, nullable=True))
        batch.create_foreign_key("fk_assessments_campaign", "campaigns", ["campaign_id"], ["id"], ondelete="SET NULL")
        batch.create_index("ix_assessments_campaign_id", ["campaign_id"])
    op.create_table(
        "reminders",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("campaign_id", sa.Integer, _fk("campaigns"), nullable=False),
        sa.Column("organization_id", sa.Integer, _fk("organizations"), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("claimed_by", sa.String(100), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.Text, nullable=True),
        sa.UniqueConstraint("campaign_id", "organization_id", "kind", name="uq_reminder"),
    )
    op.create_table(
        "verifications",
        sa.Column("assessment_id", sa.Integer, _fk("assessments"), primary_key=True),
        sa.Column("seed", sa.String(64), nullable=False),
        sa.Column("sample_size", sa.Integer, nullable=False),
        sa.Column("sample", sa.JSON, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("started_by", sa.String(100), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("commented_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reply_due", sa.Date, nullable=True),
        sa.Column("verified_by", sa.String(100), nullable=True),
        sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "verified_answers",
        sa.Column("assessment_id", sa.Integer, _fk("assessments"), primary_key=True),
        sa.Column("criterion_id", sa.String(64), primary_key=True),
        sa.Column("level", sa.Integer, nullable=True),
        sa.Column("na", sa.Boolean, nullable=False),
        sa.Column("comment", sa.Text, nullable=False),
        sa.Column("reply", sa.Text, nullable=False),
        sa.Column("replied_by", sa.String(100), nullable=True),
        sa.Column("replied_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("verified_by", sa.String(100), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "interventions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("started_on", sa.Date, nullable=False),
        sa.Column("ended_on", sa.Date, nullable=False),
        sa.Column("capabilities", sa.JSON, nullable=False),
        sa.Column("funder", sa.String(200), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "intervention_participants",
        sa.Column("intervention_id", sa.Integer, _fk("interventions"), primary_key=True),
        sa.Column("organization_id", sa.Integer, _fk("organizations"), primary_key=True),
        sa.Column("days", sa.Integer, nullable=True),
        sa.Column("added_by", sa.String(100), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_intervention_participants_organization_id", "intervention_participants", ["organization_id"])


def downgrade() -> None:
    op.drop_index("ix_intervention_participants_organization_id", table_name="intervention_participants")
    op.drop_table("intervention_participants")
    op.drop_table("interventions")
    op.drop_table("verified_answers")
    op.drop_table("verifications")
    op.drop_table("reminders")
    with op.batch_alter_table("assessments") as batch:
        batch.drop_index("ix_assessments_campaign_id")
        batch.drop_constraint("fk_assessments_campaign", type_="foreignkey")
        batch.drop_column("campaign_id")
    op.drop_index("ix_campaign_members_organization_id", table_name="campaign_members")
    op.drop_table("campaign_members")
    op.drop_table("campaigns")
