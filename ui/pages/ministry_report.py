"""The report for the ministry: the association's figures of one standard version (campaign completion, readiness,
domain scores by cohort, shared gaps, change between rounds, support given, verification) as PDF and XLSX, in
Indonesian or English, every figure under the disclosure rules."""

import streamlit as st

from services.reports import MEDIA_TYPES
from ui import context
from ui.cohort_filters import standard_version
from ui.i18n import lang, t

LANGUAGES = {"id": "Bahasa Indonesia", "en": "English"}

st.title(t("ministry.title"))
st.write(t("ministry.intro"))

app, actor = context.app(), context.actor()
chosen = standard_version("ministry", app.ministry_report.versions(actor))
if chosen is None:
    st.stop()
campaigns = [c for c in app.campaigns.campaigns(actor) if (c.standard_id, c.standard_version) == tuple(chosen[:2])]
campaign = st.selectbox(t("ministry.campaign"), [None] + [c.id for c in campaigns], key="ministry-campaign",
                        format_func=lambda i: t("ministry.no_campaign") if i is None else
                        next(c.round_name for c in campaigns if c.id == i))  # fmt: skip
language = st.segmented_control(t("ministry.language"), list(LANGUAGES), default=lang(), format_func=LANGUAGES.get,
                                key="ministry-language", required=True)  # fmt: skip
st.caption(t("ministry.rule", threshold=app.settings.privacy_threshold))


def builder(fmt: str):
    """The file, built from what is stored when its button is clicked."""
    return lambda: app.ministry_report.report(actor, chosen[0], chosen[1], language, fmt, campaign)


stem = f"gapura-{chosen[0]}-{chosen[1]}-{language}"
d1, d2 = st.columns(2)
d1.download_button(t("ministry.download_pdf"), data=builder("pdf"), file_name=f"{stem}.pdf", mime=MEDIA_TYPES["pdf"],
                   icon=":material/picture_as_pdf:", width="stretch", on_click="ignore", type="primary",
                   help=t("ministry.help_pdf"))  # fmt: skip
d2.download_button(t("ministry.download_xlsx"), data=builder("xlsx"), file_name=f"{stem}.xlsx",
                   mime=MEDIA_TYPES["xlsx"], icon=":material/grid_on:", width="stretch", on_click="ignore",
                   help=t("ministry.help_xlsx"))  # fmt: skip
