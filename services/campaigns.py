"""Campaigns: an officer asks members to assess one standard version by a deadline, invites the companies (new ones
get their first member's single-use link), follows each member's stage, and a member sees its own open campaigns."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from scoring.campaign import STAGES, is_overdue, stage
from scoring.issues import Issue
from scoring.model import Organization, Standard, plain_text
from scoring.roster import Invitee
from services.accounts import Accounts, Link
from services.assessing import Refused
from services.audit import Audit
from services.policy import Actor, Target, ensure, guarded
from store.campaigns import CampaignRecord, CampaignRecords, MemberProgress, NewInvitation, NewMember, Taken
from store.db import utcnow
from store.repository import Store, name_key

MAX_ROUND_NAME = 100  # the column's width
MAX_MESSAGE = 2000
MAX_REMIND_DAY = 90
SAMPLE_SIZES = (1, 50)
REPLY_DAYS = (1, 90)
COUNTED = (*STAGES, "overdue")


@dataclass(frozen=True)
class TrackerRow:
    """One invited member's place in a campaign."""

    organization_id: int
    organization: str
    email: str
    stage: str  # scoring.campaign.STAGES
    overdue: bool
    submitted_at: datetime | None
    last_activity: datetime | None
    withdrawn: bool


@dataclass(frozen=True)
class Tracker:
    campaign: CampaignRecord
    rows: list[TrackerRow]
    # Members still in the campaign who reached each stage (a submitted member has also signed up and started),
    # and those overdue.
    counts: dict[str, int]


@dataclass(frozen=True)
class MemberCampaign:
    """A campaign as its member sees it: its own stage only."""

    campaign_id: int
    organization_id: int
    round_name: str
    standard_id: str
    standard_version: str
    deadline: date
    days_left: int  # negative once past the deadline
    stage: str
    overdue: bool


def reached(stages: Sequence[str]) -> dict[str, int]:
    """How many of these stages are at or past each stage, in STAGES' order."""
    order = [STAGES.index(s) for s in stages]
    return {name: sum(i >= at for i in order) for at, name in enumerate(STAGES)}


