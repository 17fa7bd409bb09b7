"""What a policy check is about: a stored organization as the policy sees it."""

from __future__ import annotations

from services.policy import Target
from store.repository import NotFound, Store


def organization_target(store: Store, organization_id: int) -> Target:
    """The organization, marked as the association's own when it is; NotFound when there is none."""
    kind = store.organization_kind(organization_id)
    if kind is None:
        raise NotFound(organization_id)
    return Target(organization_id, kind == "association")
