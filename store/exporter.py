"""Export stored assessments as assessment files (standard-format.md), many at once in one ZIP archive."""

from __future__ import annotations

import io
import re
import zipfile

from scoring.assessment import assessment_document, assessment_json
from scoring.library import Library
from store.repository import Store


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")[:60] or "organization"


def export_zip(store: Store, library: Library, standard_id: str | None = None) -> tuple[bytes, int]:
    """A ZIP with one assessment file per stored assessment (of one standard, or all); returns (bytes, count).

    Files are named organization/standard-version-rROUND.json, so they import back without duplicates."""
    buffer = io.BytesIO()
    count = 0
    skipped = []
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for workspace, summary in store.all_assessments():
            if standard_id and summary.standard_id != standard_id:
                continue
            name = (
                f"{_slug(summary.organization)}/{summary.standard_id}-{summary.standard_version}-r{summary.round}.json"
            )
            standard = library.get(summary.standard_id, summary.standard_version)
            if standard is None:
                skipped.append(f"{name}: the library no longer has {summary.standard_id} {summary.standard_version}")
                continue
            stored = workspace.load(summary.id)
            document = assessment_document(standard, stored.organization, stored.answers, summary.updated_at)
            archive.writestr(name, assessment_json(document))
            count += 1
        if skipped:
            archive.writestr("SKIPPED.txt", "\n".join(skipped) + "\n")
    return buffer.getvalue(), count
