"""Evidence register: every document a company attached, across standards and rounds, with expired and soon
expiring ones flagged, each to download; and the evidence links written in the answers."""

from datetime import date

import streamlit as st

from scoring.formatting import number
from ui import context
from ui.evidence_card import described, download_button, flag_badge
from ui.i18n import lang, t
from ui.links import evidence_markdown
from ui.markdown import localize  # a standard's text as Markdown, without images
from ui.plain import plain

lg = lang()
app, actor = context.app(), context.actor()
today = date.today()
st.title(t("evidence.title"))
st.write(t("evidence.intro"))

places = app.evidence.organizations(actor)
if not places:
    st.info(t("evidence.none"))
    st.stop()
if len(places) > 1:
    place = st.selectbox(t("evidence.organization"), places, format_func=lambda p: p[1], key="evidence-organization")
else:
    place = places[0]
    st.text(place[1])  # a name is the company's own text: shown as text, never as Markdown
organization_id = place[0]

register = app.evidence.register(actor, organization_id)
expired = sum(f.document.flag(today) == "expired" for f in register)
expiring = sum(f.document.flag(today) == "expiring" for f in register)
counts = st.columns(3)
counts[0].metric(t("evidence.count"), number(len(register), lg), border=True)
counts[1].metric(t("evidence.count_expired"), number(expired, lg), border=True)
counts[2].metric(t("evidence.count_expiring"), number(expiring, lg), border=True)

if not register:
    st.info(t("evidence.none"), icon=":material/attach_file:")
else:
    only_flagged = st.toggle(t("evidence.only_flagged"), key="evidence-only-flagged", value=bool(expired or expiring))
    shown = [f for f in register if not only_flagged or f.document.flag(today)]
    if not shown:
        st.success(t("evidence.nothing_flagged"), icon=":material/task_alt:")
    for standard_id in dict.fromkeys(f.standard_id for f in shown):
        latest = app.standard(standard_id)
        st.subheader(localize(latest.title, lg) if latest else standard_id)
        for filed in (f for f in shown if f.standard_id == standard_id):
            document = filed.document
            version = app.standard(standard_id, filed.standard_version) if filed.standard_version else latest
            criterion = version.criterion(document.criterion_id) if version else None
            title = localize(criterion.title, lg) if criterion else t("evidence.standard_gone")
            with st.container(border=True, key=f"register-{document.id}"):
                left, right = st.columns([4, 1], vertical_alignment="center")
                left.markdown(f":material/description: **{plain(document.name)}** {flag_badge(document, today)}")
                where = f"`{document.criterion_id}` {title}"
                if filed.round is not None:
                    where += f" · {t('evidence.round', round=filed.round)}"
                left.markdown(where)
                left.caption(described(document))
                with right:
                    download_button(document, key=f"register-download-{document.id}")

latest_rounds = {}
for summary in app.assessing.list(actor, organization_id):  # the latest round of each standard
    if summary.round > getattr(latest_rounds.get(summary.standard_id), "round", 0):
        latest_rounds[summary.standard_id] = summary
written = []
for summary in latest_rounds.values():
    work = app.assessing.open(actor, organization_id, summary.id)
    lines = {cid: answer.evidence for cid, answer in work.answers.items() if answer.evidence}
    if lines and work.standard is not None:
        written.append((work.standard, work.round, lines))
if written:
    st.subheader(t("evidence.links_heading"))
    st.caption(t("evidence.links_intro"))
    for standard, round_, lines in written:
        st.markdown(f"**{localize(standard.title, lg)}** · {t('evidence.round', round=round_)}")
        for _, criterion in standard.criteria():
            if criterion.id in lines:
                st.markdown(f"`{criterion.id}` {localize(criterion.title, lg)}")
                st.markdown(evidence_markdown(lines[criterion.id]))
