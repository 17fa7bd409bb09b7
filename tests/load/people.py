"""The load run's people, made through the services before any replica starts, as an admin would: members (each
with a company and a started self-assessment), an officer and a researcher, each with a signed-in session token."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from scoring.model import Answer
from services.app import Gapura
from services.settings import Settings
from store.evidence import EvidenceFiles
from tests.signin import ADMIN, PASSWORD

STANDARD = "event-safety"


@dataclass(frozen=True)
class Person:
    email: str
    token: str  # the session cookie's value
    link: str = ""  # a member's self-assessment (?a=...)
    organization: str = ""
    assessment_id: int = 0


@dataclass(frozen=True)
class People:
    members: list[Person]
    officer: Person
    researcher: Person


def make_people(database_url: str, standards_dir: Path, members: int) -> People:
    """`members` companies with one member each, who has started a self-assessment of the safety standard."""
    app = Gapura(Settings(database_url=database_url, standards_dir=Path(standards_dir)))
    try:
        accounts, assessing = app.accounts, app.assessing
        accounts.first_run(ADMIN, PASSWORD)
        admin = accounts.sign_in(ADMIN, PASSWORD, "load").actor
        standard = app.standard(STANDARD, None)

        def invited(email: str, **scope) -> tuple[str, object]:
            signed = accounts.accept_invitation(accounts.invite(admin, email, **scope).token, PASSWORD)
            return signed.token, signed.actor

        crowd = []
        for n in range(members):
            organization = f"PT Beban {n:03d}"
            org_id = app.store.ensure_organization({"name": organization})
            token, actor = invited(f"anggota{n:03d}@beban.test", organization_id=org_id)
            work = assessing.start(actor, standard, org_id, {}, "id").work
            crowd.append(Person(f"anggota{n:03d}@beban.test", token, work.token, organization, work.assessment_id))
        officer_token, _ = invited("petugas@beban.test", role="officer")
        researcher_token, _ = invited("peneliti@beban.test", role="researcher")
        return People(crowd, Person("petugas@beban.test", officer_token),
                      Person("peneliti@beban.test", researcher_token))  # fmt: skip
    finally:
        app.close()


class Stored:
    """The database as it is, read through the store (no page, no cache): what the run checks against."""

    def __init__(self, database_url: str, standards_dir: Path) -> None:
        self.app = Gapura(Settings(database_url=database_url, standards_dir=Path(standards_dir)))
        self.files = EvidenceFiles(self.app.store)

    def answers(self, person: Person) -> dict[str, Answer]:
        workspace = self.app.store.workspace(self.app.store.find_organization(person.organization))
        return workspace.load(person.assessment_id).answers

    def levels(self, person: Person) -> dict[str, object]:
        return {cid: a.level for cid, a in self.answers(person).items() if a.given}

    def documents(self, person: Person) -> dict[str, str]:
        """The member's evidence files: name -> sha256 of the bytes stored (read back, not the stored checksum)."""
        organization_id = self.app.store.find_organization(person.organization)
        return {
            filed.document.name: hashlib.sha256(self.files.content(organization_id, filed.document.id).data).hexdigest()
            for filed in self.files.listed(organization_id)
        }

    def close(self) -> None:
        self.app.close()
