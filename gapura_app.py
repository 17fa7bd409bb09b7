"""Gapura: page config, language, the sign-in gate and the navigation each role sees (served by app.py)."""

import streamlit as st
from streamlit.errors import FragmentHandledException

from services.app import unavailable
from services.policy import ANONYMOUS, Target
from ui import auth, context, errors, language
from ui.i18n import DEFAULT, LANGUAGES, t

st.set_page_config(page_title="Gapura", page_icon="ui/static/logo.svg", layout="wide")
# The language is kept in the page address too, so a reload or a shared link keeps it.
if "lang" not in st.session_state:
    st.session_state["lang"] = st.query_params.get("lang") if st.query_params.get("lang") in LANGUAGES else DEFAULT
if st.query_params.get("lang") != st.session_state["lang"]:
    st.query_params["lang"] = st.session_state["lang"]
if st.session_state.get("lang-choice") != st.session_state["lang"]:  # unselected, or the account's language
    st.session_state["lang-choice"] = st.session_state["lang"]


def _set_language() -> None:
    if st.session_state.get("lang-choice"):
        language.choose(st.session_state["lang-choice"])
        language.remember(st.session_state["lang-choice"])


with st.sidebar:
    st.segmented_control(
        "Bahasa / Language", list(LANGUAGES), format_func=LANGUAGES.get, key="lang-choice",
        on_change=_set_language, label_visibility="collapsed",
    )  # fmt: skip
st.logo("ui/static/logo.svg", size="large")

try:
    st.session_state[context.ACTOR] = auth.gate()  # a signed-out visitor sees only the sign-in page, everywhere
    language.apply_stored(st.session_state[context.ACTOR])
except Exception as exc:
    # The database went away: a tab signed in before keeps its user (nothing can be read or written meanwhile,
    # and its unsaved answers stay in the browser); any other visitor is told, with no server detail.
    if not unavailable(exc):
        raise
    if not st.session_state.get(context.ACTOR, ANONYMOUS).signed_in:
        context.unreachable(exc, "the sign-in check could not reach the database")
    st.warning(t("db.offline", ref=context.reference(exc, "the sign-in check could not reach the database")),
               icon=":material/cloud_off:")  # fmt: skip
may = context.may
pages = {}
if st.session_state[context.ACTOR].organizations or may("write", "assessment", Target(association=True)):
    pages[t("nav.assess")] = [
        st.Page("ui/pages/assess.py", title=t("nav.self_assessment"), icon=":material/edit_note:", default=True),
        st.Page("ui/pages/results.py", title=t("nav.results"), icon=":material/insights:"),
    ]
# The evidence register: a company's own documents, or (officers) every member's.
register = st.Page("ui/pages/evidence.py", title=t("evidence.nav"), icon=":material/folder_open:")
if st.session_state[context.ACTOR].organizations:
    pages[t("nav.assess")].append(register)
# A company's own Gapura shows no association's, research or demo pages (services/serving.py); with the database
# away, the tab keeps the menus it had.
try:
    st.session_state["serves-menus"] = context.app().serving.serves()
except Exception as exc:
    if not unavailable(exc):
        raise
for_members = st.session_state.get("serves-menus", "association") == "association"
association = []
if for_members and may("write", "assessment", Target(association=True)):
    association.append(
        st.Page("ui/pages/association.py", title=t("nav.association_readiness"), icon=":material/groups:")
    )
if for_members and may("read", "member_overview"):
    association += [
        st.Page("ui/pages/members.py", title=t("nav.members"), icon=":material/view_list:"),
        st.Page("ui/pages/compare.py", title=t("nav.compare"), icon=":material/grid_view:"),
        st.Page("ui/pages/progress.py", title=t("nav.progress"), icon=":material/trending_up:"),
    ]
if for_members and may("read", "association_report"):
    association.append(
        st.Page("ui/pages/ministry_report.py", title=t("nav.ministry_report"), icon=":material/account_balance:")
    )
if for_members and may("read", "evidence") and not st.session_state[context.ACTOR].organizations:
    association.append(register)
if for_members and may("read", "support"):
    association.append(st.Page("ui/pages/support.py", title=t("nav.support"), icon=":material/volunteer_activism:"))
if for_members and may("read", "campaign"):
    association.append(st.Page("ui/pages/campaigns.py", title=t("nav.campaigns"), icon=":material/campaign:"))
# Verifying members' submitted assessments: officers and verifiers (a company reads its own on Results).
if for_members and may("read", "verification"):
    association.append(st.Page("ui/pages/verify.py", title=t("nav.verify"), icon=":material/fact_check:"))
if for_members and may("write", "import"):
    association.append(st.Page("ui/pages/import_files.py", title=t("nav.import"), icon=":material/upload_file:"))
if association:
    pages[t("nav.association")] = association
research = []
if for_members and may("read", "aggregates"):
    research.append(st.Page("ui/pages/shared_gaps.py", title=t("nav.shared_gaps"), icon=":material/troubleshoot:"))
if for_members and may("read", "research_data"):
    research.append(st.Page("ui/pages/research_data.py", title=t("nav.research_data"), icon=":material/dataset:"))
if research:
    pages[t("nav.research")] = research
pages[t("nav.library")] = [st.Page("ui/pages/standards.py", title=t("nav.standards"), icon=":material/menu_book:")]
admin = []
if may("write", "accounts"):
    admin.append(st.Page("ui/pages/people.py", title=t("nav.people"), icon=":material/group_add:"))
if may("write", "personal_data"):
    admin.append(st.Page("ui/pages/organizations.py", title=t("nav.organizations"), icon=":material/domain:"))
if may("write", "standards_admin"):
    admin.append(st.Page("ui/pages/standards_admin.py", title=t("nav.standards_admin"), icon=":material/library_add:"))
if may("read", "audit_log"):
    admin.append(st.Page("ui/pages/audit_log.py", title=t("nav.audit_log"), icon=":material/history:"))
if admin:
    pages[t("nav.admin")] = admin
pages[t("nav.account")] = [st.Page("ui/pages/account.py", title=t("nav.my_account"), icon=":material/person:")]
navigation = st.navigation(pages, expanded=True)  # every page a role has, never behind "View more"

try:
    if "admin" in st.session_state[context.ACTOR].roles:
        # After an upgrade from before accounts, organizations have no members until an admin invites their people.
        without = context.app().accounts.organizations_without_members(st.session_state[context.ACTOR])
        if without:
            with st.sidebar:
                st.warning(t("organizations.without_members", n=without), icon=":material/person_off:")
                st.page_link("ui/pages/people.py", label=t("nav.people"), icon=":material/group_add:")
    navigation.run()
except FragmentHandledException:
    raise  # a fragment's failure was shown in its place, by the same handler (app.py)
except Exception as exc:  # every page's failure reaches the one handler, as callbacks' do (app.py)
    errors.show(exc)
