"""Research data: the tidy and wide tables of one standard version, documented and pseudonymous, in the format a
researcher works with."""

import tempfile
from pathlib import Path

import streamlit as st

from scoring.formats import FORMATS
from scoring.formatting import decimal
from services.keys import KeyProblem
from services.research import Selection, zipped
from ui import context
from ui.cohort_filters import cohort, standard_version, suppressed_notice
from ui.i18n import lang, t
from ui.markdown import localize  # a standard's text as Markdown, without images

lg = lang()
st.title(t("research.title"))
st.write(t("research.intro"))

app, actor = context.app(), context.actor()
chosen = standard_version("research", app.research.versions(actor))
if chosen is None:
    st.stop()
standard_id, version = chosen
filters = cohort("research")
rounds = app.research.rounds(actor, standard_id, version)
c1, c2, c3 = st.columns(3)
round_ = c1.selectbox(t("members.round"), [None, *rounds], key="research-round",
                      format_func=lambda r: t("cohort.all") if r is None else t("rounds.round_label", n=r))  # fmt: skip
dates = c2.date_input(t("research.submitted_between"), value=[], key="research-dates")
fmt = c3.selectbox(t("research.format"), FORMATS, key="research-format", format_func=lambda f: t(f"research.fmt_{f}"))
with_names = False
if context.may("read", "research_names"):
    with_names = st.checkbox(t("research.with_names"), key="research-names", help=t("research.with_names_help"))
selection = Selection(standard_id, version, round_, filters,
                      submitted_from=dates[0] if len(dates) > 0 else None,
                      submitted_to=dates[1] if len(dates) > 1 else None)  # fmt: skip

key = (selection, fmt, with_names)
if st.button(t("research.build"), type="primary", icon=":material/dataset:", key="research-build"):
    bar = st.progress(0.0, text=t("research.building"))
    try:
        package = app.research.package(actor, selection, with_names=with_names)
    except KeyProblem as problem:  # the key of research ids is lost or not the one earlier files used
        context.reference(problem, "the key of research ids cannot be used")
        st.error(t("research.key_problem"), icon=":material/key_off:")
        st.stop()
    if package.refused is not None:
        st.session_state["research-file"] = (key, None, package.refused, package.organizations)
    else:
        # The package is written to a folder of this session (removed with it, or when the next one is built) and
        # read from disk only when the download is clicked: the session holds its path, never its bytes.
        folder = tempfile.TemporaryDirectory(prefix="gapura-research-")
        paths = app.research.write(package, fmt, Path(folder.name),
                                   lambda f: bar.progress(f, text=t("research.building")))  # fmt: skip
        stem = f"gapura-{standard_id}-{version}" + ("-with-names" if with_names else "")
        if len(paths) == 1:
            path = paths[0].rename(paths[0].with_name(f"{stem}{paths[0].suffix}"))
        else:
            path = zipped(paths, Path(folder.name) / f"{stem}-{fmt}.zip", f"{stem}-{fmt}")
            for part in paths:  # now inside the ZIP
                part.unlink()
        st.session_state["research-file"] = (key, (folder, path, len(package.dataset.wide), package.disclosure,
                                                   package.dataset.inflation_index), None, package.organizations)  # fmt: skip
    bar.empty()

built = st.session_state.get("research-file")
if built and built[0] == key:
    _, ready, refused, organizations = built
    if refused is not None:
        suppressed_notice(refused)
    else:
        _, path, assessments, statement, inflation = ready
        st.success(t("research.ready", assessments=assessments, organizations=organizations), icon=":material/check:")
        if statement is not None:
            st.caption(t("research.statement", k=statement.k, withheld=statement.suppressed.get("rows", 0),
                         release=statement.release))  # fmt: skip
        if inflation is not None:
            st.caption(t("research.inflation", index=decimal(inflation, lg, 3)))
        st.download_button(t("research.download", name=path.name), data=path.read_bytes,
                           file_name=path.name, key="research-download",
                           mime="application/zip" if path.suffix == ".zip" else "application/octet-stream",
                           icon=":material/download:", on_click="ignore", type="primary")  # fmt: skip
with st.expander(t("research.about")):
    standard = context.app().standard(standard_id, version)
    st.markdown(t("research.about_text", standard=localize(standard.title, lg) if standard else standard_id,
                  threshold=context.settings().privacy_threshold))  # fmt: skip
