"""The saved assessments of the organizations the signed-in user works for, each with its status (draft or final),
last change, overall score and progress, and a Continue button."""

from __future__ import annotations

import streamlit as st

from scoring.formatting import day, percent
from scoring.model import localize
from services.assessing import DRAFT, FINAL, SUBMITTED, VERIFIED, Workplace
from ui import context, session
from ui.i18n import lang, t
from ui.plain import plain

BADGE = {DRAFT: ":orange-badge[:material/edit: {}]", SUBMITTED: ":green-badge[:material/lock: {}]",
         VERIFIED: ":blue-badge[:material/verified: {}]"}  # fmt: skip


def continue_list(places: list[Workplace]) -> None:
    lg = lang()
    assessing, actor = context.app().assessing, context.actor()
    shown = 0
    for place in places:
        rows = assessing.saved(actor, place.id)
        rounds = context.app().campaigns.round_names(actor, place.id, [saved.summary.id for saved in rows])
        if len(places) > 1 and rows:
            st.text(place.name)  # a name is the company's own text: shown as text, never as Markdown
        for saved in rows:
            row = saved.summary
            shown += 1
            std = context.app().standard(row.standard_id, row.standard_version)
            with st.container(border=True, key=f"saved-{row.id}"):
                left, middle, right = st.columns([4, 3, 2], vertical_alignment="center")
                title = localize(std.title, lg) if std else row.standard_id
                status = BADGE[row.status].format(t(f"saved_list.{row.status}"))
                campaign = f" · {plain(rounds[row.id])}" if row.id in rounds else ""
                left.markdown(f"**{title}**  \n{t('continue.round', n=row.round, version=row.standard_version)}"
                              f"{campaign}  \n{status}")  # fmt: skip
                left.caption(t("continue.updated", when=day(row.updated_at, lg)))
                if std:
                    middle.markdown(t(f"saved_list.overall_{row.status}", score=percent(saved.overall, lg)))
                    middle.progress(row.answered / std.criteria_count,
                                    text=t("assess.progress", done=row.answered, total=std.criteria_count))  # fmt: skip
                else:
                    middle.caption(t("continue.version_missing"))
                right.button(t("saved_list.view" if row.status in FINAL else "continue.open"), key=f"open-{row.id}", on_click=session.open_assessment,
                             args=(place.id, row.id), disabled=std is None, width="stretch")  # fmt: skip
    if not shown:
        st.info(t("continue.none"))
