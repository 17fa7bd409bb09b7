"""Evidence files behind answers: attach, list, download, expiry, remove. Visible to the company and to officers
only; written only on a draft, like answers. A document stays behind its criterion from the round it was attached
in through every later round of the same standard (the register is per organization and standard, not per round),
until it is removed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from scoring.evidence import Document, check
from scoring.issues import Issue
from services.assessing import OpenAssessment, Refused
from services.audit import Audit
from services.policy import Actor, Target, allowed, ensure, guarded
from services.targets import organization_target
from store.evidence import Content, EvidenceFiles, Filed
from store.repository import NotFound, Store, Submitted

__all__ = ["Content", "Evidence", "Filed"]


class Evidence:
    def __init__(self, store: Store, audit: Audit, max_mb: Callable[[], int]) -> None:
        self.store = store
        self.files = EvidenceFiles(store)
        self.audit = audit
        self.max_mb = max_mb  # the size limit (GAPURA_EVIDENCE_MB), read when a file comes in

    def _target(self, organization_id: int) -> Target:
        return organization_target(self.store, organization_id)

    @guarded("evidence", "read")
    def organizations(self, actor: Actor) -> list[tuple[int, str, str]]:
        """(id, name, kind) of the organizations whose evidence the actor may see: every one for officers."""
        ids = None if allowed(actor, "read", "evidence") else sorted(actor.organizations)
        return self.store.organizations(ids)

    @guarded("evidence", "read")
    def register(self, actor: Actor, organization_id: int) -> list[Filed]:
        """Every document of the organization, across standards and rounds, without content."""
        ensure(actor, "read", "evidence", self._target(organization_id))
        return self.files.listed(organization_id)

    @guarded("evidence", "read")
    def documents(self, actor: Actor, work: OpenAssessment, criterion_id: str | None = None) -> list[Document]:
        """The documents behind this assessment's answers (one criterion's if given): its standard's, attached in
        this round or an earlier one, for a criterion the assessment's version has."""
        ensure(actor, "read", "evidence", work.target)
        criteria = {c.id for _, c in work.standard.criteria()} if work.standard else None
        return [
            filed.document for filed in self.files.listed(work.organization_id, work.standard_id, criterion_id)
            if (filed.round is None or filed.round <= work.round)
            and (criteria is None or filed.document.criterion_id in criteria)
        ]  # fmt: skip

    @guarded("evidence", "write")
    def attach(
        self, actor: Actor, work: OpenAssessment, criterion_id: str, name: str, data: bytes, expires_on: date | None
    ) -> Document:
        """Attach a file to a criterion of a draft: Refused (nothing stored) when it is not a PDF, JPEG or PNG by
        its content, is too large, is for a criterion the standard lacks, or the round is submitted."""
        ensure(actor, "write", "evidence", work.target)
        if work.standard is None or work.standard.criterion(criterion_id) is None:
            where = {"criterion": criterion_id, "standard": work.standard_id, "version": work.standard_version}
            raise Refused([Issue("", "criterion", "assessment.unknown-criterion", where)])
        checked = check(name, data, self.max_mb() * 1024 * 1024)
        if isinstance(checked, Issue):
            raise Refused([checked])
        try:
            filed = self.files.add(work.organization_id, work.assessment_id, criterion_id, checked.name,
                                   checked.media_type, data, expires_on, actor.label)  # fmt: skip
        except Submitted:
            raise Refused([Issue("", "status", "lifecycle.not-draft")]) from None
        self.audit.record(actor.label, "evidence.attach", f"organization:{work.organization_id}",
                          {"document": filed.document.id, "criterion": criterion_id, "size": len(data)})  # fmt: skip
        return filed.document

    @guarded("evidence", "read")
    def content(self, actor: Actor, document_id: int) -> Content:
        """A document's name, type and bytes, for a download (audited)."""
        organization_id = self.files.owner(document_id)
        ensure(actor, "read", "evidence", self._target(organization_id))
        content = self.files.content(organization_id, document_id)
        self.audit.record(actor.label, "evidence.download", f"organization:{organization_id}",
                          {"document": document_id})  # fmt: skip
        return content

    @guarded("evidence", "write")
    def set_expiry(self, actor: Actor, work: OpenAssessment, document_id: int, expires_on: date | None) -> None:
        """Change when a document of this assessment's standard expires (None: never); only from a draft."""
        ensure(actor, "write", "evidence", work.target)
        self._write(lambda: self.files.set_expiry(work.organization_id, work.assessment_id, document_id, expires_on))
        self.audit.record(actor.label, "evidence.expiry", f"organization:{work.organization_id}",
                          {"document": document_id, "expires_on": expires_on.isoformat() if expires_on else None})  # fmt: skip

    @guarded("evidence", "write")
    def remove(self, actor: Actor, work: OpenAssessment, document_id: int) -> None:
        """Delete a document of this assessment's standard, content and all; only from a draft."""
        ensure(actor, "write", "evidence", work.target)
        self._write(lambda: self.files.remove(work.organization_id, work.assessment_id, document_id))
        self.audit.record(actor.label, "evidence.remove", f"organization:{work.organization_id}",
                          {"document": document_id})  # fmt: skip

    @staticmethod
    def _write(write: Callable[[], None]) -> None:
        try:
            write()
        except Submitted:
            raise Refused([Issue("", "status", "lifecycle.not-draft")]) from None
        except NotFound:
            raise Refused([Issue("", "document", "evidence.not-found")]) from None
