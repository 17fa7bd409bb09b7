"""Who may do what: the acting user of every service call, and the one policy table that answers
"may this actor do this action to this resource". Pages hide what the policy denies; they never decide it."""

from __future__ import annotations

import functools
import getpass
import weakref
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

Action = Literal["read", "write"]
ROLES = ("member", "officer", "verifier", "researcher", "admin")
# Every resource, declared once with what it covers; the policy table, the guards and the access matrix name only
# these.
RESOURCES: dict[str, str] = {
    "organization": "an organization's profile",
    "assessment": "an assessment: start, open, submit, reopen, next round",
    "answers": "its answers, notes and evidence links",
    "evidence": "evidence files behind its answers (PDF, JPEG, PNG): attach, list, download, expiry, remove",
    "results": "its scores, verdict and action plan",
    "plan": "what the company tracks on its action plan: each step's owner, due date, status and note",
    "changelog": "who changed which answer when",
    "import": "members' files taken in bulk",
    "bulk_export": "every stored assessment at once, with names",
    "personal_data": "everything stored about one organization (UU PDP): download, erase",
    "members": "who belongs to an organization; inviting colleagues",
    "standards_admin": "uploading, publishing and retiring standard versions",
    "accounts": "accounts, roles, invitations to a role, password resets",
    "audit_log": "the audit log, and what was released to those who see no names",
    "member_overview": "every member's standing by name: Members, Compare, Progress, the agenda command",
    "aggregates": "statistics of many members (shared gaps), above the privacy threshold, no names",
    "benchmark": "a company's own position against similar companies (aggregates of the others only)",
    "research_data": "the research data package: pseudonymous, no free text",
    "research_names": "the research data package with names and free text",
    "demo_data": "synthetic member companies: load, count, remove",
    "pseudonym_key": "the key of research ids: rotating it (the command line only, no role)",
    "database_copy": "a copy of the whole database, every company's answers and evidence: backup and restore (the "
    "command line only, no role)",
    "app_settings": "settings an admin changes in the app: whom this Gapura serves (one company or an association)",
    "preferences": "the signed-in person's own settings: the language of the pages",
    "campaign": "campaigns: create, invite members, the tracker, reminders on demand; a member reads its own rows",
    "verification": "verifying a submitted assessment: its sample, verified levels and comments; the company reads its own",
    "verification_reply": "the company's replies to the verifier's comments",
    "support": "support given to members (interventions): record, import attendance lists, its descriptive effect",
    "association_report": "the association's report for the ministry (PDF, XLSX), every figure under the disclosure rules",
}

