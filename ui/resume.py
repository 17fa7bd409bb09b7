"""Resume an assessment from its JSON file; a bad file is explained and changes nothing."""

from __future__ import annotations

import streamlit as st

from scoring.assessment import check_answers, parse_assessment
from scoring.issues import Issue
from ui import session
from ui.i18n import t
from ui.library import library


def _problems(raw: bytes, name: str) -> list[Issue]:
    assessment, issues = parse_assessment(raw, name)
    if assessment is None:
        return issues
    ref = assessment.standard
    std = library().get(ref.id, ref.version)
    if std is None:
        known = [s.version for s in library().standards if s.id == ref.id]
        message = (
            t("resume.unknown_version", id=ref.id, version=ref.version, known=", ".join(known))
            if known
            else t("resume.unknown_standard", id=ref.id)
        )
        return [Issue(name, "standard", message)]
    issues = check_answers(assessment, std, name)
    if not issues:
        imported = session.resume(assessment)
        st.session_state["resume-note"] = "resume.duplicate" if imported.duplicate else "resume.ok"
    return issues


def resume_uploader() -> None:
    upload = st.file_uploader(t("resume.label"), type=["json"], help=t("resume.help"), key="resume-upload")
    if upload is None:
        return
    marker = (upload.name, upload.size, upload.file_id)
    if st.session_state.get("resume-done") == marker:
        return
    st.session_state["resume-done"] = marker
    issues = _problems(upload.getvalue(), upload.name)
    if issues:
        st.session_state["resume-errors"] = [str(i) for i in issues]
    else:
        st.session_state.pop("resume-errors", None)
        st.toast(t(st.session_state.pop("resume-note", "resume.ok"), name=upload.name), icon=":material/check:")
    st.rerun()  # the error box and the answers are drawn above the uploader


def resume_errors() -> None:
    errors = st.session_state.get("resume-errors")
    if errors:
        kept = t("resume.kept") if session.current() else ""
        st.error(t("resume.failed") + " " + kept + "\n\n" + "\n".join(f"- `{e}`" for e in errors[:20]))
