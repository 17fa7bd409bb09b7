"""Saved assessments of one organization, found by its name, each with its progress and a Continue button."""

from __future__ import annotations

import streamlit as st

from scoring.formatting import day
from scoring.model import localize
from ui import context, session
from ui.context import library
from ui.i18n import lang, t


def continue_list(key: str = "continue-name") -> None:
    lg = lang()
    st.caption(t("continue.intro"))
    name = st.text_input(t("continue.name"), key=key, placeholder="PT Contoh Acara")
    if not name.strip():
        return
    assessing = context.app().assessing
    organization_id = assessing.find_organization(context.actor(), name)
    rows = assessing.list(context.actor(), organization_id) if organization_id else []
    if not rows:
        st.info(t("continue.none", name=name.strip()))
        return
    for row in rows[:30]:
        std = library().get(row.standard_id, row.standard_version)
        with st.container(border=True):
            left, middle, right = st.columns([4, 3, 2], vertical_alignment="center")
            title = localize(std.title, lg) if std else row.standard_id
            left.markdown(f"**{title}**  \n{t('continue.round', n=row.round, version=row.standard_version)}")
            left.caption(t("continue.updated", when=day(row.updated_at, lg)))
            if std:
                middle.progress(row.answered / std.criteria_count,
                                text=t("assess.progress", done=row.answered, total=std.criteria_count))  # fmt: skip
            else:
                middle.caption(t("continue.version_missing"))
            right.button(t("continue.open"), key=f"open-{row.id}", on_click=session.open_assessment,
                         args=(organization_id, row.id), disabled=std is None, width="stretch")  # fmt: skip
