"""Gapura's web server, as `streamlit run app.py` starts it: the app (gapura_app.py), its database opened as it starts,
with the routes that set the session cookie, the probes and metrics (/healthz, /readyz, /metrics), the security
headers, the upload guard and the one error handler of every page (ui/http.py, ui/errors.py)."""

import streamlit as st

from ui import errors, http

app = st.App(
    "gapura_app.py",
    lifespan=http.lifespan,
    routes=http.routes(),
    middleware=http.middleware(),
    on_script_error=errors.show,
)
