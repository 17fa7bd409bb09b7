"""Resume an assessment from its JSON file; a bad file is explained and changes nothing, and a file that would replace
answers saved after it was downloaded asks first, naming each change."""

from __future__ import annotations

import streamlit as st

from scoring.model import NA, localize
from ui import context, session
from ui.i18n import lang, t
from ui.import_report import reason
from ui.plain import plain
from ui.uploads import file_uploader

PENDING = "resume-confirm"  # the uploaded file waiting for the user's word: {"name", "raw", "line"}


def resume_uploader() -> None:
    upload = file_uploader(t("resume.label"), ["json"], help=t("resume.help"), key="resume-upload")
    if upload is None:
        return
    marker = (upload.name, upload.size, upload.file_id)
    if st.session_state.get("resume-done") == marker:
        return
    st.session_state["resume-done"] = marker
    _resume(upload.name, upload.getvalue(), confirmed=False)
    st.rerun()  # the error box, the question and the answers are drawn above the uploader


def _resume(name: str, raw: bytes, confirmed: bool) -> None:
    st.session_state.pop(PENDING, None)
    line = context.app().transfer.resume(context.actor(), name, raw, confirmed=confirmed)
    if line.outcome == "skipped":
        st.session_state["resume-errors"] = [f"{name}: {reason(line)}"]
        return
    st.session_state.pop("resume-errors", None)
    if line.outcome == "confirm":
        st.session_state[PENDING] = {"name": name, "raw": raw, "line": line}
        return
    session.open_assessment(line.organization_id, line.assessment_id)
    note = {"duplicate": "resume.duplicate", "continued": "resume.continued"}.get(line.outcome, "resume.ok")
    st.toast(t(note, name=plain(name)), icon=":material/check:")


def _keep(line) -> None:
    """Keep the saved answers: the draft opens as it is, the file changes nothing."""
    st.session_state.pop(PENDING, None)
    session.open_assessment(line.organization_id, line.assessment_id)


def resume_confirmation() -> None:
    """The question a resumed file asks before it replaces newer saved answers: every change, stored -> file."""
    pending = st.session_state.get(PENDING)
    if not pending:
        return
    line, lg = pending["line"], lang()
    standard_id, _, version = line.standard.partition(" ")
    std = context.app().standard(standard_id, version)
    titles = {c.id: localize(c.title, lg) for _, c in std.criteria()} if std else {}

    def level(value) -> str:
        if value is None:
            return t("resume.no_level")
        return (
            t("assess.na_option")
            if value == NA
            else f"{value} · {std.scale.label(int(value), lg)}"
            if std
            else str(value)
        )

    rows = [
        f"- `{c.criterion}` {plain(titles.get(c.criterion, ''))}: {level(c.stored)} → {level(c.file)}"
        for c in line.changes
    ]
    with st.container(border=True, key="resume-confirm"):
        st.warning(t("resume.newer", name=plain(pending["name"]), n=len(line.changes)), icon=":material/warning:")
        st.markdown("\n".join(rows))
        left, right = st.columns(2)
        left.button(t("resume.apply"), on_click=_resume, args=(pending["name"], pending["raw"], True),
                    key="resume-apply", type="primary", width="stretch")  # fmt: skip
        right.button(t("resume.keep_saved"), on_click=_keep, args=(line,), key="resume-keep", width="stretch")


def resume_errors() -> None:
    errors = st.session_state.get("resume-errors")
    if errors:
        kept = t("resume.kept") if session.current() else ""
        lines = "\n".join("- `" + e.replace("`", "'") + "`" for e in errors[:20])  # a name cannot end the code span
        st.error(t("resume.failed") + " " + kept + "\n\n" + lines)
