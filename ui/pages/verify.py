"""Verify: the association checks a sample of a submitted assessment against its evidence, records a verified level
and a comment per sampled criterion, sends the comments to the company and marks the assessment verified."""

from datetime import date

import pandas as pd
import streamlit as st

from scoring.formatting import day
from services.assessing import Refused
from ui import context
from ui.evidence_card import described, download_button
from ui.i18n import lang, t
from ui.links import evidence_markdown
from ui.markdown import localize  # a standard's text as Markdown, without images
from ui.plain import plain

NA = "na"
ERRORS = "verify-errors"
lg = lang()
app, actor = context.app(), context.actor()
today = date.today()
st.title(t("verify.title"))
st.write(t("verify.intro"))
context.show_notice()


def _step(where: str, step) -> None:
    """Runs one write; a refusal is kept to show beside the control it came from."""
    errors = st.session_state.setdefault(ERRORS, {})
    errors.pop(where, None)
    try:
        step()
    except Refused as refused:
        errors[where] = " ".join(issue.message(lg) for issue in refused.issues)


def _record(assessment_id: int, criterion_id: str) -> None:
    level = st.session_state[f"verify-level-{assessment_id}-{criterion_id}"]
    comment = st.session_state[f"verify-comment-{assessment_id}-{criterion_id}"]
    _step(criterion_id, lambda: app.verification.record(actor, assessment_id, criterion_id, level, comment))
    if criterion_id not in st.session_state[ERRORS]:
        st.session_state["verify-saved"] = True


def _finish(assessment_id: int) -> None:
    _step("finish", lambda: app.verification.finish(actor, assessment_id))
    if "finish" not in st.session_state[ERRORS]:
        context.notice("verify.finished")


def _shown_error(where: str) -> None:
    if message := st.session_state.get(ERRORS, {}).get(where):
        st.error(message, icon=":material/block:")


queue = app.verification.queue(actor)
if not queue:
    st.info(t("verify.queue_empty"), icon=":material/task_alt:")
    st.stop()


titles: dict[tuple[str, str], str] = {}


def _title(standard_id: str, version: str) -> str:
    """The standard's title and version, read once per version however long the queue."""
    if (standard_id, version) not in titles:
        standard = app.standard(standard_id, version)
        titles[standard_id, version] = f"{localize(standard.title, lg) if standard else standard_id} {version}"
    return titles[standard_id, version]


def _round(waiting) -> str:
    return waiting.campaign or t("rounds.round_label", n=waiting.round)


st.subheader(t("verify.queue_heading"))
st.dataframe(
    pd.DataFrame({
        t("verify.col_organization"): [w.organization for w in queue],
        t("verify.col_standard"): [_title(w.standard_id, w.standard_version) for w in queue],
        t("verify.col_round"): [_round(w) for w in queue],
        t("verify.col_submitted"): [day(w.submitted_at, lg) if w.submitted_at else "—" for w in queue],
        t("verify.col_status"): [t(f"verify.status_{w.status or 'waiting'}") for w in queue],
    }),
    hide_index=True,
)  # fmt: skip
chosen = st.selectbox(t("verify.choose"), queue, key="verify-choice",
                      format_func=lambda w: f"{w.organization} · {_title(w.standard_id, w.standard_version)} · {_round(w)}")  # fmt: skip
aid = chosen.assessment_id
view = app.verification.view(actor, aid)
if view is None:
    st.write(t("verify.not_started"))
    st.button(t("verify.start"), type="primary", icon=":material/casino:", key="verify-start",
              on_click=_step, args=("start", lambda: app.verification.start(actor, aid)))  # fmt: skip
    _shown_error("start")
    st.stop()

standard = app.standard(view.standard_id, view.standard_version)
work = app.assessing.open(actor, view.organization_id, aid)
st.subheader(t("verify.sample_heading", n=len(view.rows)))
facts = [t(f"verify.status_{view.status}")]
if view.reply_due:
    facts.append(t("verify.reply_due", day=day(view.reply_due, lg)))
st.caption(" · ".join(facts))
if st.session_state.pop("verify-saved", False):
    st.toast(t("verify.saved"), icon=":material/check:")


def _level_name(level) -> str:
    if level is None:
        return t("verify.no_level")
    return t("verify.na") if level == NA else f"{level} · {standard.scale.label(level, lg)}"


for row in view.rows:
    criterion = standard.criterion(row.criterion_id)
    with st.container(border=True, key=f"verify-{row.criterion_id}"):
        badge = f" :red-badge[{t('verify.mandatory')}]" if criterion.mandatory else ""
        st.markdown(f"**`{row.criterion_id}` {localize(criterion.title, lg)}**{badge}")
        own = row.own
        st.markdown(t("verify.own_level", level=_level_name(own.level if own else None)))
        if own and own.note:
            st.caption(t("verify.own_note"))
            st.text(own.note)  # the company's own text: shown as text, never as Markdown
        if own and own.justification:
            st.caption(t("verify.own_justification"))
            st.text(own.justification)
        if own and own.evidence:
            st.markdown(evidence_markdown(own.evidence))
        for document in app.evidence.documents(actor, work, row.criterion_id):
            left, right = st.columns([4, 1], vertical_alignment="center")
            left.markdown(f":material/description: **{plain(document.name)}**  \n{described(document)}")
            with right:
                download_button(document, key=f"verify-download-{document.id}")
        if not row.documents and not (own and own.evidence):
            st.caption(t("verify.no_evidence"))
        if row.reply:
            st.info(t("verify.reply_heading"), icon=":material/reply:")
            st.text(row.reply)
        options = [None, *standard.scale.values, *([] if criterion.mandatory else [NA])]
        with st.form(key=f"verify-form-{aid}-{row.criterion_id}", border=False):
            st.selectbox(t("verify.level"), options, index=options.index(row.verified),
                         format_func=_level_name, key=f"verify-level-{aid}-{row.criterion_id}")  # fmt: skip
            st.text_area(t("verify.comment"), value=row.comment, key=f"verify-comment-{aid}-{row.criterion_id}",
                         help=t("verify.comment_help"))  # fmt: skip
            st.form_submit_button(t("verify.save"), icon=":material/save:", on_click=_record,
                                  args=(aid, row.criterion_id))  # fmt: skip
        _shown_error(row.criterion_id)

left, right = st.columns(2)
left.button(t("verify.send"), icon=":material/forward_to_inbox:", key="verify-send", width="stretch",
            on_click=_step, args=("send", lambda: app.verification.send_comments(actor, aid, today)))  # fmt: skip
right.button(t("verify.finish"), type="primary", icon=":material/verified:", key="verify-finish", width="stretch",
             on_click=_finish, args=(aid,))  # fmt: skip
_shown_error("send")
_shown_error("finish")
st.caption(t("verify.finish_help"))
