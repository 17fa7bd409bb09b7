"""Standards admin: upload a standard file through the validator, publish it, retire a version; who published and
retired each, and the standards files that differ from what is published."""

import streamlit as st

from scoring.formatting import day
from services.standards import SEEDED_BY
from ui import context
from ui.i18n import lang, t
from ui.markdown import localize  # a standard's text as Markdown, without images
from ui.uploads import file_uploader

lg = lang()
actor = context.actor()
admin = context.app().library_admin
st.title(t("standards_admin.title"))
st.write(t("standards_admin.intro"))

upload = file_uploader(t("standards_admin.upload"), ["json"], key="standard-upload")
if upload is not None:
    raw = upload.getvalue()
    report = admin.check(actor, upload.name, raw)
    if report.errors:
        st.error(t("standards_admin.invalid", n=len(report.errors)), icon=":material/error:")
        st.markdown("\n".join(f"- `{i.path or '$'}`: {i.message(lg)}" for i in report.errors[:50]))
    else:
        std = report.standard
        st.success(t("standards_admin.valid", title=localize(std.title, lg), version=std.version,
                     n=std.criteria_count), icon=":material/task_alt:")  # fmt: skip
        if report.warnings:
            with st.expander(t("standards_admin.warnings", n=len(report.warnings))):
                st.markdown("\n".join(f"- `{i.path or '$'}`: {i.message(lg)}" for i in report.warnings[:50]))
        if st.button(t("standards_admin.publish"), type="primary", icon=":material/publish:"):
            published = admin.publish(actor, upload.name, raw)
            if published.valid:
                st.toast(t("standards_admin.published"), icon=":material/check:")
                st.session_state.pop("standard-upload", None)
                st.rerun()
            st.error("\n".join(i.message(lg) for i in published.errors))

st.subheader(t("standards_admin.versions"))
library = context.library()
for row in admin.versions():
    std = library.get(row.standard_id, row.version)
    left, right = st.columns([4, 1], vertical_alignment="center")
    left.markdown(f"**{localize(std.title, lg) if std else row.file}** · `{row.standard_id}` {row.version}")
    when = [t("standards_admin.seeded", day=day(row.published_at, lg)) if row.published_by == SEEDED_BY else
            t("standards_admin.published_by", who=row.published_by, day=day(row.published_at, lg))]  # fmt: skip
    if row.retired:
        when.append(t("standards_admin.retired_by", who=row.retired_by, day=day(row.retired_at, lg)))
    left.caption(" · ".join(when))
    right.button(t("standards_admin.unretire" if row.retired else "standards_admin.retire"), key=f"retire-{row.standard_id}-{row.version}",
                 on_click=admin.retire, args=(actor, row.standard_id, row.version, not row.retired), width="stretch")  # fmt: skip

changed = context.app().standards.changed()
if changed:
    st.subheader(t("standards.changed_heading", n=len(changed)))
    for c in changed:
        st.warning(
            t("standards.changed_file", file=c.file, id=c.standard_id, version=c.version), icon=":material/warning:"
        )
