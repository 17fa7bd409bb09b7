"""Why a file was not taken, in the user's language: the same words on the resume upload and the import page."""

from __future__ import annotations

from services.transfer import ImportLine
from ui.i18n import lang


def reason(line: ImportLine) -> str:
    return line.reason(lang())
