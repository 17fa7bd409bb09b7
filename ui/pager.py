"""A long table a page at a time: which page, and which rows of how many it shows."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui.i18n import t


def page(frame: pd.DataFrame, key: str, among: object, size: int = 50) -> pd.DataFrame:
    """The rows of `frame` on the page the user chose, with the page picker and "rows x–y of z" above them; back to
    the first page whenever `among` (the choices that made `frame`) changes, so a new choice opens at its top."""
    pages = max(1, -(-len(frame) // size))
    if st.session_state.get(f"{key}-among") != among:
        st.session_state[f"{key}-among"] = among
        st.session_state[key] = 1
    st.session_state[key] = min(st.session_state.get(key, 1), pages)  # fewer rows now than when it was chosen
    left, right = st.columns([1, 3], vertical_alignment="bottom")
    if pages > 1:
        left.number_input(t("pager.page", pages=pages), min_value=1, max_value=pages, step=1, key=key)
    first = (int(st.session_state[key]) - 1) * size
    rows = frame.iloc[first : first + size]
    if len(rows):
        right.caption(t("pager.rows", first=first + 1, last=first + len(rows), total=len(frame)))
    return rows
