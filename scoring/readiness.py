"""The readiness verdict: its rule (scoring.md §7) and its explanation in plain words, in one object."""

from __future__ import annotations

from dataclasses import dataclass, field

from scoring.formatting import percent
from scoring.model import LocalizedText, localize

CODES = ("incomplete", "not-ready", "ready", "progressing", "early")

HEADLINES = {
    "incomplete": {"en": "Not complete yet", "id": "Belum lengkap"},
    "not-ready": {"en": "Not ready", "id": "Belum siap"},
    "ready": {"en": "Ready for audit", "id": "Siap untuk audit"},
    "progressing": {"en": "Progressing", "id": "Sedang berkembang"},
    "early": {"en": "Early stage", "id": "Tahap awal"},
}


@dataclass(frozen=True)
class Verdict:
    code: str
    overall: float | None
    ready_at: float
    progressing_at: float
    unanswered: int
    total: int
    blocking: tuple[str, ...] = ()  # criterion ids: the machine form (CLI, JSON, files)
    # The same criteria's titles, for the sentence people read (a code like BIZ-02 tells an owner nothing).
    blocking_titles: tuple[LocalizedText, ...] = field(default=(), compare=False)

    def headline(self, lang: str) -> str:
        return HEADLINES[self.code].get(lang, HEADLINES[self.code]["en"])

    def explain(self, lang: str) -> str:
        """One sentence saying why this verdict was reached."""
        score = percent(self.overall, lang)
        ready = percent(self.ready_at, lang)
        progressing = percent(self.progressing_at, lang)
        named = [localize(title, lang) for title in self.blocking_titles] or list(self.blocking)
        ids = "; ".join(named[:5]) + (" …" if len(named) > 5 else "")
        en = lang != "id"
        if self.code == "incomplete" and self.unanswered == 0:
            return (
                "Every answered criterion is N/A, so there is nothing to score."
                if en
                else "Semua kriteria yang dijawab bertanda N/A, jadi tidak ada yang bisa dinilai."
            )
        if self.code == "incomplete":
            return (
                f"{self.unanswered} of {self.total} criteria are still unanswered; the verdict comes when all are answered."
                if en
                else f"{self.unanswered} dari {self.total} kriteria belum dijawab; kesimpulan muncul setelah semuanya dijawab."
            )
        if self.code == "not-ready":
            n = len(self.blocking)
            return (
                f"{n} mandatory {'criterion is' if n == 1 else 'criteria are'} not yet at target ({ids}), "
                f"whatever the overall score ({score})."
                if en
                else f"{n} kriteria wajib belum mencapai target ({ids}), berapa pun skor keseluruhannya ({score})."
            )
        if self.code == "ready":
            return (
                f"The overall score of {score} reaches the {ready} readiness threshold and every mandatory criterion is met."
                if en
                else f"Skor keseluruhan {score} mencapai ambang kesiapan {ready} dan semua kriteria wajib terpenuhi."
            )
        if self.code == "progressing":
            return (
                f"The overall score is {score}; {ready} is needed to be ready for audit."
                if en
                else f"Skor keseluruhan {score}; perlu {ready} untuk siap audit."
            )
        return (
            f"The overall score is {score}, below {progressing}; start with the action plan's first items."
            if en
            else f"Skor keseluruhan {score}, di bawah {progressing}; mulailah dari butir teratas rencana aksi."
        )