class Campaigns:
    def __init__(
        self,
        store: Store,
        standard: Callable[[str, str | None], Standard | None],
        remember: Callable[[Standard], None],
        accounts: Accounts,
        audit: Audit,
    ) -> None:
        self.store, self.records, self.standard, self.remember = store, CampaignRecords(store), standard, remember
        self.accounts, self.audit = accounts, audit

    @guarded("campaign", "write")
    def create(
        self,
        actor: Actor,
        standard_id: str,
        version: str | None,
        round_name: str,
        deadline: date,
        members: Sequence[int | Invitee],
        message_id: str = "",
        message_en: str = "",
        remind_days: Sequence[int] = (7, 1),
        sample_size: int = 5,
        reply_days: int = 14,
        base_url: str = "",
    ) -> tuple[int, list[Link]]:
        """The campaign with its members: organizations picked by id (with members: their first member is the
        contact) and roster rows (a new company is created; one without members gets its first member's link). All
        checked first (Refused with every problem, nothing stored), then stored in one transaction. Its id and the
        invitations (emailed with the message when SMTP is set; otherwise to copy)."""
        ensure(actor, "write", "campaign")
        standard = self.standard(standard_id, version) if standard_id else None
        issues = []
        if standard is None:
            issues.append(Issue("", "standard", "campaign.unknown-standard", {"id": standard_id[:100],
                                                                               "version": (version or "")[:50]}))  # fmt: skip
        name = Organization.clean(round_name)
        if not name:
            issues.append(Issue("", "round", "campaign.round-empty"))
        elif len(name) > MAX_ROUND_NAME:
            issues.append(Issue("", "round", "campaign.round-too-long", {"max": MAX_ROUND_NAME}))
        elif self.records.round_taken(name):
            issues.append(Issue("", "round", "campaign.round-taken", {"name": name}))
        if not isinstance(deadline, date) or deadline < utcnow().date():
            issues.append(Issue("", "deadline", "campaign.deadline-past", {"value": str(deadline)[:40]}))
        messages = {"id": plain_text(message_id or "").strip(), "en": plain_text(message_en or "").strip()}
        for lang, text in messages.items():
            if len(text) > MAX_MESSAGE:
                issues.append(Issue("", f"message_{lang}", "campaign.message-too-long", {"max": MAX_MESSAGE}))
        days = sorted({int(d) for d in remind_days}, reverse=True)
        if any(not 1 <= d <= MAX_REMIND_DAY for d in days):
            issues.append(Issue("", "remind_days", "campaign.remind-days", {"max": MAX_REMIND_DAY}))
        for field, value, (low, high) in (("sample_size", sample_size, SAMPLE_SIZES),
                                          ("reply_days", reply_days, REPLY_DAYS)):  # fmt: skip
            if not low <= int(value) <= high:
                issues.append(Issue("", field, f"campaign.{field.replace('_', '-')}", {"min": low, "max": high}))
        new, member_issues = self._members(members)
        issues += member_issues
        if issues:
            raise Refused(issues)
        self.remember(standard)
        links = self.accounts.first_member_links(actor, [m.email for m, link in new if link], base_url)
        by_email = {link.email: link for link in links}
        rows = [
            replace(m, invitation=NewInvitation(by_email[m.email].token_hash, by_email[m.email].expires_at,
                                                actor.label)) if link else m
            for m, link in new
        ]  # fmt: skip
        fields = {
            "standard_id": standard.id, "standard_version": standard.version, "round_name": name,
            "deadline": deadline, "remind_days": days, "message_id": messages["id"], "message_en": messages["en"],
            "sample_size": int(sample_size), "reply_days": int(reply_days), "created_by": actor.label[:100],
        }  # fmt: skip
        try:
            campaign_id, organizations = self.records.create(fields, rows)
        except Taken:  # another officer created this round, or one of these companies, a moment ago
            taken = self.records.round_taken(name)
            raise Refused([Issue("", "round", "campaign.round-taken", {"name": name}) if taken
                           else Issue("", "members", "campaign.changed")]) from None  # fmt: skip
        links = [
            Link("invite", link.email, link.token, link.url, link.expires_at, False,
                 organization_id=organizations[link.email])
            for link in links
        ]  # fmt: skip
        note = "\n\n".join(text for text in (messages["id"], messages["en"]) if text)
        links = self.accounts.deliver(actor, links, note)
        self.audit.record(actor.label, "campaign.created", f"campaign:{campaign_id}", {
            "round": name, "standard": standard.id, "version": standard.version, "deadline": deadline.isoformat(),
            "members": len(rows), "new_organizations": sum(m.organization_id is None for m in rows),
            "invited": sorted(link.email for link in links), "sent": any(link.sent for link in links),
        })  # fmt: skip
        return campaign_id, links

    def _members(self, members: Sequence[int | Invitee]) -> tuple[list[tuple[NewMember, bool]], list[Issue]]:
        """The members as stored, each with whether it gets a first member's link, or why not: a company named
        twice, an unknown organization, the association itself, an organization picked from the list nobody belongs
        to (it needs an email, through the CSV), one email invited for two companies."""
        ids = [m for m in members if isinstance(m, int)]
        invitees = [m for m in members if not isinstance(m, int)]
        by_name = self.records.existing_organizations(i.organization for i in invitees)
        known = self.records.organizations([*ids, *by_name.values()])
        out, issues, seen = [], [], set()
        for organization_id in ids:
            found = known.get(organization_id)
            if found is None:
                issues.append(Issue("", "members", "campaign.unknown-organization", {"id": organization_id}))
                continue
            name, kind, contact = found
            if organization_id in seen:
                continue
            seen.add(organization_id)
            if kind != "company":
                issues.append(Issue("", "members", "campaign.not-a-company", {"name": name}))
            elif contact is None:
                issues.append(Issue("", "members", "campaign.needs-email", {"name": name}))
            else:
                out.append((NewMember(contact, organization_id), False))
        for invitee in invitees:
            organization_id = by_name.get(name_key(invitee.organization))
            if organization_id is None:
                out.append((NewMember(invitee.email, None, invitee.organization), True))
                continue
            name, kind, contact = known[organization_id]
            if organization_id in seen:
                issues.append(Issue("", f"{invitee.line}", "campaign.member-twice", {"line": invitee.line,
                                                                                     "name": name}))  # fmt: skip
            elif kind != "company":
                issues.append(Issue("", "members", "campaign.not-a-company", {"name": name}))
            else:
                out.append((NewMember(invitee.email, organization_id), contact is None))
            seen.add(organization_id)
        if not members:
            issues.append(Issue("", "members", "campaign.no-members"))
        invited = Counter(m.email for m, link in out if link)
        for email in sorted(e for e, n in invited.items() if n > 1):
            issues.append(Issue("", "members", "campaign.email-twice", {"value": email}))
        return out, issues

    @guarded("campaign", "read")
    def campaigns(self, actor: Actor) -> list[CampaignRecord]:
        """Every campaign, the latest deadline first."""
        ensure(actor, "read", "campaign")
        return self.records.campaigns()

    @guarded("campaign", "read")
    def tracker(self, actor: Actor, campaign_id: int, today: date) -> Tracker:
        """Every invited member's stage and whether it is overdue on `today`, with the counts (those who left the
        campaign are listed, not counted)."""
        ensure(actor, "read", "campaign")
        campaign = self._campaign(campaign_id)
        rows = [self._row(p, campaign.deadline, today) for p in self.records.progress(campaign_id)]
        staying = [r for r in rows if not r.withdrawn]
        counts = reached([r.stage for r in staying]) | {"overdue": sum(r.overdue for r in staying)}
        return Tracker(campaign, rows, counts)

    @staticmethod
    def _row(p: MemberProgress, deadline: date, today: date) -> TrackerRow:
        now = stage(p.signed_up, p.status)
        return TrackerRow(p.organization_id, p.organization, p.email, now,
                          not p.withdrawn and is_overdue(now, deadline, today), p.submitted_at, p.last_activity,
                          p.withdrawn)  # fmt: skip

    def _campaign(self, campaign_id: int) -> CampaignRecord:
        campaign = self.records.campaign(campaign_id)
        if campaign is None:
            raise Refused([Issue("", "campaign", "campaign.unknown", {"id": campaign_id})])
        return campaign

    @guarded("campaign", "write")
    def withdraw(self, actor: Actor, campaign_id: int, organization_id: int) -> bool:
        """The member leaves the campaign: no more reminders, not counted; False when it had left or was not in it."""
        ensure(actor, "write", "campaign")
        self._campaign(campaign_id)
        left = self.records.withdraw(campaign_id, organization_id)
        if left:
            self.audit.record(actor.label, "campaign.withdrawn", f"organization:{organization_id}",
                              {"campaign": campaign_id})  # fmt: skip
        return left

    @guarded("campaign", "read")
    def open_for(self, actor: Actor, today: date | None = None) -> list[MemberCampaign]:
        """The open campaigns of the organizations the actor belongs to, the nearest deadline first, each with the
        organization's own stage only; days left counted from `today` (the server's UTC day when None)."""
        today = today or utcnow().date()
        mine = sorted(actor.organizations)
        for organization_id in mine:
            ensure(actor, "read", "campaign", Target(organization_id=organization_id))
        out = []
        for found in self.records.open_for(mine):
            c = found.campaign
            now = stage(True, found.status)
            out.append(MemberCampaign(c.id, found.organization_id, c.round_name, c.standard_id, c.standard_version,
                                      c.deadline, (c.deadline - today).days, now, is_overdue(now, c.deadline, today)))  # fmt: skip
        return out

    @guarded("campaign", "read")
    def round_names(self, actor: Actor, organization_id: int, assessment_ids: Sequence[int]) -> dict[int, str]:
        """The campaign round each of the organization's assessments answers (those of no campaign left out)."""
        ensure(actor, "read", "campaign", Target(organization_id=organization_id))
        return self.records.round_names(assessment_ids, organization_id)

    @guarded("campaign", "read")
    def every_round_name(self, actor: Actor) -> dict[int, str]:
        """The campaign round of every assessment that answers one, by assessment id (the officers' Members list)."""
        ensure(actor, "read", "campaign")
        return self.records.round_names(None, None)
