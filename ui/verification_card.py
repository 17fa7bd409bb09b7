"""The company's side of a verification on Results: its own and the verified level side by side for each sampled
criterion, the verifier's comments, a reply box until the reply deadline, and who verified it when."""

from __future__ import annotations

from datetime import date

import streamlit as st

from scoring.formatting import day
from scoring.model import Standard
from services.assessing import OpenAssessment, Refused
from services.verification import VerificationView
from ui import context
from ui.i18n import lang, t
from ui.markdown import localize  # a standard's text as Markdown, without images

ERRORS = "verification-reply-errors"


def load(work: OpenAssessment) -> VerificationView | None:
    """The verification of the open assessment as this user may see it (a company: once the comments are sent)."""
    if not context.may("read", "verification", work.target):
        return None
    return context.app().verification.view(context.actor(), work.assessment_id)


def _reply(assessment_id: int, criterion_id: str, key: str) -> None:
    errors = st.session_state.setdefault(ERRORS, {})
    errors.pop(criterion_id, None)
    try:
        context.app().verification.reply(context.actor(), assessment_id, criterion_id, st.session_state[key],
                                         date.today())  # fmt: skip
    except Refused as refused:
        errors[criterion_id] = " ".join(issue.message(lang()) for issue in refused.issues)
        return
    st.session_state["verification-replied"] = True


def _level(standard: Standard, level) -> str:
    if level is None:
        return "—"
    return t("verify.na") if level == "na" else f"{level} · {standard.scale.label(level, lang())}"


def verification_card(view: VerificationView, standard: Standard, work: OpenAssessment) -> None:
    lg, today = lang(), date.today()
    st.subheader(t("verification.heading"))
    if view.status == "verified":
        by = view.verifier or t("verification.the_association")
        st.success(t("verification.verified_on", day=day(view.verified_at, lg), by=by), icon=":material/verified:")
    elif view.may_reply(today):
        st.info(t("verification.reply_until", day=day(view.reply_due, lg)), icon=":material/rate_review:")
    else:
        st.info(t("verification.in_progress"), icon=":material/rate_review:")
    if st.session_state.pop("verification-replied", False):
        st.toast(t("verification.replied"), icon=":material/check:")
    replying = view.may_reply(today) and context.may("write", "verification_reply", work.target)
    for row in view.rows:
        criterion = standard.criterion(row.criterion_id)
        with st.container(border=True, key=f"verification-{row.criterion_id}"):
            st.markdown(f"**`{row.criterion_id}` {localize(criterion.title, lg) if criterion else ''}**")
            own, checked = st.columns(2)
            own.metric(t("verification.own_level"), _level(standard, row.own.level if row.own else None))
            checked.metric(t("verification.verified_level"), _level(standard, row.verified))
            if row.comment:
                st.caption(t("verification.comment"))
                st.text(row.comment)  # the verifier's text: shown as text, never as Markdown
            if row.reply:
                st.caption(t("verification.your_reply"))
                st.text(row.reply)
            if replying and row.comment:
                key = f"verification-reply-{view.assessment_id}-{row.criterion_id}"
                with st.form(key=f"{key}-form", border=False):
                    st.text_area(t("verification.reply"), value=row.reply, key=key)
                    st.form_submit_button(t("verification.send_reply"), icon=":material/reply:", on_click=_reply,
                                          args=(view.assessment_id, row.criterion_id, key))  # fmt: skip
                if message := st.session_state.get(ERRORS, {}).get(row.criterion_id):
                    st.error(message, icon=":material/block:")
