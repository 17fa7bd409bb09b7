"""Evidence documents behind answers: what the register, the results page and the report need to know of each
(never its content), and when a document counts as expired or expiring."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

EXPIRING_DAYS = 30


@dataclass(frozen=True)
class Document:
    id: int
    criterion_id: str
    name: str
    media_type: str  # application/pdf | image/jpeg | image/png, read from the content
    size: int  # bytes
    expires_on: date | None
    uploaded_at: datetime

    def expired(self, today: date) -> bool:
        return self.expires_on is not None and self.expires_on < today

    def expiring(self, today: date, days: int = EXPIRING_DAYS) -> bool:
        """Valid today but not `days` from now."""
        return self.expires_on is not None and today <= self.expires_on < today + timedelta(days=days)