# Scope of a grant: "own" = an organization the actor belongs to; "association" = the association's own
# organization (its self-assessment); "all" = any.
Scope = Literal["own", "association", "all"]
POLICY: dict[tuple[str, str, Action], tuple[Scope, ...]] = {
    ("member", "organization", "read"): ("own",),
    ("member", "organization", "write"): ("own",),
    ("member", "assessment", "read"): ("own",),
    ("member", "assessment", "write"): ("own",),
    ("member", "answers", "read"): ("own",),
    ("member", "answers", "write"): ("own",),
    ("member", "results", "read"): ("own",),
    ("member", "plan", "read"): ("own",),
    ("member", "plan", "write"): ("own",),
    ("member", "changelog", "read"): ("own",),
    ("member", "members", "read"): ("own",),
    ("member", "members", "write"): ("own",),
    ("member", "personal_data", "read"): ("own",),
    ("member", "benchmark", "read"): ("own",),
    ("member", "evidence", "read"): ("own",),
    ("member", "evidence", "write"): ("own",),
    ("officer", "organization", "read"): ("all",),
    ("officer", "organization", "write"): ("association",),
    ("officer", "assessment", "read"): ("all",),
    ("officer", "assessment", "write"): ("association",),
    ("officer", "answers", "read"): ("all",),
    ("officer", "answers", "write"): ("association",),
    ("officer", "results", "read"): ("all",),
    ("officer", "plan", "read"): ("all",),
    ("officer", "plan", "write"): ("association",),
    ("officer", "changelog", "read"): ("all",),
    ("officer", "members", "read"): ("all",),
    ("officer", "import", "write"): ("all",),
    ("officer", "bulk_export", "read"): ("all",),
    ("officer", "member_overview", "read"): ("all",),
    ("officer", "aggregates", "read"): ("all",),
    ("officer", "benchmark", "read"): ("all",),
    ("officer", "research_data", "read"): ("all",),
    ("officer", "evidence", "read"): ("all",),
    ("officer", "evidence", "write"): ("association",),
    ("researcher", "aggregates", "read"): ("all",),
    ("researcher", "research_data", "read"): ("all",),
    ("admin", "research_data", "read"): ("all",),
    ("admin", "research_names", "read"): ("all",),
    ("officer", "accounts", "write"): ("all",),  # invitations to a role below admin (services/accounts.py)
    ("admin", "members", "read"): ("all",),
    ("admin", "members", "write"): ("all",),
    ("admin", "personal_data", "write"): ("all",),
    ("admin", "standards_admin", "read"): ("all",),
    ("admin", "standards_admin", "write"): ("all",),
    ("admin", "accounts", "read"): ("all",),
    ("admin", "accounts", "write"): ("all",),
    ("admin", "audit_log", "read"): ("all",),
    ("admin", "demo_data", "read"): ("all",),
    ("admin", "demo_data", "write"): ("all",),
    ("admin", "app_settings", "write"): ("all",),
    # The programme (campaigns, verification, support, the ministry's report).
    ("member", "campaign", "read"): ("own",),
    ("member", "verification", "read"): ("own",),
    ("member", "verification_reply", "write"): ("own",),
    ("officer", "campaign", "read"): ("all",),
    ("officer", "campaign", "write"): ("all",),
    ("officer", "verification", "read"): ("all",),
    ("officer", "verification", "write"): ("all",),
    ("officer", "support", "read"): ("all",),
    ("officer", "support", "write"): ("all",),
    ("officer", "association_report", "read"): ("all",),
    # A verifier the admin grants: reads submitted assessments and their evidence, records verified levels; no names
    # beyond the assessment in front of them, no aggregates.
    ("verifier", "organization", "read"): ("all",),
    ("verifier", "assessment", "read"): ("all",),
    ("verifier", "answers", "read"): ("all",),
    ("verifier", "evidence", "read"): ("all",),
    ("verifier", "verification", "read"): ("all",),
    ("verifier", "verification", "write"): ("all",),
    # Everyone's own settings: the service writes only the acting user's own row, whatever the scope says.
    **{(role, "preferences", action): ("all",) for role in ROLES for action in ("read", "write")},
}


@dataclass(frozen=True)
class Actor:
    label: str  # how the audit and change logs name them: "user:12", "cli:root", "anonymous"
    user_id: int | None = None
    email: str = ""
    roles: frozenset[str] = field(default_factory=frozenset)  # officer, researcher, admin (member comes from orgs)
    organizations: frozenset[int] = field(default_factory=frozenset)
    system: bool = False  # the server's own rights: the command line
    # The browser session it was resolved from (None: single sign-on, CLI, anonymous); where it came from, not who
    # it is, so it takes no part in comparisons.
    session: int | None = field(default=None, compare=False)

    @property
    def signed_in(self) -> bool:
        return self.user_id is not None or self.system

    @property
    def all_roles(self) -> frozenset[str]:
        return self.roles | ({"member"} if self.organizations else frozenset())


ANONYMOUS = Actor(label="anonymous")


def cli_actor() -> Actor:
    """Whoever can run the command line can read the database anyway; audited by their OS user."""
    return Actor(label=f"cli:{getpass.getuser()}", system=True)


@dataclass(frozen=True)
class Target:
    """What an action is applied to: an organization (None for resources that belong to none)."""

    organization_id: int | None = None
    association: bool = False  # the organization is the association itself


class Denied(PermissionError):
    """The actor may not do this; the message never says whether the thing exists."""

    def __init__(self, actor: Actor, action: str, resource: str) -> None:
        super().__init__(f"{actor.label} may not {action} {resource}")
        self.action, self.resource = action, resource


