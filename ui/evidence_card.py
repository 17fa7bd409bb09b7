"""The evidence part of a criterion card: the documents attached to it (download, expiry, remove) and an uploader
for a PDF, JPEG or PNG with an optional expiry date. A file is attached the moment it is uploaded, like an answer."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import streamlit as st

from scoring.evidence import Document
from scoring.formatting import day, megabytes, number
from services.app import unavailable
from services.assessing import OpenAssessment, Refused
from ui import context, session
from ui.http import release
from ui.i18n import lang, t
from ui.plain import plain
from ui.uploads import file_uploader

KINDS = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG"}
REFUSED = "evidence-refused"  # criterion id -> why the last upload or change was refused, in the user's language
ATTACHED = "evidence-attached"  # criterion id -> the name of the file just attached
NOT_SAVED = "evidence-not-saved"  # criterion id -> (i18n key, file name) of a change the database was away for
DOCUMENTS = "evidence-documents"  # (whose, criterion id -> documents): the open assessment's, read once for the cards


def _generation(criterion_id: str) -> int:
    """Bumped after each upload, so the uploader is drawn empty (and Streamlit lets go of the file's bytes), and after
    an expiry date not stored, so its picker shows the stored one."""
    return st.session_state.get(f"evidence-gen-{criterion_id}", 0)


def _redraw(criterion_id: str) -> None:
    """The card's uploader and date pickers are drawn afresh (new keys) on its next run."""
    st.session_state[f"evidence-gen-{criterion_id}"] = _generation(criterion_id) + 1


def reread_documents() -> None:
    """The cards read the documents again on their next run: called on every full run of the page, so another
    tab's or replica's upload or removal shows at the latest then (a card's own rerun reuses what was read)."""
    st.session_state.pop(DOCUMENTS, None)


def _documents(work: OpenAssessment, criterion_id: str) -> list[Document]:
    """The documents behind one criterion, from one query for the whole assessment per full run of the page rather
    than one per card; kept for this user and assessment only, and read again after this tab's own writes."""
    whose = (context.actor().user_id, work.organization_id, work.assessment_id)
    held = st.session_state.get(DOCUMENTS)
    if held is None or held[0] != whose:
        by_criterion = defaultdict(list)
        for document in context.app().evidence.documents(context.actor(), work):
            by_criterion[document.criterion_id].append(document)
        held = st.session_state[DOCUMENTS] = (whose, dict(by_criterion))
    return held[1].get(criterion_id, [])


def _write(criterion_id: str, write, name: str, not_saved: str) -> bool:
    """Make one change to the card's documents; a refusal, or the database being away, is kept for the card to say
    (the message `not_saved`, an i18n key, about the file `name`) until the card's next change."""
    for said in (REFUSED, NOT_SAVED):
        st.session_state.setdefault(said, {}).pop(criterion_id, None)
    reread_documents()
    try:
        write()
    except Refused as exc:
        st.session_state[REFUSED][criterion_id] = exc.issues[0].message(lang())
        return False
    except Exception as exc:
        if not unavailable(exc):
            raise
        # Told on the card, not by the page's error handler: a page rerun when the database returns drops that one.
        context.reference(exc, f"a document change on {criterion_id} could not reach the database")
        st.session_state[NOT_SAVED][criterion_id] = (not_saved, name)
        return False
    return True


def _attach(criterion_id: str, file_key: str, expiry_key: str) -> None:
    upload = st.session_state.get(file_key)
    if upload is None:
        return
    work, actor = session.current(), context.actor()

    def attach() -> None:
        context.app().evidence.attach(actor, work, criterion_id, upload.name, upload.getvalue(),
                                      st.session_state.get(expiry_key))  # fmt: skip

    try:
        if _write(criterion_id, attach, upload.name, "evidence.not_attached"):
            st.session_state.setdefault(ATTACHED, {})[criterion_id] = upload.name
    finally:  # stored or not, the tab's upload budget no longer holds the file and the uploader is drawn empty
        release(upload)
        _redraw(criterion_id)


def _set_expiry(criterion_id: str, document: Document, key: str) -> None:
    work, actor = session.current(), context.actor()

    def set_expiry() -> None:
        context.app().evidence.set_expiry(actor, work, document.id, st.session_state[key])

    if not _write(criterion_id, set_expiry, document.name, "evidence.expiry_not_saved"):
        _redraw(criterion_id)  # the date picker shows the stored date again, not the one that was not saved


def _remove(criterion_id: str, document: Document) -> None:
    work, actor = session.current(), context.actor()
    _write(criterion_id, lambda: context.app().evidence.remove(actor, work, document.id), document.name,
           "evidence.not_removed")  # fmt: skip


def _told(criterion_id: str) -> None:
    """What became of this card's last upload or change, when there is something to say."""
    if refused := st.session_state.get(REFUSED, {}).get(criterion_id):
        st.error(t("evidence.refused", reason=refused), icon=":material/block:")
    if not_saved := st.session_state.get(NOT_SAVED, {}).get(criterion_id):
        key, name = not_saved
        st.error(t(key, name=plain(name)), icon=":material/cloud_off:")
    if attached := st.session_state.get(ATTACHED, {}).pop(criterion_id, None):
        st.success(t("evidence.attached", name=plain(attached)), icon=":material/attach_file:")


def flag_badge(document: Document, today: date) -> str:
    """A coloured badge (Markdown) for an expired or soon expiring document; empty otherwise."""
    flag = document.flag(today)
    if flag == "expired":
        return f":red-badge[:material/event_busy: {t('evidence.expired')}]"
    if flag == "expiring":
        return f":orange-badge[:material/schedule: {t('evidence.expiring')}]"
    return ""


def described(document: Document) -> str:
    """Its kind, size and expiry in words: 'PDF · 1,2 MB · berlaku sampai 26 November 2026'."""
    lg = lang()
    parts = [KINDS.get(document.media_type, document.media_type), megabytes(document.size, lg)]
    parts.append(t("evidence.valid_until", day=day(document.expires_on, lg)) if document.expires_on
                 else t("evidence.no_expiry"))  # fmt: skip
    return " · ".join(parts)


def download_button(document: Document, key: str) -> None:
    """Downloads the document's bytes when clicked (read then, and audited), never when the page is drawn."""
    evidence, actor = context.app().evidence, context.actor()
    st.download_button(
        t("evidence.download"), data=lambda: evidence.content(actor, document.id).data, file_name=document.name,
        mime=document.media_type, on_click="ignore", icon=":material/download:", key=key, type="tertiary",
    )  # fmt: skip


def card_documents(criterion_id: str, locked: bool) -> None:
    """The documents behind this criterion and, unless the assessment is read-only here, the uploader."""
    work = session.current()
    if work is None:
        return
    today = date.today()
    st.markdown(f"**{t('evidence.files_heading')}**")
    try:
        documents = _documents(work, criterion_id)
    except Exception as exc:
        if not unavailable(exc):
            raise
        # The card's answer, note and unsaved-state still show: only its documents wait for the database.
        st.caption(t("evidence.unavailable"))
        _told(criterion_id)
        return
    if not documents:
        st.caption(t("evidence.none_yet"))
    for document in documents:
        with st.container(key=f"evidence-doc-{document.id}"):
            st.markdown(f":material/description: {plain(document.name)} {flag_badge(document, today)}")
            st.caption(described(document))
            with st.container(horizontal=True, vertical_alignment="center", gap="small"):
                download_button(document, key=f"evidence-download-{criterion_id}-{document.id}")
                if not locked:
                    with st.popover(t("evidence.change"), icon=":material/edit_calendar:"):
                        expiry_key = f"evidence-expiry-{document.id}-{_generation(criterion_id)}"
                        st.date_input(t("evidence.expiry_label"), value=document.expires_on, key=expiry_key,
                                      format="DD/MM/YYYY", on_change=_set_expiry,
                                      args=(criterion_id, document, expiry_key))  # fmt: skip
                        st.button(t("evidence.remove"), icon=":material/delete:", key=f"evidence-remove-{document.id}",
                                  on_click=_remove, args=(criterion_id, document))  # fmt: skip
    _told(criterion_id)
    if locked:
        if session.may_change():
            st.caption(t("evidence.locked"))
        return
    generation = _generation(criterion_id)
    file_key, expiry_key = (
        f"evidence-file-{criterion_id}-{generation}",
        f"evidence-new-expiry-{criterion_id}-{generation}",
    )
    st.date_input(t("evidence.new_expiry_label"), value=None, key=expiry_key, format="DD/MM/YYYY",
                  help=t("evidence.expiry_help"), width=420)  # fmt: skip
    file_uploader(t("evidence.upload_label"), ["pdf", "jpg", "jpeg", "png"], key=file_key,
                  limit_mb=context.settings().evidence_mb, on_change=_attach,
                  args=(criterion_id, file_key, expiry_key))  # fmt: skip
    st.caption(t("evidence.upload_help", mb=number(context.settings().evidence_mb, lang())))
