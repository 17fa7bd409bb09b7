"""Start the next round from the open assessment, on the same or a newer version of its standard."""

from __future__ import annotations

import streamlit as st

from scoring.model import localize
from scoring.versions import compare
from services.assessing import Refused
from ui import context, session
from ui.context import library
from ui.i18n import lang, t


def _start(version: str) -> None:
    work = session.current()
    assert work is not None
    try:
        session.show(context.app().assessing.next_round(context.actor(), work, version))
    except Refused as exc:  # another tab started it, or reopened this round, a moment ago
        st.toast(exc.issues[0].message(lang()), icon=":material/block:")
        return
    st.session_state["round-started"] = True


def next_round_panel() -> None:
    work, current = session.current(), session.standard()
    if work is None or current is None:
        return
    lg = lang()
    versions = library().versions(current.id)
    with st.expander(t("rounds.heading"), icon=":material/autorenew:"):
        st.caption(t("rounds.intro"))
        choice = st.selectbox(t("rounds.version"), [s.version for s in versions], index=len(versions) - 1,
                              key=f"next-round-version:{versions[-1].version}")  # a new version resets the choice  # fmt: skip
        target = library().get(current.id, choice)
        if target and target.version != current.version:
            diff = compare(current, target)
            titles = {c.id: localize(c.title, lg) for _, c in target.criteria()} | {
                c.id: localize(c.title, lg) for _, c in current.criteria()
            }
            st.markdown(t("rounds.diff", carried=len(diff.carried), added=len(diff.added), changed=len(diff.changed),
                          removed=len(diff.removed)))  # fmt: skip
            for label, ids in ((t("rounds.added"), diff.added), (t("rounds.changed"), diff.changed),
                               (t("rounds.removed"), diff.removed)):  # fmt: skip
                if ids:
                    st.markdown(f"**{label}**\n" + "\n".join(f"- `{i}` {titles[i]}" for i in ids))
            if diff.scale_changed:
                st.warning(t("rounds.scale_changed"))
        st.button(t("rounds.start", n=work.round + 1), on_click=_start, args=(choice,), type="primary",
                  width="stretch", key="next-round-start")  # fmt: skip
