"""Progress shown in several places, redrawn from inside a criterion's fragment without a full rerun."""

from __future__ import annotations

from dataclasses import dataclass

from scoring.assessment import is_answered
from scoring.model import Domain, Standard, localize
from ui import session
from ui.i18n import lang, t


@dataclass
class ProgressBoard:
    """Placeholders (st.empty) created by the page and filled by `draw`.

    Every criterion fragment calls `draw` on every run, the full run included: Streamlit reserves a fragment's
    slot in an outside container only when the fragment wrote there during the last full run.
    """

    standard: Standard
    domain_id: str
    top: object
    side: object
    caption: object

    def domain(self) -> Domain:
        return next(d for d in self.standard.domains if d.id == self.domain_id)

    def counts(self) -> tuple[int, int, int, int, list[str]]:
        answers = session.answers()
        done = sum(is_answered(answers.get(c.id)) for _, c in self.standard.criteria())
        domain = self.domain()
        domain_done = sum(is_answered(answers.get(c.id)) for c in domain.criteria)
        open_domains = [
            localize(d.title, lang())
            for d in self.standard.domains
            if any(not is_answered(answers.get(c.id)) for c in d.criteria)
        ]
        return done, self.standard.criteria_count, domain_done, len(domain.criteria), open_domains

    def draw(self) -> None:
        done, total, domain_done, domain_total, open_domains = self.counts()
        text = t("assess.progress", done=done, total=total)
        self.top.progress(done / total, text=text)
        self.side.progress(done / total, text=text)
        caption = t("assess.domain_count", done=domain_done, total=domain_total)
        others = [d for d in open_domains if d != localize(self.domain().title, lang())]
        if 0 < len(others) <= 2:
            caption += " · " + t("assess.open_domains", domains=", ".join(others))
        elif others:
            caption += " · " + t("assess.open_domains_n", n=len(others))
        self.caption.caption(caption)
