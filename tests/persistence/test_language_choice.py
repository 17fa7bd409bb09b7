"""Each account remembers the language it chose last (users.language), on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from services.policy import ANONYMOUS, Denied
from tests.persistence.people import PASSWORD, person


def test_the_language_chosen_is_the_one_the_next_sign_in_gets(gapura):
    organization = gapura.store.ensure_organization({"name": "PT Bahasa Pilihan"})
    owner = person(gapura, organizations=[organization])
    colleague = person(gapura, organizations=[organization])
    assert gapura.accounts.language(owner) is None  # never chosen: the tab's own language stays
    gapura.accounts.set_language(owner, "en")
    gapura.accounts.sign_out(gapura.accounts.sign_in(owner.email, PASSWORD, "tests").token)
    again = gapura.accounts.sign_in(owner.email, PASSWORD, "tests").actor
    assert gapura.accounts.language(again) == "en"
    assert gapura.accounts.language(colleague) is None  # one account's choice is its own
    gapura.accounts.set_language(again, "id")
    assert gapura.accounts.language(owner) == "id"


def test_only_a_known_language_is_stored_and_only_by_someone_signed_in(gapura):
    researcher = person(gapura, roles=["researcher"])
    with pytest.raises(ValueError):
        gapura.accounts.set_language(researcher, "xx")
    assert gapura.accounts.language(researcher) is None
    with pytest.raises(Denied):
        gapura.accounts.set_language(ANONYMOUS, "en")
