"""A chart as every page shows it: the finding as a heading above it (text the browser wraps at any width; inside
the figure it covered the plot on a laptop and was cut on a phone), the figure, and its data in an expander under
it (to read a value exactly, to print, for a screen reader)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from scoring.formatting import separators
from ui.i18n import lang, t
from ui.plain import plain


def show(title: str, figure: go.Figure, data: pd.DataFrame | None, key: str) -> None:
    """`title` is plain text (a standard's or a company's names in it are shown as typed); `figure` is built with
    no title of its own."""
    st.markdown(f"##### {plain(title)}")
    figure.update_layout(separators=separators(lang()))  # id 2,1 as in the page's text
    st.plotly_chart(figure, key=key, config=CONFIG)
    if data is not None:
        with st.expander(t("charts.data"), icon=":material/table_view:"):
            st.dataframe(data, hide_index=True)


# No mode bar: on a phone it sat over the chart's first labels, and zooming a small chart helps no one.
CONFIG: dict[str, Any] = {"displayModeBar": False}
