"""Import many assessment files at once (officers collecting members' files) with a report per file; export them."""

import pandas as pd
import streamlit as st

from scoring.export import to_csv
from scoring.formatting import number
from scoring.model import localize
from ui import context
from ui.context import library
from ui.i18n import lang, t
from ui.import_report import reason
from ui.uploads import file_uploader

st.title(t("import.title"))
st.write(t("import.intro"))

uploads = file_uploader(t("import.label"), ["json", "zip"], accept_multiple_files=True, key="import-files")
if st.button(t("import.run"), type="primary", disabled=not uploads, icon=":material/upload:"):
    files = [(u.name, u.getvalue()) for u in uploads]
    bar = st.progress(0.0, text=t("import.working", done=0, total=len(files)))
    lines = []
    for line in context.app().transfer.import_files(context.actor(), files):
        lines.append(line)
        done = min(len(lines), len(files))
        bar.progress(done / len(files), text=t("import.working", done=done, total=len(files)))
    bar.empty()
    st.session_state["import-report"] = lines

lines = st.session_state.get("import-report")
if lines:
    counts = {k: sum(line.outcome == k for line in lines) for k in ("imported", "duplicate", "skipped")}
    notice = st.warning if counts["skipped"] else st.success
    notice(t("import.summary", **counts), icon=":material/warning:" if counts["skipped"] else ":material/task_alt:")
    c1, c2, c3 = st.columns(3)
    c1.metric(t("import.imported"), number(counts["imported"], lang()), border=True)
    c2.metric(t("import.duplicate"), number(counts["duplicate"], lang()), border=True)
    c3.metric(t("import.skipped"), number(counts["skipped"], lang()), border=True)
    outcome = {k: t(f"import.{k}") for k in counts}

    report = pd.DataFrame([
        {t("import.col_file"): line.file, t("import.col_outcome"): outcome[line.outcome],
         t("import.col_reason"): reason(line), t("import.col_organization"): line.organization,
         t("import.col_standard"): line.standard, t("import.col_answers"): line.answers}
        for line in lines
    ])  # fmt: skip
    st.dataframe(report, hide_index=True)
    st.download_button(t("import.download_report"), data=to_csv(report), file_name="import-report.csv",
                       mime="text/csv", icon=":material/download:", on_click="ignore")  # fmt: skip

st.divider()
st.subheader(t("export.heading"))
transfer = context.app().transfer
stored, ids = transfer.stored_count(context.actor())
st.write(t("export.intro", n=stored))
choice = st.selectbox(t("export.standard"), [""] + ids, key="export-standard",
                      format_func=lambda s: t("export.all") if not s else localize(library().get(s).title, lang())
                      if library().get(s) else s)  # fmt: skip

if st.button(t("export.build"), disabled=not stored, icon=":material/folder_zip:", key="export-build"):
    bar = st.progress(0.0, text=t("export.working", done=0, total=stored))
    shown = [0]

    def step(done: int, total: int) -> None:
        percent = done * 100 // total
        if percent != shown[0]:  # a hundred updates at most, however many assessments
            shown[0] = percent
            bar.progress(done / total, text=t("export.working", done=done, total=total))

    archive, count = transfer.export_zip(context.actor(), choice or None, progress=step)
    bar.empty()
    st.session_state["export-archive"] = (choice, archive, count)

built = st.session_state.get("export-archive")
if built and built[0] == choice:
    _, archive, count = built
    st.success(t("export.ready", n=count), icon=":material/task_alt:")
    st.download_button(t("export.download"), data=archive, file_name=f"gapura-{choice or 'all'}-assessments.zip",
                       mime="application/zip", icon=":material/download:", on_click="ignore", key="export-download")  # fmt: skip
