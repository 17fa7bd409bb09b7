"""Through HAProxy with deploy/haproxy.cfg and three replicas, in Chromium: an officer who signs in with the form is
sent to the staff's own replica from the next page on, and a member who signs in afterwards on the same browser goes
back to the members' replicas (the routing cookie set by the session route, ui/http.py)."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from tests.browser.test_access import sign_in
from tests.browser.test_journey import settle
from tests.load.harness import MEMBERS_REPLICAS, STAFF_REPLICA, STANDARDS, deployment
from tests.load.people import make_people
from tests.signin import PASSWORD
from ui.http import POOL_COOKIE

REPLICA = "GAPURA_REPLICA"  # deploy/haproxy.cfg


def cookies(page) -> dict[str, str]:
    return {c["name"]: c["value"] for c in page.context.cookies()}


def test_the_staff_land_on_their_own_replica_and_a_member_after_them_does_not(browser: Browser, tmp_path):
    people = []
    with deployment(tmp_path / "servers", prepare=lambda url: people.append(make_people(url, STANDARDS, 1))) as dep:
        page = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
        page.goto(dep.url + "/?lang=id")
        assert cookies(page)[REPLICA] in MEMBERS_REPLICAS  # a visitor not signed in: the members' replicas

        sign_in(page, "petugas@beban.test", PASSWORD)
        expect(page.get_by_role("link", name="Akun saya")).to_be_visible()  # the session route has set its cookies
        page.goto(dep.url + "/account?lang=id")  # the tab's next connection, as after any reload
        expect(page.get_by_text("Masuk sebagai petugas@beban.test")).to_be_visible()
        assert (cookies(page)[POOL_COOKIE], cookies(page)[REPLICA]) == ("staff", STAFF_REPLICA)

        settle(page)
        page.get_by_role("button", name="Keluar").click()
        expect(page.get_by_role("heading", name="Masuk ke Gapura")).to_be_visible()
        member = people[0].members[0].email
        sign_in(page, member, PASSWORD)
        expect(page.get_by_role("link", name="Akun saya")).to_be_visible()
        page.goto(dep.url + "/account?lang=id")
        expect(page.get_by_text(f"Masuk sebagai {member}")).to_be_visible()
        assert POOL_COOKIE not in cookies(page)
        assert cookies(page)[REPLICA] in MEMBERS_REPLICAS
