"""Campaign reminders through a real SMTP server on this machine (aiosmtpd), with the clock moved, never waited for:
on their days, once each, never after submission, never to a member who left or for a closed campaign."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from services import policy
from services.app import Gapura
from services.mail import days_left
from services.policy import Denied
from services.settings import Settings, Smtp
from store import schema
from store.reminders import ReminderRecords
from tests import campaign_rows as rows
from tests.conftest import MINI
from tests.persistence.test_mail import Collect, free_port

DEADLINE = date(2027, 3, 31)


def morning(day: date, minutes: int = 0) -> datetime:
    """08:00 UTC of the day (15:00 in Jakarta), when a cron run comes."""
    return datetime(day.year, day.month, day.day, 8, tzinfo=UTC) + timedelta(minutes=minutes)


@pytest.fixture
def inbox():
    handler = Collect()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, handler
    controller.stop()


def mailing(url: str, port: int | None) -> Gapura:
    """The application over `url`, sending through the local server on `port` (None: no SMTP configured)."""
    smtp = Smtp(host="127.0.0.1", port=port, sender="gapura@asosiasi.example", starttls=False) if port else None
    return Gapura(Settings(database_url=url, standards_dir=MINI.parent, smtp=smtp, base_url="https://gapura.example"))


@pytest.fixture
def app(database_url, inbox):
    application = mailing(database_url, inbox[0].port)
    yield application
    application.close()


def claimed_count(app: Gapura) -> int:
    with app.store.session() as s:
        return s.scalar(select(func.count()).select_from(schema.Reminder))


def test_a_campaign_of_300_is_reminded_on_its_days_once_each_and_never_after_submission(app, inbox):
    _, received = inbox
    names = [f"PT Anggota {i:03d}" for i in range(300)]
    campaign, orgs = rows.campaign(app.store, "T0 2027", DEADLINE, [7, 1], names,
                                   message_id="Mohon isi sebelum akhir Maret.", message_en="Please answer by March.")  # fmt: skip
    closed, closed_orgs = rows.campaign(app.store, "T9 2026", DEADLINE, [7, 1], ["PT Sudah Tutup", names[0]])
    rows.close(app.store, closed)
    work = {name: rows.assessment(app.store, campaign, orgs[name]) for name in names[:100]}  # started: still reminded
    submitters = {-5: names[:20], 0: names[30:60]}  # they submit that morning, before the run
    withdrawn = names[20:25]  # they leave on day -5
    verified = names[25:30]  # submitted, then verified on day -5
    cli = policy.cli_actor()

    sent: dict[int, Counter] = {}
    left: dict[str, int] = {}  # when each member stopped being remindable
    for offset in range(-10, 4):
        day = DEADLINE + timedelta(days=offset)
        for name in submitters.get(offset, []):
            rows.set_status(app.store, work[name], "submitted")
            left[name] = offset
        if offset == -5:
            for name in withdrawn:
                rows.withdraw(app.store, campaign, orgs[name])
                left[name] = offset
            for name in verified:
                rows.set_status(app.store, work[name], "verified")
                left[name] = offset
        before = len(received.messages)
        deliveries = app.reminders.run(cli, morning(day))
        again = app.reminders.run(cli, morning(day, minutes=15))  # the next cron run of the day
        assert again == [] and not any(d.error for d in deliveries)
        assert len(received.messages) - before == len(deliveries)
        for d, message in zip(deliveries, received.messages[before:], strict=True):
            assert message["To"] == d.email and d.campaign_id == campaign
            assert offset < left.get(d.organization, 99), f"{d.organization} reminded after it left, day {offset}"
        sent[offset] = Counter(d.kind for d in deliveries)

    assert sent[-7] == {"before-7": 300}
    assert sent[-1] == {"before-1": 300 - 20 - 5 - 5}
    assert sent[0] == {"deadline": 300 - 20 - 5 - 5 - 30}
    assert all(not sent[o] for o in sent if o not in (-7, -1, 0))
    total = 300 + 270 + 240
    assert len(received.messages) == total
    # Every reminder went out once: a recipient gets each kind at most once, and nobody of the closed campaign.
    with app.store.session() as s:
        kinds = s.execute(select(schema.Reminder.email, schema.Reminder.kind, schema.Reminder.sent_at)).all()
    assert len(kinds) == total and all(at is not None for _, _, at in kinds)
    assert Counter(m["To"] for m in received.messages) == Counter(email for email, _, _ in kinds)
    assert rows.contact("PT Sudah Tutup") not in {m["To"] for m in received.messages}
    assert closed_orgs["PT Sudah Tutup"] not in orgs.values()

    first = received.messages[0]
    assert first["Subject"] == ("Pengingat Gapura: T0 2027, tenggat 31 Maret 2027 / "
                                "Gapura reminder: T0 2027, due 31 March 2027")  # fmt: skip
    body = first.get_content()
    assert body.index("Mohon isi sebelum akhir Maret.") < body.index("Please answer by March.")  # Indonesian first
    for line in ("Putaran: T0 2027", "Standar: Standar mini", "Tenggat: 31 Maret 2027 (7 hari lagi)",
                 "Standard: Mini standard", "Deadline: 31 March 2027 (7 days left)", "https://gapura.example/\r\n"):  # fmt: skip
        assert line in body
    deadline_day = received.messages[-1].get_content()
    assert "(hari ini)" in deadline_day and "(today)" in deadline_day
    runs = [e for e in app.audit.events(cli) if e.action == "reminders.run"]
    assert sorted(e.detail["sent"] for e in runs) == [240, 270, 300]


def test_a_failed_send_is_retried_by_the_next_run_and_sent_once(database_url, inbox):
    _, received = inbox
    down = mailing(database_url, free_port())  # nothing listens there
    campaign, orgs = rows.campaign(down.store, "T0 2027", DEADLINE, [7, 1], ["PT Satu", "PT Dua", "PT Tiga"])
    try:
        failed = down.reminders.run(policy.cli_actor(), morning(DEADLINE - timedelta(days=7)))
    finally:
        down.close()
    assert len(failed) == 3 and all(d.error and d.error.startswith("not sent") for d in failed)
    assert received.messages == []

    up = mailing(database_url, inbox[0].port)
    try:
        retried = up.reminders.run(policy.cli_actor(), morning(DEADLINE - timedelta(days=6)))
        assert sorted((d.kind, d.email, d.error) for d in retried) == [
            ("before-7", rows.contact(name), None) for name in ("PT Dua", "PT Satu", "PT Tiga")
        ]
        assert up.reminders.run(policy.cli_actor(), morning(DEADLINE - timedelta(days=5))) == []
        assert sorted(m["To"] for m in received.messages) == sorted(rows.contact(n) for n in orgs)
        assert claimed_count(up) == 3
    finally:
        up.close()


def test_a_stale_failed_reminder_is_not_sent_once_the_next_one_is_due(database_url, inbox):
    _, received = inbox
    down = mailing(database_url, free_port())
    rows.campaign(down.store, "T0 2027", DEADLINE, [7, 1], ["PT Satu"])
    try:
        down.reminders.run(policy.cli_actor(), morning(DEADLINE - timedelta(days=7)))
    finally:
        down.close()
    up = mailing(database_url, inbox[0].port)
    try:
        late = up.reminders.run(policy.cli_actor(), morning(DEADLINE - timedelta(days=1)))
    finally:
        up.close()
    assert [d.kind for d in late] == ["before-1"] and len(received.messages) == 1


def test_a_runner_that_stopped_between_claim_and_send_is_taken_over_after_ten_minutes(app, inbox):
    _, received = inbox
    campaign, orgs = rows.campaign(app.store, "T0 2027", DEADLINE, [7], ["PT Satu"])
    claimed_at = morning(DEADLINE - timedelta(days=7))
    (claim,) = ReminderRecords(app.store).claim([(campaign, orgs["PT Satu"], "before-7", "x")], "crashed", claimed_at)
    cli = policy.cli_actor()
    assert app.reminders.run(cli, claimed_at + timedelta(minutes=5)) == []  # it may still be sending
    assert [d.kind for d in app.reminders.run(cli, claimed_at + timedelta(minutes=11))] == ["before-7"]
    assert app.reminders.run(cli, claimed_at + timedelta(minutes=30)) == []
    assert len(received.messages) == 1 and claimed_count(app) == 1


def test_an_officer_reminds_on_demand_once_a_day_and_only_those_still_to_answer(app, inbox):
    _, received = inbox
    names = ["PT Belum", "PT Sudah Kirim", "PT Keluar", "PT Lain"]
    campaign, orgs = rows.campaign(app.store, "T0 2027", DEADLINE, [7], names)
    rows.assessment(app.store, campaign, orgs["PT Sudah Kirim"], "submitted")
    rows.withdraw(app.store, campaign, orgs["PT Keluar"])
    chosen = [orgs[n] for n in names[:3]]
    cli, noon = policy.cli_actor(), morning(date(2027, 3, 20), minutes=240)
    assert app.reminders.remind_now(cli, campaign, chosen, noon) == 1
    assert app.reminders.remind_now(cli, campaign, chosen, noon + timedelta(hours=2)) == 0  # pressed again
    assert app.reminders.remind_now(cli, campaign, chosen, noon + timedelta(days=1)) == 1
    assert [m["To"] for m in received.messages] == [rows.contact("PT Belum")] * 2
    rows.close(app.store, campaign)
    assert app.reminders.remind_now(cli, campaign, chosen, noon + timedelta(days=2)) == 0
    with app.store.session() as s:
        assert set(s.scalars(select(schema.Reminder.kind))) == {"manual-2027-03-20", "manual-2027-03-21"}
    (event, *_) = [e for e in app.audit.events(cli) if e.action == "reminders.remind-now"]
    assert event.target == f"campaign:{campaign}" and event.detail["sent"] == 1


def test_without_smtp_nothing_is_sent_nor_claimed(database_url):
    app = mailing(database_url, None)
    try:
        rows.campaign(app.store, "T0 2027", DEADLINE, [7], ["PT Satu"])
        assert app.reminders.run(policy.cli_actor(), morning(DEADLINE - timedelta(days=7))) == []
        assert claimed_count(app) == 0
    finally:
        app.close()


def test_only_an_officer_sends_reminders_not_a_verifier(database_url):
    """The access matrix has no verifier column yet: the verifier's refusal, here."""
    app = mailing(database_url, None)
    try:
        admin = app.accounts.first_run("admin@gapura.test", "kata-sandi-admin-123")
        campaign, orgs = rows.campaign(app.store, "T0 2027", DEADLINE, [7], ["PT Satu"])
        link = app.accounts.invite(admin, "verifier@gapura.test", role="verifier")
        signed = app.accounts.accept_invitation(link.token, "kata-sandi-verifier-123")
        verifier = app.accounts.actor_for_session(signed.token)
        assert verifier is not None and verifier.roles == {"verifier"}
        with pytest.raises(Denied):
            app.reminders.run(verifier, morning(DEADLINE))
        with pytest.raises(Denied):
            app.reminders.remind_now(verifier, campaign, list(orgs.values()), morning(DEADLINE))
    finally:
        app.close()


