"""The one gate every figure and file passes on its way to those who may not read members one by one (researchers,
companies, reports that leave the association): the threshold, and differencing against everything already
released to that whole audience, remembered in the database (store/releases.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from scoring.disclosure import conflict, too_few
from scoring.issues import Issue
from services.policy import Actor, allowed
from store.releases import Released, ReleaseRecords
from store.repository import Store


@dataclass(frozen=True)
class Clearance:
    """What the gate allows: the organizations a figure may be computed over, or why nothing may be shown.
    `as_of` is set when an earlier release's organizations stand in for today's (the cohort changed by fewer than
    the threshold since: the new figures would describe the newcomers); `release` is its id in the memory."""

    members: frozenset[int]
    refused: Issue | None = None
    as_of: datetime | None = None
    release: int | None = None


class Gate:
    def __init__(self, store: Store, threshold: Callable[[], int]) -> None:
        self.records, self.threshold = ReleaseRecords(store), threshold

    @staticmethod
    def names_allowed(actor: Actor) -> bool:
        """Officers (and the server itself) read members one by one: the threshold still holds for their cohort
        figures, differencing would protect nothing from them."""
        return allowed(actor, "read", "member_overview")

    def clear(self, actor: Actor, scope: str, query: str, members: Iterable[int], probe: bool = False,
              leaves: bool = False) -> Clearance:  # fmt: skip
        """May a figure over `members` be released to `actor`? `leaves`: it is a file or report that leaves the
        association whoever makes it (research packages, the agenda for the ministry), so differencing applies to
        officers and the command line too. Unless `probe`, a release is remembered. The same query asked again
        after fewer than `threshold` newcomers joined gets the organizations it got before."""
        current = frozenset(int(m) for m in members)
        k = self.threshold()
        reason = too_few(len(current), k)
        if reason is not None:
            return Clearance(frozenset(), reason)
        if self.names_allowed(actor) and not leaves:
            return Clearance(current)
        outcome: list[Clearance] = []

        def decide(earlier: list[Released]) -> Released | None:
            grown = [r for r in earlier if r.query == query and r.members < current and len(current - r.members) < k]
            if grown:
                pin = max(grown, key=lambda r: r.id)
                outcome.append(Clearance(pin.members, as_of=pin.at, release=pin.id))
                return None
            issue = conflict(current, (r.members for r in earlier), k)
            if issue is not None:
                outcome.append(Clearance(frozenset(), issue))
                return None
            outcome.append(Clearance(current))
            return None if probe else Released(0, query, query.split("|", 1)[0], current, datetime.min)

        stored = self.records.decide(scope, actor.label, decide)
        if stored is not None and not outcome[0].refused:
            return Clearance(stored.members, release=stored.id)
        return outcome[0]

    def released(self, scope: str | None = None) -> list[Released]:
        """The memory itself (the audit of what left), newest last."""
        return self.records.all(scope)
