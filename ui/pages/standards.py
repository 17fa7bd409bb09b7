"""Standards library: what can be assessed, and which files failed validation and why."""

import streamlit as st

from scoring.model import localize
from ui.i18n import lang, t
from ui.library import library

lg = lang()
st.title(t("standards.title"))
st.write(t("standards.intro"))

lib = library()
query = st.text_input(t("standards.search"), placeholder=t("standards.search_placeholder"), key="standards-search")
needle = query.strip().lower()


def matches(std) -> bool:
    if not needle:
        return True
    texts = [std.id, localize(std.title, lg), localize(std.description, lg), std.publisher or ""]
    for domain, criterion in std.criteria():
        texts += [localize(domain.title, lg), criterion.id, localize(criterion.title, lg), *criterion.references]
    return any(needle in text.lower() for text in texts)


shown = [s for s in lib.standards if matches(s)]
c1, c2 = st.columns(2)
c1.metric(t("standards.count"), len(lib.standards), border=True)
c2.metric(t("standards.criteria_count"), sum(s.criteria_count for s in lib.standards), border=True)

st.dataframe(
    [
        {
            t("standards.col_title"): localize(s.title, lg),
            t("standards.col_version"): s.version,
            t("standards.col_domains"): len(s.domains),
            t("standards.col_criteria"): s.criteria_count,
            t("standards.col_mandatory"): sum(c.mandatory for _, c in s.criteria()),
        }
        for s in shown
    ],
    hide_index=True,
)
if needle and not shown:
    st.info(t("standards.no_match", query=query))

for std in shown:
    with st.expander(f"{localize(std.title, lg)} · {std.version}", icon=":material/menu_book:"):
        if std.description:
            st.write(localize(std.description, lg))
        if std.publisher:
            st.caption(f"{t('standards.col_publisher')}: {std.publisher}")
        if std.source:
            st.caption(
                f"{t('standards.source')}: {std.source.name}" + (f" — {std.source.note}" if std.source.note else "")
            )
        for domain in std.domains:
            hits = [c for c in domain.criteria if not needle or needle in (c.id + " " + localize(c.title, lg)).lower()]
            st.markdown(f"**{localize(domain.title, lg)}** · {t('standards.criteria_n', n=len(domain.criteria))}")
            st.markdown("\n".join(
                f"- `{c.id}` {localize(c.title, lg)}" + (f" :red-badge[{t('assess.mandatory')}]" if c.mandatory else "")
                for c in (hits or domain.criteria)
            ))  # fmt: skip

failed = lib.failed
if failed:
    st.subheader(t("standards.failed_heading", n=len(failed)))
    st.write(t("standards.failed_intro"))
    for report in failed:
        with st.expander(report.file, icon=":material/error:", expanded=True):
            st.markdown("\n".join(f"- `{i.path or '$'}`: {i.message}" for i in report.errors[:50]))
            if len(report.errors) > 50:
                st.caption(t("standards.more_errors", n=len(report.errors) - 50))
