"""On Results: a warning when an expired document stands behind a mandatory criterion the assessment counts as met."""

from __future__ import annotations

from datetime import date

import streamlit as st

from scoring.engine import Result
from scoring.evidence import expired_behind_met
from scoring.formatting import day
from scoring.model import Standard
from services.assessing import OpenAssessment
from ui import context
from ui.i18n import lang, t
from ui.markdown import localize  # a standard's text as Markdown, without images
from ui.plain import plain


def expired_evidence_warning(work: OpenAssessment, standard: Standard, result: Result) -> None:
    lg = lang()
    documents = context.app().evidence.documents(context.actor(), work)
    lapsed = expired_behind_met(standard, result, documents, date.today())
    if not lapsed:
        return
    items = []
    for document in lapsed:
        criterion = standard.criterion(document.criterion_id)
        title = localize(criterion.title, lg) if criterion else document.criterion_id
        items.append("- " + t("evidence.warning_item", criterion=title, name=plain(document.name),
                              day=day(document.expires_on, lg)))  # fmt: skip
    with st.container(key="expired-evidence"):
        st.warning(f"**{t('evidence.warning')}**\n\n" + "\n".join(items), icon=":material/event_busy:")
        st.page_link("ui/pages/evidence.py", label=t("evidence.register_link"), icon=":material/folder_open:")
