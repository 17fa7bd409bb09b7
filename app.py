"""Gapura: page config, language and navigation."""

import streamlit as st

from ui.i18n import DEFAULT, LANGUAGES, t

st.set_page_config(page_title="Gapura", page_icon=":material/door_open:", layout="wide")
# The language is kept in the page address too, so a reload or a shared link keeps it.
if "lang" not in st.session_state:
    st.session_state["lang"] = st.query_params.get("lang") if st.query_params.get("lang") in LANGUAGES else DEFAULT
if st.query_params.get("lang") != st.session_state["lang"]:
    st.query_params["lang"] = st.session_state["lang"]
if not st.session_state.get("lang-choice"):
    st.session_state["lang-choice"] = st.session_state["lang"]


def _set_language() -> None:
    if st.session_state.get("lang-choice"):
        st.session_state["lang"] = st.session_state["lang-choice"]
        st.query_params["lang"] = st.session_state["lang"]


with st.sidebar:
    st.segmented_control(
        "Bahasa / Language", list(LANGUAGES), format_func=LANGUAGES.get, key="lang-choice",
        on_change=_set_language, label_visibility="collapsed",
    )  # fmt: skip

st.logo("ui/static/logo.svg", size="large")
pages = {
    t("nav.assess"): [
        st.Page("ui/pages/assess.py", title=t("nav.self_assessment"), icon=":material/edit_note:", default=True),
        st.Page("ui/pages/results.py", title=t("nav.results"), icon=":material/insights:"),
    ],
    t("nav.association"): [
        st.Page("ui/pages/association.py", title=t("nav.association_readiness"), icon=":material/groups:"),
        st.Page("ui/pages/import_files.py", title=t("nav.import"), icon=":material/upload_file:"),
    ],
    t("nav.library"): [
        st.Page("ui/pages/standards.py", title=t("nav.standards"), icon=":material/menu_book:"),
    ],
}
st.navigation(pages).run()
