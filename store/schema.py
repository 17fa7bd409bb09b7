"""The tables. Alembic migrations in store/migrations create them; a test checks that both agree."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Organization(Base):
    __tablename__ = "organizations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200), unique=True)  # casefolded, spaces collapsed
    region: Mapped[str | None] = mapped_column(String(100))
    size: Mapped[str | None] = mapped_column(String(20))
    segments: Mapped[list] = mapped_column(JSON, default=list)
    kind: Mapped[str] = mapped_column(String(20), default="company")  # company | association (its own assessment)
    # Demo data (services/demo.py): shown as such and removed in one action; never a real member.
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Assessment(Base):
    __tablename__ = "assessments"
    __table_args__ = (
        UniqueConstraint("organization_id", "standard_id", "round", name="uq_assessment_round"),
        Index("ix_assessments_standard", "standard_id", "standard_version"),
        Index("ix_assessments_revision", "standard_id", "standard_version", "revision"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    standard_id: Mapped[str] = mapped_column(String(100))
    standard_version: Mapped[str] = mapped_column(String(50))
    round: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="draft")  # draft | submitted | verified
    source_digest: Mapped[str | None] = mapped_column(String(64), unique=True)  # sha256 of an imported file
    # The secret in the assessment's link (?a=...): until accounts land, whoever has the link may continue it.
    token: Mapped[str] = mapped_column(String(43), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # None while a draft
    # The campaign (the association's round across the membership) this assessment answers, if any.
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id", ondelete="SET NULL"), index=True)
    # The "panel" stamp of the assessment's last change (store/stamps.py): the officers' panel re-scores only the
    # assessments whose revision is above the stamp it was built at.
    revision: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")


class Answer(Base):
    __tablename__ = "answers"
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True)
    criterion_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    level: Mapped[int | None] = mapped_column(Integer)  # None with na = False: cleared
    na: Mapped[bool] = mapped_column(Boolean, default=False)
    justification: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[list] = mapped_column(JSON, default=list)
    given: Mapped[bool] = mapped_column(Boolean, default=False)  # counts as answered (scoring.assessment.is_answered)
    # Where a not-yet-confirmed answer came from: "round" (previous round), "segment" (N/A from the company's event
    # segments) or "capability:STANDARD/CRITERION" (the same capability answered in another standard). None once
    # the company gives or confirms the answer itself.
    origin: Mapped[str | None] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class StandardCopy(Base):
    """Every standard version an assessment uses, as it was when first used: the assessment opens, scores and
    exports from this copy even if its file is later removed or edited."""

    __tablename__ = "standard_copies"
    standard_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    version: Mapped[str] = mapped_column(String(50), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    document: Mapped[str] = mapped_column(Text)  # the file's JSON, exactly as loaded
    stored_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AnswerChange(Base):
    """Append-only: every write of an answer, with what it replaced."""

    __tablename__ = "answer_changes"
    __table_args__ = (Index("ix_answer_changes_assessment", "assessment_id", "criterion_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    criterion_id: Mapped[str] = mapped_column(String(64))
    old: Mapped[dict | None] = mapped_column(JSON)
    new: Mapped[dict] = mapped_column(JSON)
    changed_by: Mapped[str] = mapped_column(String(100), default="")
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # casefolded and stripped
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str | None] = mapped_column(String(200))  # argon2id; None for SSO-only accounts
    roles: Mapped[list] = mapped_column(JSON, default=list)  # officer | researcher | admin; membership: memberships
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    password_changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    language: Mapped[str | None] = mapped_column(String(5))  # "id" | "en", remembered from the last choice


class Membership(Base):
    __tablename__ = "memberships"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AuthSession(Base):
    """A signed-in browser: only the sha256 of its token is kept."""

    __tablename__ = "auth_sessions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Invitation(Base):
    """A one-time link: an invitation to a role or an organization, a password reset, or a session hand-off (a
    browser trades it once, within a minute, for its session cookie)."""

    __tablename__ = "invitations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[str] = mapped_column(String(10))  # invite | reset | session
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[str | None] = mapped_column(String(20))
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # An officer's invitation into a member company: it brings the company its first member, so it is accepted
    # only while the company has none (an officer never joins a company that has people through an invitation).
    first_member: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SignInFailure(Base):
    __tablename__ = "sign_in_failures"
    # Throttling counts recent failures per account and per client.
    __table_args__ = (
        Index("ix_sign_in_failures_email", "email_key", "at"),
        Index("ix_sign_in_failures_client", "client", "at"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email_key: Mapped[str] = mapped_column(String(254))
    client: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AuditEvent(Base):
    """Append-only: who did what to which account, organization or link; never a password or a token."""

    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(60))
    target: Mapped[str] = mapped_column(String(200), default="")
    detail: Mapped[dict | None] = mapped_column(JSON)


class AppSecret(Base):
    """The check of the key of pseudonymous research ids (never the key: services/keys.py); versions before the key
    file kept the key itself here, moved to the key file on upgrade."""

    __tablename__ = "app_secrets"
    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Release(Base):
    """What left the association for those who see no names (researchers and companies together): the set of
    organizations a figure or a research file was computed over, so that no later release differs from it by fewer
    than the threshold (differencing), whichever replica, account or restart asks."""

    __tablename__ = "releases"
    __table_args__ = (UniqueConstraint("scope", "query", "members_hash", name="uq_release"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scope: Mapped[str] = mapped_column(String(200), index=True)  # what the figures are of: a standard version
    query: Mapped[str] = mapped_column(String(500))  # the figure and its filters, e.g. "shared-gaps|jawa||"
    kind: Mapped[str] = mapped_column(String(40))  # shared-gaps, breakdown, capabilities, benchmark, research-file
    members: Mapped[list] = mapped_column(JSON)  # organization ids, sorted
    members_hash: Mapped[str] = mapped_column(String(64))
    n: Mapped[int] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PlanItem(Base):
    """A company's action-plan entry for one criterion of a standard: kept per organization, standard and criterion
    (not per round), so its owner, due date, status and note carry from round to round."""

    __tablename__ = "plan_items"
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True)
    standard_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    criterion_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    owner: Mapped[str] = mapped_column(String(200), default="")
    due: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="todo")  # todo | doing | done
    note: Mapped[str] = mapped_column(Text, default="")
    closed_round: Mapped[int | None] = mapped_column(Integer)  # the round whose answer reached the target
    updated_by: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class EvidenceFile(Base):
    """A document behind an answer (PDF, JPEG or PNG, its type read from its content), kept in the database so the
    backup covers it and every replica serves it; erased with its organization, never in research data."""

    __tablename__ = "evidence_files"
    __table_args__ = (Index("ix_evidence_files_criterion", "organization_id", "standard_id", "criterion_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("assessments.id", ondelete="SET NULL"))
    standard_id: Mapped[str] = mapped_column(String(100))
    criterion_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(255))  # as uploaded, cleaned; shown as text, never as a path
    media_type: Mapped[str] = mapped_column(String(50))  # application/pdf | image/jpeg | image/png
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    expires_on: Mapped[date | None] = mapped_column(Date)
    uploaded_by: Mapped[str] = mapped_column(String(100))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AppSetting(Base):
    """A setting the admin changes in the app (not in the environment): e.g. whether this Gapura serves one company
    or an association of members."""

    __tablename__ = "app_settings"
    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    updated_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Campaign(Base):
    """The association asks its members to assess one standard version by a deadline: a round across the
    membership (e.g. "T0 2027"), not a per-company counter."""

    __tablename__ = "campaigns"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    standard_id: Mapped[str] = mapped_column(String(100))
    standard_version: Mapped[str] = mapped_column(String(50))
    round_name: Mapped[str] = mapped_column(String(100), unique=True)
    deadline: Mapped[date] = mapped_column(Date)
    remind_days: Mapped[list] = mapped_column(JSON, default=list)  # days before the deadline, e.g. [7, 1]
    message_id: Mapped[str] = mapped_column(Text, default="")
    message_en: Mapped[str] = mapped_column(Text, default="")
    # Verification: criteria drawn at random beside every mandatory one, and the days a company has to reply.
    sample_size: Mapped[int] = mapped_column(Integer, default=5)
    reply_days: Mapped[int] = mapped_column(Integer, default=14)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class CampaignMember(Base):
    """An organization invited to a campaign, with the contact the invitation and reminders go to."""

    __tablename__ = "campaign_members"
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    email: Mapped[str] = mapped_column(String(254))  # casefolded and stripped, like an account's
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("invitations.id", ondelete="SET NULL"))
    invited_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # left: no more reminders


class Reminder(Base):
    """A reminder claimed for one member of a campaign: the row is written before the email is sent, under a
    unique key, so two job runners (replicas, a cron and a person) never send the same reminder twice."""

    __tablename__ = "reminders"
    __table_args__ = (UniqueConstraint("campaign_id", "organization_id", "kind", name="uq_reminder"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))  # scoring.campaign.reminder kinds: before-7, deadline, ...
    email: Mapped[str] = mapped_column(String(254))
    claimed_by: Mapped[str] = mapped_column(String(100))
    claimed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    error: Mapped[str | None] = mapped_column(Text)


class Verification(Base):
    """The association's check of one submitted assessment: a sample of criteria drawn reproducibly from the stored
    seed (every mandatory criterion included), then a verified level and a comment per sampled criterion."""

    __tablename__ = "verifications"
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True)
    seed: Mapped[str] = mapped_column(String(64))
    sample_size: Mapped[int] = mapped_column(Integer)
    sample: Mapped[list] = mapped_column(JSON, default=list)  # criterion ids, in the standard's order
    status: Mapped[str] = mapped_column(String(20), default="open")  # open | commented | replied | verified
    started_by: Mapped[str] = mapped_column(String(100))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    commented_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reply_due: Mapped[date | None] = mapped_column(Date)
    verified_by: Mapped[str | None] = mapped_column(String(100))
    verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class VerifiedAnswer(Base):
    """The verifier's level for one sampled criterion, beside (never over) the company's own answer, with the
    verifier's comment and the company's reply."""

    __tablename__ = "verified_answers"
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True)
    criterion_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    level: Mapped[int | None] = mapped_column(Integer)  # None with na = False: not decided yet
    na: Mapped[bool] = mapped_column(Boolean, default=False)
    comment: Mapped[str] = mapped_column(Text, default="")
    reply: Mapped[str] = mapped_column(Text, default="")
    replied_by: Mapped[str | None] = mapped_column(String(100))
    replied_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    verified_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Intervention(Base):
    """Support the association gave (often funded by the ministry): training, mentoring, a permit clinic, ..."""

    __tablename__ = "interventions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))  # scoring.support.KINDS
    title: Mapped[str] = mapped_column(String(200))
    started_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date] = mapped_column(Date)
    capabilities: Mapped[list] = mapped_column(JSON, default=list)  # crosswalk capability ids it addresses
    funder: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class InterventionParticipant(Base):
    """A member that took part in an intervention, and for how many days (None: all of it)."""

    __tablename__ = "intervention_participants"
    intervention_id: Mapped[int] = mapped_column(ForeignKey("interventions.id", ondelete="CASCADE"), primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    days: Mapped[int | None] = mapped_column(Integer)
    added_by: Mapped[str] = mapped_column(String(100))
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PublishedStandard(Base):
    """The standards library: every published standard version, exactly as published (one row per id and version,
    never overwritten), and whether it is retired (no longer offered for new assessments)."""

    __tablename__ = "published_standards"
    standard_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    version: Mapped[str] = mapped_column(String(50), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    document: Mapped[str] = mapped_column(Text)  # the file's JSON, exactly as published
    file: Mapped[str] = mapped_column(String(255))  # the name it was published under (ID-VERSION.json, or the seed's)
    published_by: Mapped[str] = mapped_column(String(100))
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    retired_by: Mapped[str | None] = mapped_column(String(100))
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Stamp(Base):
    """A version stamp: a counter advanced in the transaction of every change of its kind ("library", "panel"), so
    a cache keyed on it is never older than what is committed, on any replica."""

    __tablename__ = "stamps"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)
