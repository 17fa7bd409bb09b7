"""The action plan on Results, as cards (readable on a laptop and a phone alike): each step says where the company
stands, where it must get, what it is worth and how to go up a level, and carries the owner, due date, status and
note the company edits in place. Steps closed by themselves and steps waiting for this round's answer are listed
apart."""

from __future__ import annotations

from datetime import date

import streamlit as st

from scoring.engine import Result
from scoring.formatting import day, decimal
from scoring.model import MAX_NOTE, Standard
from scoring.plan import STATUSES, Step, Tracking, steps
from services.assessing import OpenAssessment, Refused
from services.plans import MAX_OWNER
from ui import context
from ui.i18n import lang, t
from ui.markdown import localize  # a standard's text as Markdown, without images
from ui.plain import plain

FIRST = 10  # steps shown before "show all": the top of the plan is what to start with
BADGE = {"todo": "gray", "doing": "blue", "done": "green"}


def _status(status: str) -> str:
    return {"todo": t("plan.status_todo"), "doing": t("plan.status_doing"), "done": t("plan.status_done")}[status]


def _store_key(work: OpenAssessment) -> str:
    return f"plan-tracking-{work.organization_id}-{work.standard_id}"


def _key(work: OpenAssessment, field: str, criterion_id: str) -> str:
    """A widget's key, per organization and standard: two standards may both have a criterion A1."""
    return f"plan-{work.organization_id}-{work.standard_id}-{field}-{criterion_id}"


def _save(work: OpenAssessment, criterion_id: str, field: str) -> None:
    """Writes the one field this widget changed; the card shows what is stored now, or why it was refused."""
    value = st.session_state[_key(work, field, criterion_id)]
    errors = st.session_state.setdefault("plan-errors", {})
    try:
        item = context.app().plans.track(context.actor(), work, criterion_id, **{field: value})
    except Refused as refused:
        errors[criterion_id] = " ".join(issue.message(lang()) for issue in refused.issues)
        return
    errors.pop(criterion_id, None)
    st.session_state[_store_key(work)][criterion_id] = item
    st.session_state["plan-saved"] = True  # told by the card as it redraws: a callback draws nothing


def action_plan(standard: Standard, result: Result, work: OpenAssessment) -> None:
    """The whole plan of the open assessment: open steps in the scoring contract's order, then the rest."""
    lg = lang()
    tracked = context.app().plans.tracking(context.actor(), work)
    st.session_state[_store_key(work)] = dict(tracked)
    editable = context.may("write", "plan", work.target)
    plan = steps(standard, result)
    today = date.today()
    closed = sorted((item for item in tracked.values() if item.closed_round is not None),
                    key=lambda item: (item.closed_round, item.criterion_id))  # fmt: skip
    in_plan = {step.criterion_id for step in plan}
    known = [c.id for _, c in standard.criteria()]
    waiting = [tracked[cid] for cid in known  # in the standard's order
               if cid in tracked and cid not in in_plan and tracked[cid].closed_round is None]  # fmt: skip
    overdue = sum(tracked[s.criterion_id].overdue(today) for s in plan if s.criterion_id in tracked)

    if not plan and result.criteria["met"].notna().any():
        st.success(t("results.no_actions"), icon=":material/check_circle:")
    elif not plan:
        st.info(t("plan.nothing_scored"), icon=":material/info:")
    else:
        st.write(t("plan.summary", n=len(plan), overdue=overdue, closed=len(closed)))
        if not editable:
            st.caption(t("plan.read_only"))
        everything = len(plan) <= FIRST or st.toggle(t("plan.show_all", n=len(plan)), key="plan-show-all")
        for step in plan if everything else plan[:FIRST]:
            _card(standard, work, step.criterion_id, step, editable)
        st.caption(t("results.plan_caption"))
    if waiting:
        st.markdown(f"**{t('plan.waiting_heading')}**")
        st.caption(t("plan.waiting_intro"))
        for item in waiting:
            _card(standard, work, item.criterion_id, None, editable)
    if closed:
        with st.expander(t("plan.closed_heading", n=len(closed)), icon=":material/task_alt:"):
            for item in closed:
                _closed(standard, item, lg)


