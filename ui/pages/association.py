"""The association's own self-assessment: what an international federation asks of a national member association."""

import streamlit as st

from scoring.model import localize
from ui import session
from ui.context import library
from ui.continue_list import continue_list
from ui.i18n import lang, t

lg = lang()
st.title(t("association.title"))
st.write(t("association.intro"))

latest = {s.id: library().get(s.id) for s in library().standards}
standards = [s for s in latest.values() if s is not None and s.subject == "association"]
if not standards:
    st.info(t("association.none"))
    st.stop()

for std in standards:
    with st.container(border=True):
        st.markdown(f"**{localize(std.title, lg)}** · {std.version}")
        if std.description:
            st.caption(localize(std.description, lg))

new, saved = st.tabs([t("association.start_heading"), t("continue.heading")])
with new, st.form("association-start"):
    choice = st.selectbox(t("assess.standard"), range(len(standards)),
                          format_func=lambda i: f"{localize(standards[i].title, lg)} ({standards[i].version})")  # fmt: skip
    name = st.text_input(t("association.name"), max_chars=200, placeholder="Asosiasi Penyelenggara Kegiatan")
    if st.form_submit_button(t("assess.start"), type="primary"):
        if name.strip():
            session.start(standards[choice], {"name": name.strip(), "segments": []}, lg)
            st.switch_page("ui/pages/assess.py")
        st.error(t("association.name_required"))
with saved:
    continue_list("association-continue-name")
