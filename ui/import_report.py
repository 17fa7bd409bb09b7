"""Why a file was not taken, in the user's language: the same words on the resume upload and the import page."""

from __future__ import annotations

from services.transfer import ImportLine
from ui.i18n import t


def reason(line: ImportLine) -> str:
    if line.code == "duplicate":
        return t("import.reason_duplicate")
    if line.code == "unknown-version":
        standard_id, _, version = line.standard.partition(" ")
        return t("import.reason_version", id=standard_id, version=version, known=line.known or "—")
    return line.reason
