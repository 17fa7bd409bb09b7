"""The tables. Alembic migrations in store/migrations create them; a test checks that both agree."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
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
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    standard_id: Mapped[str] = mapped_column(String(100))
    standard_version: Mapped[str] = mapped_column(String(50))
    round: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="draft")  # draft | submitted
    source_digest: Mapped[str | None] = mapped_column(String(64), unique=True)  # sha256 of an imported file
    # The secret in the assessment's link (?a=...): until accounts land, whoever has the link may continue it.
    token: Mapped[str] = mapped_column(String(43), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # None while a draft


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
