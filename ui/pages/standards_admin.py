"""Standards admin: upload a standard file through the validator, publish it, retire a version."""

import streamlit as st

from scoring.versions import version_key
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
retired = admin.retired()
for std in sorted(context.library().standards, key=lambda s: (s.id, version_key(s.version))):
    left, right = st.columns([4, 1], vertical_alignment="center")
    left.markdown(f"**{localize(std.title, lg)}** · `{std.id}` {std.version}")
    is_retired = std.key in retired
    right.button(t("standards_admin.unretire" if is_retired else "standards_admin.retire"), key=f"retire-{std.id}-{std.version}",
                 on_click=admin.retire, args=(actor, std.id, std.version, not is_retired), width="stretch")  # fmt: skip
