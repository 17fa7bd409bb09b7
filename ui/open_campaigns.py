"""The member's box on its first page: each open campaign it is invited to, its deadline, the days left and where
it stands."""

from __future__ import annotations

import streamlit as st

from scoring.formatting import day
from scoring.model import localize
from ui import context
from ui.i18n import lang, t
from ui.plain import plain

BADGE = {"invited": "gray", "signed_up": "gray", "started": "orange", "submitted": "green", "verified": "green"}


def open_campaigns() -> None:
    actor = context.actor()
    if not actor.organizations:
        return
    lg = lang()
    found = context.app().campaigns.open_for(actor)
    if not found:
        return
    names = (
        {i: name for i, name, _ in context.app().assessing.organizations(actor)} if len(actor.organizations) > 1 else {}
    )
    with st.container(border=True, key="open-campaigns"):
        st.markdown(f"**{t('my_campaigns.heading')}**")
        for campaign in found:
            standard = context.app().standard(campaign.standard_id, campaign.standard_version)
            title = localize(standard.title, lg) if standard else campaign.standard_id
            if campaign.stage in ("submitted", "verified"):
                when = t("my_campaigns.done")
            elif campaign.overdue:
                when = t("my_campaigns.overdue", n=-campaign.days_left)
            elif campaign.days_left == 0:
                when = t("my_campaigns.today")
            else:
                when = t("my_campaigns.days_left", n=campaign.days_left)
            stage = f":{BADGE[campaign.stage]}-badge[{t(f'campaigns.stage_{campaign.stage}')}]"
            whose = f" · {plain(names[campaign.organization_id])}" if campaign.organization_id in names else ""
            st.markdown(
                f"**{plain(campaign.round_name)}** · {plain(title)} ({plain(campaign.standard_version)}){whose}  \n"
                + t("my_campaigns.deadline", deadline=day(campaign.deadline, lg), when=when)
                + f" {stage}"
            )
