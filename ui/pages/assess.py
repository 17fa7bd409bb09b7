"""Self-assessment: choose a standard, fill the profile, answer one domain at a time."""

import streamlit as st

from scoring.assessment import is_answered
from scoring.profile import PROVINCES, SEGMENTS, SIZE_BANDS
from services.assessing import VERIFIED, Refused, Workplace
from services.policy import Target
from ui import context, session
from ui.continue_list import continue_list
from ui.criterion_card import criterion_card
from ui.evidence_card import reread_documents
from ui.i18n import lang, t
from ui.markdown import localize  # a standard's text as Markdown, without images
from ui.next_round import next_round_panel
from ui.open_campaigns import open_campaigns
from ui.plain import plain
from ui.progress_board import ProgressBoard
from ui.resume import resume_confirmation, resume_errors, resume_uploader
from ui.save_status import save_status
from ui.scroll import scroll_to

lg = lang()
st.title(t("assess.title"))
st.write(t("assess.intro"))
resume_errors()
resume_confirmation()


def start_page() -> None:
    if st.session_state.pop("link-unknown", False):
        st.warning(t("continue.link_unknown"))
    places = context.app().assessing.workplaces(context.actor())
    open_campaigns()
    new, saved, upload = st.tabs([t("assess.start_heading"), t("continue.heading"), t("resume.heading")])
    with new:
        start_form(places)
    with saved:
        st.caption(t("continue.intro"))
        continue_list(places)
    with upload:
        resume_uploader()


def start_form(places: list[Workplace]) -> None:
    # The latest version of each standard not retired; older versions stay open for their rounds.
    standards = sorted(context.offered("organization"), key=lambda s: localize(s.title, lg).casefold())
    if not standards:
        st.warning(t("assess.no_standards"))
        return
    if not places:
        if context.may("write", "assessment", Target(association=True)):
            st.info(t("assess.association_elsewhere"), icon=":material/groups:")
            st.page_link("ui/pages/association.py", label=t("nav.association_readiness"), icon=":material/groups:")
        else:
            st.info(t("assess.no_organization"))
        return
    if len(places) > 1:
        place = st.selectbox(t("profile.name"), places, format_func=lambda p: p.name, key="start-organization")
    else:
        place = places[0]
        st.text(t("assess.for_organization", name=place.name))
    stored = context.app().assessing.profile(context.actor(), place.id)
    with st.form("start"):
        choice = st.selectbox(
            t("assess.standard"),
            range(len(standards)),
            format_func=lambda i: f"{localize(standards[i].title, lg)} ({standards[i].version})",
        )
        region = st.selectbox(t("profile.region"), PROVINCES, placeholder=t("profile.choose"),
                              index=PROVINCES.index(stored["region"]) if stored["region"] in PROVINCES else None)  # fmt: skip
        size = st.selectbox(t("profile.size"), SIZE_BANDS, placeholder=t("profile.choose"),
                            index=SIZE_BANDS.index(stored["size"]) if stored["size"] in SIZE_BANDS else None)  # fmt: skip
        segments = st.multiselect(
            t("profile.segments"),
            list(SEGMENTS),
            default=[s for s in stored["segments"] if s in SEGMENTS],
            format_func=lambda s: SEGMENTS[s][lg],
            placeholder=t("profile.choose"),
            select_all=False,  # Streamlit's "Select all" is English only, and six segments are quickly ticked
        )
        if st.form_submit_button(t("assess.start"), type="primary"):
            profile = {"region": region, "size": size, "segments": segments}
            try:
                session.start(standards[choice], place.id, profile, lg)
            except Refused as exc:  # a profile the model or the form's lists refuse: nothing was stored
                for issue in exc.issues:
                    st.error(issue.message(lg))
            else:
                st.rerun()


def _go_next_unanswered() -> None:
    """Jump to the first unanswered criterion, computed at click time (fragments may have changed answers), and
    have the browser scroll to it once."""
    std, answers = session.standard(), session.answers()
    first = next(((d.id, c.id) for d, c in std.criteria() if not is_answered(answers.get(c.id))), None) if std else None
    if first:
        st.session_state["domain-picker"], st.session_state["focus"] = first
        st.session_state["focus-jumps"] = st.session_state.get("focus-jumps", 0) + 1


def _set_domain(domain_id: str) -> None:
    st.session_state["domain-picker"] = domain_id


