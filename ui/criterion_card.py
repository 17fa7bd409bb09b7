"""One criterion to answer: the scale with its level descriptions, guidance, note, evidence (links and files)
and N/A."""

from __future__ import annotations

import streamlit as st

from scoring.assessment import is_answered
from scoring.model import NA, Answer, Criterion, Standard
from ui import session
from ui.context import library
from ui.evidence_card import card_documents
from ui.i18n import lang, t
from ui.links import evidence_markdown
from ui.markdown import localize  # a standard's text as Markdown, without images
from ui.progress_board import ProgressBoard


def _on_level(criterion_id: str, key: str) -> None:
    if key == session.widget_key("level", criterion_id):
        session.set_answer(criterion_id, level=st.session_state[key])


def _on_text(criterion_id: str, field: str, key: str) -> None:
    # Streamlit still calls back the widgets of a card drawn afresh (new keys) since, with their old values (a
    # box emptied, a colleague's newer note replaced): only the box the card shows now may change the answer.
    if key == session.widget_key(field, criterion_id):
        session.set_answer(criterion_id, **{field: st.session_state[key]})


def origin_label(origin: str, lg: str) -> str:
    """Where an answer not yet confirmed by the company came from, in words."""
    if origin.startswith("capability:"):
        standard_id, _, criterion_id = origin.removeprefix("capability:").partition("/")
        source = library().get(standard_id)
        name = localize(source.title, lg) if source else standard_id
        return t("assess.origin_capability", source=f"{name} · {criterion_id}")
    if origin == "segment":
        return t("assess.origin_segment")
    return t("assess.carried_over")


@st.fragment
def criterion_card(standard: Standard, criterion: Criterion, board: ProgressBoard, highlight: bool = False) -> None:
    """A fragment: answering reruns this card alone, then redraws the progress board. A change the store could
    not save redraws the whole page, so the save status and the browser's copy of it show it at once."""
    if session.saved_failure():
        st.rerun(scope="app")
    lg = lang()
    answer = session.answers().get(criterion.id) or Answer()
    level = answer.level
    locked = session.read_only()
    with st.container(border=True, key=f"card-{criterion.id}"):
        badges = [f"`{criterion.id}`"]
        if criterion.mandatory:
            badges.append(f":red-badge[{t('assess.mandatory')}]")
        if criterion.id in session.pending():
            badges.append(f":red-badge[:material/cloud_off: {t('assess.not_saved_badge')}]")
        elif answer.given and answer.origin:
            badges.append(f":violet-badge[:material/history: {origin_label(answer.origin, lg)}]")
        elif answer.given:
            badges.append(f":green-badge[:material/check: {t('assess.answered')}]")
        else:
            badges.append(f":orange-badge[{t('assess.unanswered')}]")
        if highlight and not is_answered(answer):  # the tag goes once the criterion is answered
            badges.append(f":blue-badge[:material/arrow_forward: {t('assess.next_here')}]")
        st.markdown(" ".join(badges))
        st.markdown(f"**{localize(criterion.title, lg)}**")
        if criterion.description:
            st.caption(localize(criterion.description, lg))
        options: list[int | str] = list(standard.scale.values)
        if not criterion.mandatory:
            options.append(NA)
        target = standard.target_of(criterion)
        st.radio(
            t("assess.level_question", target=f"{target} · {standard.scale.label(target, lg)}"),
            options,
            index=options.index(level) if level in options else None,
            format_func=lambda v: t("assess.na_option") if v == NA else f"{v} · {standard.scale.label(int(v), lg)}",
            horizontal=True,
            disabled=locked,
            key=session.widget_key("level", criterion.id),
            on_change=_on_level,
            args=(criterion.id, session.widget_key("level", criterion.id)),
        )
        if level == NA:
            st.text_input(
                t("assess.justification"),
                value=answer.justification,
                placeholder=t("assess.justification_placeholder"),
                disabled=locked,
                key=session.widget_key("justification", criterion.id),
                on_change=_on_text,
                args=(criterion.id, "justification", session.widget_key("justification", criterion.id)),
            )
            if not answer.justification:
                st.warning(t("assess.justification_needed"), icon=":material/edit_note:")
        elif level is not None and int(level) in criterion.levels:
            st.info(localize(criterion.levels[int(level)], lg), icon=":material/check_circle:")
        if answer.origin and answer.given and not locked:
            st.button(t("assess.confirm"), key=session.widget_key("confirm", criterion.id), icon=":material/done:",
                      on_click=session.set_answer, args=(criterion.id,), type="tertiary")  # fmt: skip
        _details(standard, criterion, answer, locked)
        if refused := session.refusal(criterion.id):
            st.error(t("assess.refused", reason=refused), icon=":material/block:")
        if said := session.notice(criterion.id):
            st.info(t(said), icon=":material/sync:")
        for name, mine in session.conflict(criterion.id).items():
            st.warning(t("assess.text_conflict", field=t(f"assess.{name}_field")), icon=":material/sync_problem:")
            st.code(mine, language=None, wrap_lines=True)
    board.draw()


def _details(standard: Standard, criterion: Criterion, answer: Answer, locked: bool) -> None:
    lg = lang()
    if criterion.levels or criterion.guidance or criterion.evidence:
        with st.expander(t("assess.levels_and_guidance")):
            if criterion.levels:
                lines = [
                    f"- **{v} · {standard.scale.label(v, lg)}** — {localize(criterion.levels[v], lg)}"
                    for v in standard.scale.values
                    if v in criterion.levels
                ]
                st.markdown("\n".join(lines))
            if criterion.guidance:
                st.markdown(f"**{t('assess.guidance')}**  \n{localize(criterion.guidance, lg)}")
            if criterion.evidence:
                st.markdown(f"**{t('assess.evidence_examples')}**")
                st.markdown("\n".join(f"- {localize(e, lg)}" for e in criterion.evidence))
            if criterion.references:
                st.caption(f"{t('assess.references')}: " + "; ".join(criterion.references))
    # Keyed, so a full run that draws something new above the cards (an outage's warning) keeps it open: what the
    # evidence card has to say about a file not attached must stay in sight.
    with st.expander(t("assess.note_and_evidence"), key=f"notes-{criterion.id}"):
        st.text_area(
            t("assess.note"),
            value=answer.note,
            key=session.widget_key("note", criterion.id),
            disabled=locked,
            on_change=_on_text,
            args=(criterion.id, "note", session.widget_key("note", criterion.id)),
            height=80,
        )
        st.text_area(
            t("assess.evidence_links"),
            value="\n".join(answer.evidence),
            help=t("assess.evidence_links_help"),
            key=session.widget_key("evidence", criterion.id),
            disabled=locked,
            on_change=_on_text,
            args=(criterion.id, "evidence", session.widget_key("evidence", criterion.id)),
            height=80,
        )
        if answer.evidence:
            st.markdown(evidence_markdown(answer.evidence))
        card_documents(criterion.id, locked)