@st.fragment
def _card(standard: Standard, work: OpenAssessment, criterion_id: str, step: Step | None, editable: bool) -> None:
    """One step (or a tracked criterion with no step this round); a fragment, so saving a field redraws this card
    alone."""
    lg = lang()
    if st.session_state.pop("plan-saved", False):
        st.toast(t("plan.saved"), icon=":material/check:")
    item = st.session_state.get(_store_key(work), {}).get(criterion_id) or Tracking(criterion_id)
    criterion = standard.criterion(criterion_id)
    domain = next(d for d, c in standard.criteria() if c.id == criterion_id)
    with st.container(border=True, key=f"plan-card-{criterion_id}"):
        rank = f"{step.rank}. " if step else ""
        st.markdown(f"**{rank}{plain(localize(criterion.title, lg))}**")
        badges = [f":gray-badge[{plain(localize(domain.title, lg))}]"]
        if criterion.mandatory:
            badges.append(f":red-badge[{t('assess.mandatory')}]")
        if item.overdue(date.today()):
            badges.append(f":orange-badge[:material/schedule: {t('plan.overdue', date=day(item.due, lg))}]")
        badges.append(f":{BADGE[item.status]}-badge[{_status(item.status)}]")
        if step is not None:  # one block: on a phone every element costs a gap
            scale = standard.scale
            badges.append("  \n" + t("plan.levels", level=f"{step.level} · {scale.label(step.level, lg)}",
                                      target=f"{step.target} · {scale.label(step.target, lg)}",
                                      impact=decimal(step.impact * 100, lg)))  # fmt: skip
        st.markdown(" ".join(badges))
        if step is not None:
            with st.expander(t("plan.how_heading")):
                _how(standard, step, lg)
        _tracking(work, criterion_id, item, editable)
        error = st.session_state.get("plan-errors", {}).get(criterion_id)
        if error:
            st.error(error, icon=":material/block:")


def _how(standard: Standard, step: Step, lg: str) -> None:
    """How to go up a level: what the next level looks like, the standard's guidance and the proof it suggests."""
    said = False
    if step.next_level_text:
        label = standard.scale.label(step.next_level, lg)
        st.markdown(
            f"**{t('plan.next_level', level=f'{step.next_level} · {label}')}** {localize(step.next_level_text, lg)}"
        )
        said = True
    if step.guidance:
        st.markdown(localize(step.guidance, lg))
        said = True
    if step.evidence:
        st.markdown(f"**{t('plan.evidence')}** " + "; ".join(localize(e, lg) for e in step.evidence))
        said = True
    if not said:
        st.caption(t("plan.no_guidance"))


def _tracking(work: OpenAssessment, criterion_id: str, item: Tracking, editable: bool) -> None:
    """Owner, due date and status side by side on a laptop (stacked on a phone), the note below; each saved alone."""
    owner_col, due_col, status_col = st.columns([3, 2, 4])
    args = lambda field: (work, criterion_id, field)  # noqa: E731
    owner_col.text_input(t("plan.owner"), value=item.owner, max_chars=MAX_OWNER, placeholder=t("plan.owner_hint"),
                         key=_key(work, "owner", criterion_id), on_change=_save, args=args("owner"),
                         disabled=not editable)  # fmt: skip
    due_col.date_input(t("plan.due"), value=item.due, format="DD/MM/YYYY", key=_key(work, "due", criterion_id),
                       on_change=_save, args=args("due"), disabled=not editable)  # fmt: skip
    status_col.segmented_control(t("plan.status"), STATUSES, default=item.status, required=True, format_func=_status,
                                 key=_key(work, "status", criterion_id), on_change=_save, args=args("status"),
                                 disabled=not editable)  # fmt: skip
    st.text_area(t("plan.note"), value=item.note, max_chars=MAX_NOTE, height=68, placeholder=t("plan.note_hint"),
                 key=_key(work, "note", criterion_id), on_change=_save, args=args("note"),
                 disabled=not editable)  # fmt: skip


def _closed(standard: Standard, item: Tracking, lg: str) -> None:
    """A step that closed by itself, with what the company had recorded on it."""
    criterion = standard.criterion(item.criterion_id)
    title = localize(criterion.title, lg) if criterion else item.criterion_id
    st.markdown(f"**{plain(title)}** · :green-badge[:material/check: {t('plan.closed', round=item.closed_round)}]")
    facts = [_status(item.status)]
    if item.owner:
        facts.append(f"{t('plan.owner')}: {plain(item.owner)}")
    if item.due:
        facts.append(f"{t('plan.due')}: {day(item.due, lg)}")
    st.caption(" · ".join(facts))
    if item.note:
        st.caption(plain(item.note))