class SignedOut(Denied):
    """The actor's session was ended or its account deactivated since its tab signed in: it must sign in again."""

    def __init__(self, actor: Actor) -> None:
        super().__init__(actor, "use", "session")


# How a service re-reads its actor from the database (installed by the accounts service for itself and by the
# application object for the others): a tab's cached actor may have been signed out, deactivated or lost a role
# or a membership since, and access taken away must end at its next click.
ACTOR_CHECKS: weakref.WeakKeyDictionary[object, Callable[[Actor], Actor]] = weakref.WeakKeyDictionary()
_RESOLVED: ContextVar[Actor | None] = ContextVar("resolved_actor", default=None)


def check_actors(current: Callable[[Actor], Actor], *services: object) -> None:
    """Every guarded call of these services first re-reads its actor with `current` (which raises SignedOut)."""
    for service in services:
        ACTOR_CHECKS[service] = current


def _current(service: object, actor: Actor) -> Actor:
    if actor.system or actor.user_id is None or actor is _RESOLVED.get():
        return actor  # nothing to re-read, or re-read already for the call this one is part of
    current = ACTOR_CHECKS.get(service)
    if current is None:  # a service nothing checks cannot vouch for a signed-in user
        raise SignedOut(actor)
    return current(actor)


def allowed(actor: Actor, action: Action, resource: str, target: Target | None = None) -> bool:
    if actor.system:
        return True
    target = target or Target()
    for role in actor.all_roles:
        for scope in POLICY.get((role, resource, action), ()):
            if scope == "all":
                return True
            if scope == "own" and target.organization_id in actor.organizations:
                return True
            if scope == "association" and target.association:
                return True
    return False


def ensure(actor: Actor, action: Action, resource: str, target: Target | None = None) -> None:
    if not allowed(actor, action, resource, target):
        raise Denied(actor, action, resource)


F = TypeVar("F", bound=Callable[..., Any])
# Every guarded service function, by qualified name: (resource, action). The access-matrix test checks that it
# covers each one.
GUARDED: dict[str, tuple[str, Action]] = {}
# A guarded function that serves two grants (an invitation to a role or into a company): the other one.
ALSO: dict[str, tuple[str, Action]] = {}
# Every public service function that takes no acting user on purpose, by qualified name: why it may be open.
OPEN: dict[str, str] = {}


def granted_somewhere(actor: Actor, action: Action, resource: str) -> bool:
    """Whether any grant of the actor's roles covers (resource, action) for some target: what a guard checks before
    the function checks the one target it is about."""
    return actor.system or any(POLICY.get((role, resource, action)) for role in actor.all_roles)


def guarded(resource: str, action: Action, also: tuple[str, Action] | None = None) -> Callable[[F], F]:
    """Marks a service method as checked against (resource, action), or `also`: the guard re-reads the actor and
    refuses one that holds no such grant at all; the method then calls `ensure` itself with its target, since only
    it knows which organization the call is about."""
    for grant in (resource, also[0] if also else resource):
        if grant not in RESOURCES:
            raise ValueError(grant)
    grants = [(resource, action)] + ([also] if also else [])

    def mark(function: F) -> F:
        GUARDED[function.__qualname__] = (resource, action)
        if also:
            ALSO[function.__qualname__] = also

        @functools.wraps(function)
        def wrapper(self, actor: Actor, *args: Any, **kwargs: Any) -> Any:
            if not isinstance(actor, Actor):
                raise TypeError(f"{function.__qualname__} needs the acting user first")
            actor = _current(self, actor)
            if not any(granted_somewhere(actor, a, r) for r, a in grants):
                raise Denied(actor, action, resource)
            resolved = _RESOLVED.set(actor)
            try:
                return function(self, actor, *args, **kwargs)
            finally:
                _RESOLVED.reset(resolved)

        return wrapper  # type: ignore[return-value]

    return mark


def open_call(why: str) -> Callable[[F], F]:
    """Marks a public service method as open on purpose (it takes no acting user: a token, a password or public
    data decides), with the reason; a test fails on a public method that is neither guarded nor open."""

    def mark(function: F) -> F:
        OPEN[function.__qualname__] = why
        return function

    return mark
