"""Whom this Gapura serves: an existing database (no setting) serves an association as before; an admin changes
it, audited; no one else may; a value off the list is never stored."""

import pytest
from sqlalchemy import select

from services.policy import Denied
from store import schema
from tests.persistence.people import person


def test_a_database_without_the_setting_serves_an_association(gapura):
    assert gapura.serving.serves() == "association"


def test_an_admin_sets_it_and_the_change_is_audited(gapura):
    admin = person(gapura, roles=("admin",))
    gapura.serving.set_serves(admin, "company")
    assert gapura.serving.serves() == "company"
    gapura.serving.set_serves(admin, "association")
    assert gapura.serving.serves() == "association"
    with gapura.store.session() as s:
        rows = s.scalars(select(schema.AppSetting)).all()
        events = s.scalars(select(schema.AuditEvent).where(schema.AuditEvent.action == "settings.serves")).all()
    assert [(r.name, r.value, r.updated_by) for r in rows] == [("serves", "association", admin.label)]
    assert [e.actor for e in events] == [admin.label, admin.label]


@pytest.mark.parametrize("roles", [("officer",), ("researcher",), ()])
def test_no_one_but_an_admin_changes_it(gapura, roles):
    company = gapura.store.ensure_organization({"name": "PT Satu Saja"})
    someone = person(gapura, roles=roles, organizations=() if roles else (company,))
    with pytest.raises(Denied) as denied:
        gapura.serving.set_serves(someone, "company")
    assert (denied.value.resource, denied.value.action) == ("app_settings", "write")
    assert gapura.serving.serves() == "association"


def test_a_value_off_the_list_is_refused_and_not_stored(gapura):
    admin = person(gapura, roles=("admin",))
    with pytest.raises(ValueError):
        gapura.serving.set_serves(admin, "everyone")
    assert gapura.serving.serves() == "association"
