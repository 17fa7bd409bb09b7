"""Standards library: the standards, every criterion across them, the crosswalk of shared capabilities, and files
that need fixing (failed, linted, or differing from the published version of their id and version)."""

import streamlit as st

from reports.charts import crosswalk
from scoring.crosswalk import matrix
from scoring.profile import SEGMENTS
from ui import chart, context
from ui.context import library, shown_path
from ui.i18n import lang, t
from ui.markdown import localize  # a standard's text as Markdown, without images

lg = lang()
st.title(t("standards.title"))
st.write(t("standards.intro"))

lib = library()
standards = {s.id: lib.get(s.id) for s in lib.standards}  # the latest version of each
capability_title = {cid: localize(title, lg) for cid, title in lib.capabilities.items()}
c1, c2, c3 = st.columns(3)
c1.metric(t("standards.count"), len(standards), border=True)
c2.metric(t("standards.criteria_count"), sum(s.criteria_count for s in standards.values()), border=True)
table = matrix(standards.values())
shared = [] if table.empty else list(table.index[(table > 0).sum(axis=1) >= 2])
c3.metric(t("standards.shared_count"), len(shared), border=True, help=t("standards.shared_help"))

tab_standards, tab_criteria, tab_crosswalk = st.tabs(
    [t("standards.tab_standards"), t("standards.tab_criteria"), t("standards.tab_crosswalk")]
)

with tab_standards:
    subject = {"organization": t("standards.subject_organization"), "association": t("standards.subject_association")}
    st.dataframe(
        [
            {
                t("standards.col_title"): localize(s.title, lg),
                t("standards.col_subject"): subject[s.subject],
                t("standards.col_version"): ", ".join(v.version for v in lib.versions(s.id)),
                t("standards.col_domains"): len(s.domains),
                t("standards.col_criteria"): s.criteria_count,
                t("standards.col_mandatory"): sum(c.mandatory for _, c in s.criteria()),
            }
            for s in standards.values()
        ],
        hide_index=True,
    )
    for std in standards.values():
        with st.expander(f"{localize(std.title, lg)} · {std.version}", icon=":material/menu_book:"):
            st.caption(f"{t('standards.col_subject')}: {subject[std.subject]}")
            if std.description:
                st.write(localize(std.description, lg))
            if std.publisher:
                st.caption(f"{t('standards.col_publisher')}: {std.publisher}")
            if std.source:
                st.caption(
                    f"{t('standards.source')}: {std.source.name}" + (f" — {std.source.note}" if std.source.note else "")
                )
            for domain in std.domains:
                st.markdown(f"**{localize(domain.title, lg)}** · {t('standards.criteria_n', n=len(domain.criteria))}")

with tab_criteria:
    query = st.text_input(t("standards.search"), placeholder=t("standards.search_placeholder"), key="standards-search")
    f1, f2, f3 = st.columns(3)
    chosen = f1.multiselect(t("standards.filter_standard"), list(standards),
                            format_func=lambda s: localize(standards[s].title, lg), key="filter-standard", placeholder=t("profile.choose"), select_all=False)  # fmt: skip
    domains = {(s.id, d.id): f"{localize(s.title, lg)} · {localize(d.title, lg)}" for s in standards.values()
               for d in s.domains if not chosen or s.id in chosen}  # fmt: skip
    chosen_domains = f1.multiselect(t("standards.filter_domain"), list(domains), format_func=domains.get,
                                    key="filter-domain", placeholder=t("profile.choose"), select_all=False)  # fmt: skip
    chosen_caps = f2.multiselect(t("standards.filter_capability"), sorted(capability_title, key=capability_title.get),
                                 format_func=capability_title.get, key="filter-capability", placeholder=t("profile.choose"), select_all=False)  # fmt: skip
    chosen_segments = f3.multiselect(t("standards.filter_segment"), list(SEGMENTS),
                                     format_func=lambda s: SEGMENTS[s][lg], key="filter-segment", placeholder=t("profile.choose"), select_all=False)  # fmt: skip
    needle = query.strip().casefold()
    rows = []
    for std in standards.values():
        if chosen and std.id not in chosen:
            continue
        for domain, c in std.criteria():
            if chosen_domains and (std.id, domain.id) not in chosen_domains:
                continue
            if chosen_caps and not set(chosen_caps) & set(c.capabilities):
                continue
            if chosen_segments and c.applies_to and not set(chosen_segments) & set(c.applies_to):
                continue
            texts = [c.id, localize(c.title, lg), localize(c.description, lg), *c.references,
                     *(capability_title.get(x, x) for x in c.capabilities)]  # fmt: skip
            if needle and not any(needle in text.casefold() for text in texts):
                continue
            rows.append({
                t("standards.col_criterion"): f"{c.id} · {localize(c.title, lg)}",
                t("standards.col_title"): localize(std.title, lg),
                t("standards.col_domain"): localize(domain.title, lg),
                t("standards.col_mandatory"): c.mandatory,
                t("standards.col_capabilities"): ", ".join(capability_title.get(x, x) for x in c.capabilities),
                t("standards.col_segments"): ", ".join(SEGMENTS[s][lg] for s in c.applies_to if s in SEGMENTS)
                or t("standards.all_segments"),
                t("standards.col_references"): "; ".join(c.references),
            })  # fmt: skip
    st.caption(t("standards.criteria_found", n=len(rows)))
    if rows:
        st.dataframe(rows, hide_index=True, column_config={
            t("standards.col_mandatory"): st.column_config.CheckboxColumn(t("standards.col_mandatory")),
        })  # fmt: skip
    else:
        st.info(t("standards.no_match", query=query or "…"))

with tab_crosswalk:
    st.write(t("standards.crosswalk_intro"))
    if shared:
        view = table.loc[shared]
        fig = crosswalk([capability_title.get(c, c) for c in view.index], [localize(standards[s].title, lg) for s in view.columns],
                        view.to_numpy().tolist(), "", t("standards.criteria_word"))  # fmt: skip
        chart.show(t("standards.crosswalk_title", n=len(shared)), fig, None, "crosswalk")  # its table is under it
        st.dataframe(
            view.rename(index=capability_title, columns={s: localize(standards[s].title, lg) for s in view.columns})
        )
    else:
        st.info(t("standards.crosswalk_none"))

failed = lib.failed
linted = [r for r in lib.reports if r.valid and r.warnings]
if failed:
    st.subheader(t("standards.failed_heading", n=len(failed)))
    st.write(t("standards.failed_intro"))
    for report in failed:
        with st.expander(shown_path(report.file), icon=":material/error:", expanded=True):
            st.markdown("\n".join(f"- `{i.path or '$'}`: {i.message(lg)}" for i in report.errors[:50]))
            if len(report.errors) > 50:
                st.caption(t("standards.more_errors", n=len(report.errors) - 50))
if linted:
    st.subheader(t("standards.lint_heading", n=len(linted)))
    st.write(t("standards.lint_intro"))
    for report in linted:
        with st.expander(f"{shown_path(report.file)} · {len(report.warnings)}", icon=":material/rule:"):
            st.markdown("\n".join(f"- `{i.path or '$'}`: {i.message(lg)}" for i in report.warnings[:50]))

changed = context.app().standards.changed()
if changed:
    st.subheader(t("standards.changed_heading", n=len(changed)))
    st.write(t("standards.changed_intro"))
    for c in changed:
        st.warning(
            t("standards.changed_file", file=c.file, id=c.standard_id, version=c.version), icon=":material/warning:"
        )
