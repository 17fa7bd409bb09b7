"""Audit log (admins): sign-ins and failures, role and membership changes, invitations, imports, exports, erasures
and standard publications; downloadable as CSV."""

import pandas as pd
import streamlit as st

from ui import context
from ui.i18n import DATE_COLUMN, lang, t

lg = lang()
actor = context.actor()
audit = context.app().audit
st.title(t("audit.title"))
st.write(t("audit.intro"))
events = audit.events(actor, limit=500)
if not events:
    st.info(t("audit.none"))
else:
    st.dataframe(
        pd.DataFrame([
            {t("audit.col_at"): e.at, t("audit.col_actor"): e.actor, t("audit.col_action"): e.action,
             t("audit.col_target"): e.target, t("audit.col_detail"): str(e.detail or "")}
            for e in events
        ]),
        hide_index=True,
        column_config={t("audit.col_at"): st.column_config.DatetimeColumn(format=DATE_COLUMN + " HH:mm:ss")},
    )  # fmt: skip
st.download_button(t("audit.download"), data=lambda: audit.csv(actor), file_name="gapura-audit-log.csv",
                   mime="text/csv", on_click="ignore", icon=":material/download:", disabled=not events)  # fmt: skip