def answer_form() -> None:
    std = session.standard()
    work = session.current()
    if std is None or work is None:
        st.error(t("assess.standard_missing", id=work.standard_id if work else "?"))
        st.button(t("assess.close"), on_click=session.close)
        return
    session.refresh()
    reread_documents()  # like the answers: what other tabs stored shows on every full run
    if not session.offline():
        session.retry_unsaved()
    answers = session.answers()

    st.subheader(localize(std.title, lg))
    st.caption(t("assess.for_org_round", org=plain(work.organization["name"]), version=std.version, round=work.round))
    top = st.empty()
    if st.session_state.pop("round-started", False):
        st.success(t("rounds.started", n=work.round), icon=":material/autorenew:")
    if st.session_state.pop("draft-reopened", False):
        st.info(t("continue.reopened", n=work.round), icon=":material/restore:")
    if not session.may_change():
        st.info(t("submit.view_only"), icon=":material/visibility:")
    elif session.read_only():
        st.info(t("submit.verified" if work.status == VERIFIED else "submit.read_only"), icon=":material/lock:")
        if (why := work.reopen_refusal()) is None:
            st.button(t("submit.reopen"), on_click=session.set_status, args=("draft",), icon=":material/lock_open:")
        else:
            st.caption(why.message(lg))
    save_status()

    domain_ids = [d.id for d in std.domains]
    if st.session_state.get("domain-picker") not in domain_ids:
        # Streamlit forgets a widget's value when another page is shown; come back to the domain left.
        remembered = st.session_state.get("last-domain")
        st.session_state["domain-picker"] = remembered if remembered in domain_ids else domain_ids[0]
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    domain_id = left.selectbox(
        t("assess.domain"),
        domain_ids,
        # Option labels must not change with the answers, or Streamlit sees a new widget and resets it.
        format_func=lambda d: localize(next(x for x in std.domains if x.id == d).title, lg),
        key="domain-picker",
    )
    st.session_state["last-domain"] = domain_id
    locked = session.read_only()
    if not locked:  # a submitted (final) round, or one only read here, has nothing left to answer
        right.button(
            t("assess.next_unanswered"), icon=":material/skip_next:", on_click=_go_next_unanswered, width="stretch"
        )
    caption = st.empty()
    with st.sidebar:
        side = st.empty()
    board = ProgressBoard(std, domain_id, top=top, side=side, caption=caption)
    board.draw()

    only_open = not locked and st.toggle(t("assess.only_unanswered"), key="only-unanswered")
    domain = next(d for d in std.domains if d.id == domain_id)
    if domain.description:
        st.caption(localize(domain.description, lg))
    focus = st.session_state.get("focus")
    proposed = [c.id for c in domain.criteria if (a := answers.get(c.id)) is not None and a.origin and a.given]
    if proposed and not locked:
        st.button(t("assess.confirm_domain", n=len(proposed)), on_click=session.confirm, args=(proposed,),
                  icon=":material/done_all:", key="confirm-domain")  # fmt: skip
    shown = [c for c in domain.criteria if not (only_open and is_answered(answers.get(c.id)))]
    if not shown:
        st.success(t("assess.domain_done"), icon=":material/task_alt:")
    for criterion in shown:
        criterion_card(std, criterion, board, highlight=criterion.id == focus)
    if focus in {c.id for c in shown}:
        scroll_to(f"card-{focus}", st.session_state.get("focus-jumps", 0))

    index = domain_ids.index(domain_id)
    prev_col, next_col = st.columns(2)
    if index > 0:
        prev_col.button(t("assess.prev_domain"), icon=":material/arrow_back:", on_click=_set_domain,
                        args=(domain_ids[index - 1],), width="stretch")  # fmt: skip
    if index < len(domain_ids) - 1:
        next_col.button(t("assess.next_domain"), icon=":material/arrow_forward:", on_click=_set_domain,
                        args=(domain_ids[index + 1],), width="stretch")  # fmt: skip
    else:
        next_col.page_link("ui/pages/results.py", label=t("assess.see_results"), icon=":material/insights:")

    with st.sidebar:
        st.download_button(
            t("assess.download_json"),
            data=session.document_builder(),
            file_name=session.file_stem() + ".json",
            mime="application/json",
            icon=":material/download:",
            on_click="ignore",
            width="stretch",
        )
        if session.may_change() and work.next_round_refusal() is None:  # from a submitted latest round only
            next_round_panel()
        with st.expander(t("resume.heading"), icon=":material/upload_file:"):
            resume_uploader()
        st.button(t("assess.close"), icon=":material/logout:", on_click=session.close, width="stretch",
                  help=t("assess.close_help"))  # fmt: skip


if session.current() is None:
    start_page()
else:
    answer_form()
