"""Who is asking: the acting user of every service call."""

from __future__ import annotations

import getpass
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Actor:
    label: str  # how the audit and change logs name them: "user:12", "cli:root", "tab-1a2b3c4d"
    user_id: int | None = None
    email: str = ""
    roles: frozenset[str] = field(default_factory=frozenset)
    organizations: frozenset[int] = field(default_factory=frozenset)
    system: bool = False  # the server's own rights: the command line


def cli_actor() -> Actor:
    """Whoever can run the command line can read the database anyway; audited by their OS user."""
    return Actor(label=f"cli:{getpass.getuser()}", system=True)
