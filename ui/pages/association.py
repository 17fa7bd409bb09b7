"""The association's own self-assessment: what an international federation asks of a national member association.
Answered by the association's officers."""

import streamlit as st

from scoring.model import localize
from services.assessing import Refused
from ui import context, session
from ui.continue_list import continue_list
from ui.i18n import lang, t

lg = lang()
st.title(t("association.title"))
st.write(t("association.intro"))

standards = context.offered("association")
if not standards:
    st.info(t("association.none"))
    st.stop()

for std in standards:
    with st.container(border=True):
        st.markdown(f"**{localize(std.title, lg)}** · {std.version}")
        if std.description:
            st.caption(localize(std.description, lg))

assessing, actor = context.app().assessing, context.actor()
places = assessing.workplaces(actor, association=True)
new, saved = st.tabs([t("association.start_heading"), t("continue.heading")])
with new, st.form("association-start"):
    choice = st.selectbox(t("assess.standard"), range(len(standards)),
                          format_func=lambda i: f"{localize(standards[i].title, lg)} ({standards[i].version})")  # fmt: skip
    if places:
        st.text(t("assess.for_organization", name=places[0].name))
        name = places[0].name
    else:
        name = st.text_input(t("association.name"), max_chars=200, placeholder="Asosiasi Penyelenggara Kegiatan")
    if st.form_submit_button(t("assess.start"), type="primary"):
        if not name.strip():
            st.error(t("association.name_required"))
        else:
            try:
                organization_id = places[0].id if places else assessing.association(actor, name.strip())
            except Refused as exc:
                st.error(exc.issues[0].message(lg))
            else:
                session.start(standards[choice], organization_id, {}, lg)
                st.switch_page("ui/pages/assess.py")
with saved:
    continue_list(places)
