"""Evidence files: documents behind answers, kept in the database (so the backup covers them and every replica serves
them). Lists never read the content; only a download does."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, func, select, update

from scoring.evidence import Document
from store import schema
from store.db import as_utc, utcnow
from store.repository import NotFound, Store

_FILE = schema.EvidenceFile
_LISTED = (_FILE.id, _FILE.criterion_id, _FILE.name, _FILE.media_type, _FILE.size, _FILE.expires_on,
           _FILE.uploaded_at, _FILE.standard_id, _FILE.assessment_id, schema.Assessment.standard_version,
           schema.Assessment.round)  # fmt: skip


@dataclass(frozen=True)
class Filed:
    """A document with where it was attached: the standard, and the version and round of the assessment it was
    attached in (None when that assessment is gone)."""

    document: Document
    standard_id: str
    assessment_id: int | None
    standard_version: str | None
    round: int | None


@dataclass(frozen=True)
class Content:
    name: str
    media_type: str
    data: bytes


class EvidenceFiles:
    def __init__(self, store: Store) -> None:
        self.store = store

    def listed(
        self, organization_id: int, standard_id: str | None = None, criterion_id: str | None = None
    ) -> list[Filed]:
        """The organization's documents (of one standard, and one of its criteria, if given), without their
        content: by standard, criterion and upload time."""
        query = (
            select(*_LISTED)
            .outerjoin(schema.Assessment, schema.Assessment.id == _FILE.assessment_id)
            .where(_FILE.organization_id == organization_id)
            .order_by(_FILE.standard_id, _FILE.criterion_id, _FILE.uploaded_at, _FILE.id)
        )
        if standard_id is not None:
            query = query.where(_FILE.standard_id == standard_id)
        if criterion_id is not None:
            query = query.where(_FILE.criterion_id == criterion_id)
        with self.store.session() as s:
            return [_filed(row) for row in s.execute(query)]

    def owner(self, document_id: int) -> int:
        """The organization a document belongs to; NotFound when there is no such document."""
        with self.store.session() as s:
            organization_id = s.scalar(select(_FILE.organization_id).where(_FILE.id == document_id))
        if organization_id is None:
            raise NotFound(document_id)
        return organization_id

    def content(self, organization_id: int, document_id: int) -> Content:
        with self.store.session() as s:
            row = s.execute(
                select(_FILE.name, _FILE.media_type, _FILE.content)
                .where(_FILE.id == document_id, _FILE.organization_id == organization_id)
            ).first()  # fmt: skip
        if row is None:
            raise NotFound(document_id)
        return Content(row.name, row.media_type, bytes(row.content))

    def add(
        self, organization_id: int, assessment_id: int, criterion_id: str, name: str, media_type: str, data: bytes,
        expires_on: date | None, by: str,
    ) -> Filed:  # fmt: skip
        """Attach a file to a criterion of a draft assessment (Submitted, and nothing written, for a submitted one)."""
        workspace = self.store.workspace(organization_id)
        with self.store.session.begin() as s:
            assessment = workspace.draft(s, assessment_id)
            row = _FILE(organization_id=organization_id, assessment_id=assessment_id,
                        standard_id=assessment.standard_id, criterion_id=criterion_id, name=name,
                        media_type=media_type, size=len(data), sha256=hashlib.sha256(data).hexdigest(), content=data,
                        expires_on=expires_on, uploaded_by=by[:100], uploaded_at=utcnow())  # fmt: skip
            s.add(row)
            s.flush()
            document = Document(row.id, criterion_id, name, media_type, len(data), expires_on, as_utc(row.uploaded_at))
            return Filed(document, assessment.standard_id, assessment_id, assessment.standard_version,
                         assessment.round)  # fmt: skip

    def set_expiry(self, organization_id: int, assessment_id: int, document_id: int, expires_on: date | None) -> None:
        """Change a document's expiry from a draft of its standard; NotFound when it is not one of that standard's."""
        self._write(organization_id, assessment_id, document_id,
                    lambda where: update(_FILE).where(*where).values(expires_on=expires_on))  # fmt: skip

    def remove(self, organization_id: int, assessment_id: int, document_id: int) -> None:
        """Delete a document (content and all) from a draft of its standard; NotFound when it is not one of its."""
        self._write(organization_id, assessment_id, document_id, lambda where: delete(_FILE).where(*where))

    def _write(self, organization_id: int, assessment_id: int, document_id: int, statement) -> None:
        workspace = self.store.workspace(organization_id)
        with self.store.session.begin() as s:
            assessment = workspace.draft(s, assessment_id)
            where = (_FILE.id == document_id, _FILE.organization_id == organization_id,
                     _FILE.standard_id == assessment.standard_id)  # fmt: skip
            if s.execute(statement(where)).rowcount != 1:
                raise NotFound(document_id)

    def count(self, organization_id: int | None = None) -> int:
        """How many documents are stored (of one organization if given)."""
        query = select(func.count()).select_from(_FILE)
        if organization_id is not None:
            query = query.where(_FILE.organization_id == organization_id)
        with self.store.session() as s:
            return s.scalar(query) or 0


def _filed(row) -> Filed:
    document = Document(row.id, row.criterion_id, row.name, row.media_type, row.size, row.expires_on,
                        as_utc(row.uploaded_at))  # fmt: skip
    return Filed(document, row.standard_id, row.assessment_id, row.standard_version, row.round)