def test_a_days_left_line_reads_naturally_in_both_languages():
    assert [days_left(d, "id") for d in (1, 0, -2)] == ["1 hari lagi", "hari ini", "sudah lewat 2 hari"]
    assert [days_left(d, "en") for d in (1, 1234, -1)] == ["1 day left", "1,234 days left", "passed 1 day ago"]
    assert days_left(1234, "id") == "1.234 hari lagi"


class RefuseOne(Collect):
    """A server that refuses one address and takes the rest."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 (aiosmtpd's hook)
        if address == rows.contact("PT Salah Alamat"):
            return "550 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"


def test_an_address_the_server_refuses_fails_alone(database_url):
    handler = RefuseOne()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    app = mailing(database_url, controller.port)
    try:
        rows.campaign(app.store, "T0 2027", DEADLINE, [7], ["PT Satu", "PT Salah Alamat", "PT Tiga"])
        deliveries = app.reminders.run(policy.cli_actor(), morning(DEADLINE - timedelta(days=7)))
        failed = {d.organization: d.error for d in deliveries if d.error}
        assert list(failed) == ["PT Salah Alamat"] and failed["PT Salah Alamat"].startswith("refused")
        assert sorted(m["To"] for m in handler.messages) == [rows.contact("PT Satu"), rows.contact("PT Tiga")]
    finally:
        app.close()
        controller.stop()
