"""Resume an assessment from its JSON file; a bad file is explained and changes nothing."""

from __future__ import annotations

import streamlit as st

from ui import context, session
from ui.i18n import t
from ui.import_report import reason
from ui.plain import plain


def resume_uploader() -> None:
    upload = st.file_uploader(t("resume.label"), type=["json"], help=t("resume.help"), key="resume-upload")
    if upload is None:
        return
    marker = (upload.name, upload.size, upload.file_id)
    if st.session_state.get("resume-done") == marker:
        return
    st.session_state["resume-done"] = marker
    line = context.app().transfer.resume(context.actor(), upload.name, upload.getvalue())
    if line.outcome == "skipped":
        st.session_state["resume-errors"] = [f"{upload.name}: {reason(line)}"]
    else:
        st.session_state.pop("resume-errors", None)
        session.open_assessment(line.organization_id, line.assessment_id)
        note = {"duplicate": "resume.duplicate", "continued": "resume.continued"}.get(line.outcome, "resume.ok")
        st.toast(t(note, name=plain(upload.name)), icon=":material/check:")
    st.rerun()  # the error box and the answers are drawn above the uploader


def resume_errors() -> None:
    errors = st.session_state.get("resume-errors")
    if errors:
        kept = t("resume.kept") if session.current() else ""
        lines = "\n".join("- `" + e.replace("`", "'") + "`" for e in errors[:20])  # a name cannot end the code span
        st.error(t("resume.failed") + " " + kept + "\n\n" + lines)
