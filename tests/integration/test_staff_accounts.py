"""Staff accounts: sign-in with lockout and rate limit, one-time links, second factor,
administration, and the audit trail."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import pyotp
import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo
from sqlalchemy import select

from mle.accounts import service
from mle.database import db
from mle.models import AccountLink, AuditEvent, StaffUser
from tests.staff import (
    PASSWORD,
    audit_actions,
    clear_staff,
    email_of,
    emailed_link,
    make_staff,
    sign_in,
)


@pytest.fixture(autouse=True)
def _no_staff(app):
    clear_staff(app)
    yield
    clear_staff(app)  # no paused address is left behind for the next test file


def test_sign_in_and_out(client, app):
    user = make_staff(app, ["assessor"])
    assert sign_in(client, app, user).location.endswith("/staff/")
    assert client.get("/staff/").h1 == "Staff home"
    home = client.get("/staff/")
    client.post("/staff/sign-out", {"csrf_token": home.csrf_token})
    assert client.get("/staff/", expect=302).location.startswith("/staff/sign-in")


@pytest.mark.parametrize("which", ["wrong password", "unknown email"])
def test_failed_sign_in_never_says_which_part_was_wrong(client, app, which):
    user = make_staff(app, ["editor"])
    email = email_of(app, user) if which == "wrong password" else "nobody@example.org"
    page = client.submit("/staff/sign-in", {"email": email, "password": "not it at all"},
                         expect=200)
    assert page.error_summary() == ["Enter a correct email address and password"]


def test_five_failures_lock_the_account_even_for_the_right_password(client, app):
    user = make_staff(app, ["editor"])
    for _ in range(5):
        client.submit("/staff/sign-in", {"email": email_of(app, user), "password": "nope"},
                      expect=200)
    page = client.submit("/staff/sign-in", {"email": email_of(app, user), "password": PASSWORD},
                         expect=200)
    # The same words as for an unknown email: a pause never shows that the account exists.
    assert page.error_summary() == ["Enter a correct email address and password"]
    assert "sign_in.refused_locked" in audit_actions(app)


def test_sign_in_attempts_are_rate_limited(client, app):
    page = client.get("/staff/sign-in")
    codes = [client.client.post("/staff/sign-in", data={
        "csrf_token": page.csrf_token, "email": "x@example.org", "password": "y"}).status_code
        for _ in range(11)]
    assert codes[-1] == 429


def test_a_one_time_link_sets_the_password_once(client, app):
    with app.app_context():
        user = service.create_user("new@example.org", "New Person", ["manager"])
        token = service.issue_link(user)
        db.session.commit()
    url = f"/staff/set-password/{token}"
    page = client.submit(url, {"password": "short", "confirm": "short"}, expect=200)
    assert page.error_summary() == ["Password must be at least 12 characters"]
    page = client.submit(url, {"password": PASSWORD, "confirm": PASSWORD + "x"}, expect=200)
    assert page.error_summary() == ["The passwords do not match"]
    client.submit(url, {"password": PASSWORD, "confirm": PASSWORD})
    assert client.get(url, expect=404).h1 == "This link has expired or has already been used"
    page = client.submit("/staff/sign-in", {"email": "new@example.org", "password": PASSWORD})
    assert page.location.endswith("/staff/")


def test_an_unknown_or_expired_link_is_refused(client, app):
    from datetime import UTC, datetime, timedelta

    assert client.get("/staff/set-password/not-a-token", expect=404)
    with app.app_context():
        user = service.create_user("late@example.org", "Late Person", ["manager"])
        token = service.issue_link(user)
        link = db.session.scalars(select(AccountLink)).one()
        link.expires_at = datetime.now(UTC) - timedelta(minutes=1)
        db.session.commit()
    client.get(f"/staff/set-password/{token}", expect=404)


def test_only_a_hash_of_the_link_is_stored(app):
    with app.app_context():
        user = service.create_user("hash@example.org", "Hash Person", ["manager"])
        token = service.issue_link(user)
        db.session.commit()
        stored = db.session.scalars(select(AccountLink)).one().token_hash
    assert token not in stored


def test_two_step_sign_in(client, app):
    user = make_staff(app, ["manager"])
    sign_in(client, app, user)
    setup = client.get("/staff/two-factor")
    secret = setup.soup.find("code").get_text().strip()
    assert setup.soup.find("img")["src"].startswith("data:image/svg+xml;base64,")
    page = client.submit("/staff/two-factor", {"code": "000000"}, expect=200)
    assert page.error_summary()
    client.submit("/staff/two-factor", {"code": pyotp.TOTP(secret).now()})
    home = client.get("/staff/")
    client.post("/staff/sign-out", {"csrf_token": home.csrf_token})

    assert sign_in(client, app, user).location.endswith("/staff/sign-in/code")
    client.get("/staff/", expect=302)  # not signed in until the code is given
    page = client.submit("/staff/sign-in/code", {"code": "123456"}, expect=200)
    assert page.error_summary()
    response = client.submit("/staff/sign-in/code", {"code": pyotp.TOTP(secret).now()})
    assert response.location.endswith("/staff/")
    with app.app_context():
        stored = db.session.get(StaffUser, user).totp_secret
    assert secret.encode() not in stored


def test_staff_sessions_end_after_twelve_hours(client, app):
    user = make_staff(app, ["assessor"])
    sign_in(client, app, user)
    with client.client.session_transaction() as session:
        session["staff_signed_in_at"] = time.time() - 13 * 60 * 60
    assert client.get("/staff/", expect=302).location.startswith("/staff/sign-in")


def test_administrator_creates_an_account_and_gets_a_link(client, app):
    admin = make_staff(app, ["administrator"])
    sign_in(client, app, admin)
    page = client.submit("/staff/admin/users/new", {
        "email": "Assessor@Example.org", "name": "Sam Assessor", "roles": ["assessor"],
        "team": "occupational-therapy"}, expect=200)
    assert page.h1 == "We have emailed Sam Assessor a link"
    link = emailed_link(app, "assessor@example.org")
    assert "/staff/set-password/" not in page.text  # the administrator never sees the link
    assert client.get(urlsplit(link).path).h1 == "Set your password"
    with app.app_context():
        created = db.session.scalars(
            select(StaffUser).where(StaffUser.email == "assessor@example.org")).one()
        assert created.roles == ["assessor"] and created.team_id == "occupational-therapy"
        assert created.password_hash is None
    actions = audit_actions(app)
    assert "account.created" in actions and "account.link_issued" in actions


def test_duplicate_and_invalid_accounts_are_refused(client, app):
    admin = make_staff(app, ["administrator"])
    sign_in(client, app, admin)
    page = client.submit("/staff/admin/users/new", {
        "email": email_of(app, admin), "name": "Again", "roles": ["editor"]}, expect=200)
    assert page.error_summary() == ["An account with that email address already exists"]
    page = client.submit("/staff/admin/users/new", {
        "email": "not an email", "name": "", "roles": []}, expect=200)
    assert len(page.error_summary()) == 3


def test_deactivating_an_account_signs_it_out(app, client):
    from tests.pages import CheckedClient

    admin = make_staff(app, ["administrator"])
    editor = make_staff(app, ["editor"])
    other = CheckedClient(app.test_client())
    sign_in(other, app, editor)
    other.get("/staff/")
    sign_in(client, app, admin)
    client.submit(f"/staff/admin/users/{editor}", {"name": "Pat Example", "roles": ["editor"],
                                                   "team": ""})
    other.get("/staff/", expect=302)
    with app.app_context():
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "account.changed")).one()
        assert event.details == {"active": [True, False]}


def test_audit_details_never_hold_emails_or_passwords(client, app):
    admin = make_staff(app, ["administrator"])
    sign_in(client, app, admin)
    client.submit("/staff/admin/users/new", {"email": "private@example.org", "name": "Priv",
                                             "roles": ["editor"]}, expect=200)
    with app.app_context():
        dump = " ".join(str(e.details) for e in db.session.scalars(select(AuditEvent)))
    assert "private@example.org" not in dump and PASSWORD not in dump


def test_administrator_manages_teams(client, app):
    admin = make_staff(app, ["administrator"])
    sign_in(client, app, admin)
    client.submit("/staff/admin/teams/new", {"id": "ot-north", "kind": "occupational_therapy",
                                             "name": "OT North", "localities": ["north"],
                                             "target_days": "7"})
    page = client.submit("/staff/admin/teams/ot-north", {"name": "OT North", "target_days": "0"},
                         expect=200)
    assert page.error_summary() == ["Enter a number of days from 1 to 365"]
    assert "OT North" in client.get("/staff/admin/teams").text


def test_create_user_command_prints_a_one_time_link(app):
    from mle.cli import mle_cli

    result = CliRunner().invoke(mle_cli, ["create-user", "first@example.org", "--name",
                                          "First Admin", "--role", "administrator"],
                                obj=ScriptInfo(create_app=lambda: app))
    assert result.exit_code == 0, result.output
    assert "/staff/set-password/" in result.output
