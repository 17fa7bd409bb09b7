"""The choice of standard version and cohort that the association's pages share."""

from __future__ import annotations

import streamlit as st

from scoring.model import localize
from scoring.profile import ISLAND_GROUP_LABELS, PROVINCES, SEGMENTS, SIZE_BANDS
from services.panels import Filters
from ui import context
from ui.i18n import lang, t


def standard_version(key: str, versions: list[tuple[str, str, int]]) -> tuple[str, str] | None:
    """A select box of the standard versions with stored assessments; None when there are none."""
    if not versions:
        st.info(t("cohort.no_assessments"), icon=":material/info:")
        return None
    library = context.library()

    def label(option: tuple[str, str, int]) -> str:
        standard = library.get(option[0])
        title = localize(standard.title, lang()) if standard is not None else option[0]
        return t("cohort.standard_option", title=title, version=option[1], n=option[2])

    default = max(range(len(versions)), key=lambda i: versions[i][2])
    chosen = st.selectbox(t("cohort.standard"), versions, index=default, format_func=label, key=f"{key}-standard")
    return chosen[0], chosen[1]


def cohort(key: str) -> Filters:
    """Province or island group, size band and segment; empty means all."""
    lg = lang()
    every = t("cohort.all")
    c1, c2, c3, c4 = st.columns(4)
    island = c1.selectbox(t("cohort.island"), [None, *ISLAND_GROUP_LABELS], key=f"{key}-island",
                          format_func=lambda g: every if g is None else ISLAND_GROUP_LABELS[g][lg])  # fmt: skip
    province = c2.selectbox(t("cohort.province"), [None, *PROVINCES], key=f"{key}-province",
                            format_func=lambda p: every if p is None else p)  # fmt: skip
    size = c3.selectbox(t("cohort.size"), [None, *SIZE_BANDS], key=f"{key}-size",
                        format_func=lambda s: every if s is None else s)  # fmt: skip
    segment = c4.selectbox(t("cohort.segment"), [None, *SEGMENTS], key=f"{key}-segment",
                           format_func=lambda s: every if s is None else SEGMENTS[s][lg])  # fmt: skip
    return Filters(province=province, island_group=island, size_band=size, segment=segment)


def suppressed_notice(reason) -> None:
    """Why a figure is not shown, in the user's language."""
    st.info(reason.message(lang()), icon=":material/visibility_off:")
