"""Staff sign-in that reveals nothing and resists guessing, and sessions that end: the same
answer and the same work for every failure, pauses per account, per address and for codes,
codes used once, the password asked for again, common passwords refused, sign-out that ends
the session on the server, and an administrator's unlock and sign-out-everywhere."""

from __future__ import annotations

import statistics
import time
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from sqlalchemy import select

from mle.database import db
from mle.extensions import limiter
from mle.models import AuditEvent, SignInThrottle, StaffUser
from mle.security.encryption import encrypt_json
from tests.pages import CheckedClient
from tests.staff import PASSWORD, audit_actions, clear_staff, email_of, make_staff, sign_in

BAD_SIGN_IN = ["Enter a correct email address and password"]


@pytest.fixture(autouse=True)
def _no_staff(app):
    clear_staff(app)
    yield
    clear_staff(app)  # no paused address is left behind for the next test file


def account(app, user_id: int) -> StaffUser:
    with app.app_context():
        user = db.session.get(StaffUser, user_id)
        db.session.expunge(user)
        return user


def change_account(app, user_id: int, **fields) -> None:
    with app.app_context():
        user = db.session.get(StaffUser, user_id)
        for name, value in fields.items():
            setattr(user, name, value)
        db.session.commit()


def attempt(client, email: str, password: str, address: str = "127.0.0.1"):
    """One sign-in POST from an address, outside the per-minute rate limit (tested elsewhere)."""
    limiter.reset()
    token = client.get("/staff/sign-in").csrf_token
    return client.client.post("/staff/sign-in", data={
        "csrf_token": token, "email": email, "password": password},
        environ_base={"REMOTE_ADDR": address})


def past() -> datetime:
    return datetime.now(UTC) - timedelta(seconds=1)


# One answer for every failure -------------------------------------------------------------------

@pytest.mark.parametrize("case", ["unknown email", "wrong password", "paused account",
                                  "deactivated account", "no password yet"])
def test_every_failure_gets_the_same_page_and_status(client, app, case):
    user = make_staff(app, ["editor"])
    email, password = email_of(app, user), PASSWORD
    if case == "unknown email":
        email = "nobody@example.org"
    elif case == "wrong password":
        password = "not the password at all"
    elif case == "paused account":
        change_account(app, user, failed_sign_ins=5,
                       locked_until=datetime.now(UTC) + timedelta(minutes=1))
    elif case == "deactivated account":
        change_account(app, user, active=False)
    else:
        change_account(app, user, password_hash=None)
    page = client.submit("/staff/sign-in", {"email": email, "password": password}, expect=200)
    assert page.error_summary() == BAD_SIGN_IN


def test_the_password_is_checked_and_timed_alike_for_known_and_unknown_emails(
        client, app, monkeypatch):
    """Interleaved tries, 20 each: the argon2 check ran on every try, whichever email was
    given, and the work done is alike. The work is this process's CPU time (the password hash
    dominates it), so another program busy on a shared machine does not tip the comparison;
    each known try is compared with the unknown try beside it, and the median of those ratios
    must be within 20%."""
    import mle.accounts.sign_in as sign_in_module

    checks = []
    real_verify = sign_in_module.verify_password

    def counted_verify(password_hash, password):
        checks.append(password_hash is not None)
        return real_verify(password_hash, password)

    monkeypatch.setattr(sign_in_module, "verify_password", counted_verify)
    known = email_of(app, make_staff(app, ["editor"]))
    timings = {"known": [], "unknown": []}
    for number in range(20):
        for kind, email in (("known", known), ("unknown", f"nobody{number}@example.org")):
            limiter.reset()
            token = client.get("/staff/sign-in").csrf_token
            started = time.process_time()
            response = client.client.post("/staff/sign-in", data={
                "csrf_token": token, "email": email, "password": "a wrong password"},
                environ_base={"REMOTE_ADDR": f"10.0.{number}.1"})
            timings[kind].append(time.process_time() - started)
            assert response.status_code == 200
    assert len(checks) == 40
    assert checks.count(True) == 20  # the account's own hash, every time, paused or not
    ratio = statistics.median(k / u for k, u in zip(timings["known"], timings["unknown"],
                                                    strict=True))
    assert 1 / 1.2 <= ratio <= 1.2, timings


# Pauses for an account ------------------------------------------------------------------------

def test_an_account_pauses_after_five_failures_then_for_longer_up_to_fifteen_minutes(client, app):
    user = make_staff(app, ["editor"])
    email = email_of(app, user)
    for _ in range(4):
        attempt(client, email, "wrong", address="10.1.0.1")
    assert account(app, user).locked_until is None
    attempt(client, email, "wrong", address="10.1.0.2")
    first = account(app, user).locked_until.replace(tzinfo=UTC) - datetime.now(UTC)
    assert timedelta(seconds=50) < first <= timedelta(minutes=1)

    # attempts during a pause are refused without lengthening it, even with the right password
    attempt(client, email, "wrong", address="10.1.0.3")
    assert attempt(client, email, PASSWORD, address="10.1.0.4").status_code == 200
    assert account(app, user).failed_sign_ins == 5

    change_account(app, user, locked_until=past())  # the pause ends
    attempt(client, email, "wrong", address="10.1.0.5")
    second = account(app, user).locked_until.replace(tzinfo=UTC) - datetime.now(UTC)
    assert timedelta(seconds=110) < second <= timedelta(minutes=2)

    change_account(app, user, failed_sign_ins=30, locked_until=past())
    attempt(client, email, "wrong", address="10.1.0.6")
    longest = account(app, user).locked_until.replace(tzinfo=UTC) - datetime.now(UTC)
    assert longest <= timedelta(minutes=15)


def test_the_right_password_signs_in_once_the_pause_ends(client, app):
    user = make_staff(app, ["editor"])
    for _ in range(5):
        attempt(client, email_of(app, user), "wrong", address="10.2.0.1")
    change_account(app, user, locked_until=past())
    response = attempt(client, email_of(app, user), PASSWORD, address="10.2.0.2")
    assert response.status_code == 302 and response.location.endswith("/staff/")
    assert account(app, user).failed_sign_ins == 0


def test_an_administrator_unlocks_an_account(client, app):
    admin = make_staff(app, ["administrator"])
    user = make_staff(app, ["editor"], failed_sign_ins=9, code_failures=7,
                      locked_until=datetime.now(UTC) + timedelta(minutes=15),
                      code_locked_until=datetime.now(UTC) + timedelta(minutes=15))
    sign_in(client, app, admin)
    page = client.get(f"/staff/admin/users/{user}")
    assert "Signing in is paused" in page.text
    client.post(f"/staff/admin/users/{user}/unlock", {"csrf_token": page.csrf_token})
    unlocked = account(app, user)
    assert (unlocked.failed_sign_ins, unlocked.locked_until) == (0, None)
    assert (unlocked.code_failures, unlocked.code_locked_until) == (0, None)
    assert "Signing in is paused" not in client.get(f"/staff/admin/users/{user}").text
    assert "account.unlocked" in audit_actions(app)
    other = CheckedClient(app.test_client())
    assert sign_in(other, app, user).location.endswith("/staff/")


# Pauses for a network address -----------------------------------------------------------------

def test_many_failures_from_one_address_pause_that_address_only(client, app):
    user = make_staff(app, ["editor"])
    for number in range(20):  # across many accounts, so no one account pauses
        assert attempt(client, f"guess{number}@example.org", "wrong",
                       address="10.3.0.1").status_code == 200
    refused = attempt(client, email_of(app, user), PASSWORD, address="10.3.0.1")
    assert refused.status_code == 429
    assert b"too many attempts to sign in from here" in refused.data
    assert attempt(client, email_of(app, user), PASSWORD, address="10.3.0.2").status_code == 302
    with app.app_context():
        keys = list(db.session.scalars(select(SignInThrottle.key)))
    assert keys and not any("10.3.0.1" in key for key in keys)  # only a keyed hash is kept
    assert "sign_in.refused_address_paused" in audit_actions(app)


def test_an_unknown_or_known_email_gets_the_same_answer_from_a_paused_address(client, app):
    user = make_staff(app, ["editor"])
    for number in range(20):
        attempt(client, f"guess{number}@example.org", "wrong", address="10.4.0.1")
    known = attempt(client, email_of(app, user), "wrong", address="10.4.0.1")
    unknown = attempt(client, "nobody@example.org", "wrong", address="10.4.0.1")
    assert known.status_code == unknown.status_code == 429
    assert account(app, user).failed_sign_ins == 0  # a paused address does not pause accounts


# Authenticator codes --------------------------------------------------------------------------

SECRET = pyotp.random_base32()


def staff_with_second_factor(app) -> int:
    with app.app_context():
        sealed = encrypt_json(SECRET)
    return make_staff(app, ["editor"], totp_secret=sealed)


def submit_code(client, code: str, expect: int = 302):
    return client.submit("/staff/sign-in/code", {"code": code}, expect=expect)


def test_wrong_codes_are_counted_audited_and_pause_codes(client, app):
    user = staff_with_second_factor(app)
    assert sign_in(client, app, user).location.endswith("/staff/sign-in/code")
    for _ in range(5):
        page = submit_code(client, "000000" if pyotp.TOTP(SECRET).now() != "000000" else "111111",
                           expect=200)
        assert page.error_summary() == [
            "The code is not right. Enter the code your app shows now"]
    assert account(app, user).code_failures == 5
    assert audit_actions(app).count("account.code_failed") == 5
    page = submit_code(client, pyotp.TOTP(SECRET).now(), expect=429)  # the right code, paused
    assert page.error_summary() == ["There have been too many wrong codes. Wait a few minutes "
                                    "and try again"]
    client.get("/staff/", expect=302)

    change_account(app, user, code_locked_until=past())
    submit_code(client, pyotp.TOTP(SECRET).now())
    assert client.get("/staff/").h1 == "Staff home"
    signed_in = account(app, user)
    assert (signed_in.code_failures, signed_in.code_locked_until) == (0, None)


def test_a_code_is_accepted_once_only(client, app):
    user = staff_with_second_factor(app)
    code = pyotp.TOTP(SECRET).now()
    sign_in(client, app, user)
    submit_code(client, code)
    home = client.get("/staff/")
    client.post("/staff/sign-out", {"csrf_token": home.csrf_token})

    sign_in(client, app, user)
    page = submit_code(client, code, expect=200)
    assert page.error_summary() == ["The code is not right. Enter the code your app shows now"]
    client.get("/staff/", expect=302)
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "account.code_failed")).one()
        assert event.details == {"reused": True}


def test_turning_off_two_step_sign_in_asks_for_the_password(client, app):
    user = staff_with_second_factor(app)
    sign_in(client, app, user)
    submit_code(client, pyotp.TOTP(SECRET).now())
    page = client.submit("/staff/two-factor", {"current_password": "not my password"},
                         expect=200)
    assert page.error_summary() == ["Your current password is not right"]
    assert account(app, user).totp_secret is not None
    assert account(app, user).failed_sign_ins == 1
    page = client.submit("/staff/two-factor", {}, expect=200)
    assert page.error_summary() == ["Enter your current password"]
    client.submit("/staff/two-factor", {"current_password": PASSWORD})
    assert account(app, user).totp_secret is None
    assert "account.totp_disabled" in audit_actions(app)


# Passwords ------------------------------------------------------------------------------------

NEW_PASSWORD = "a different long phrase entirely"


def test_changing_the_password_asks_for_the_current_one_and_ends_other_sessions(client, app):
    user = make_staff(app, ["assessor"])
    elsewhere = CheckedClient(app.test_client())
    sign_in(elsewhere, app, user)
    sign_in(client, app, user)
    page = client.submit("/staff/password", {"current_password": "wrong", "password":
                                             NEW_PASSWORD, "confirm": NEW_PASSWORD}, expect=200)
    assert page.error_summary() == ["Your current password is not right"]
    page = client.submit("/staff/password", {"current_password": PASSWORD, "password":
                                             "qwertyqwerty", "confirm": "qwertyqwerty"},
                         expect=200)
    assert page.error_summary() == ["This password is too common. Choose another one"]

    done = client.submit("/staff/password", {"current_password": PASSWORD, "password":
                                             NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.location.endswith("/staff/?password_changed=1")
    assert "Your password is changed." in client.get("/staff/?password_changed=1").text
    elsewhere.get("/staff/", expect=302)  # the other browser is signed out
    assert "account.password_changed" in audit_actions(app)
    other = CheckedClient(app.test_client())
    assert sign_in(other, app, user, NEW_PASSWORD).location.endswith("/staff/")


def test_a_common_password_is_refused_from_a_set_password_link(client, app):
    from mle.accounts import service

    with app.app_context():
        user = service.create_user("new@example.org", "New Person", ["manager"])
        token = service.issue_link(user)
        db.session.commit()
    url = f"/staff/set-password/{token}"
    page = client.submit(url, {"password": "Q1W2E3R4T5Y6", "confirm": "Q1W2E3R4T5Y6"},
                         expect=200)
    assert page.error_summary() == ["This password is too common. Choose another one"]
    with app.app_context(), pytest.raises(service.WeakPassword):
        service.set_password_with_link(token, "qwertyqwerty")


# Sessions -------------------------------------------------------------------------------------

def test_signing_out_ends_the_session_on_the_server(client, app):
    user = make_staff(app, ["assessor"])
    sign_in(client, app, user)
    cookie = client.client.get_cookie("mle_session").value
    copy = app.test_client()
    copy.set_cookie("mle_session", cookie)
    assert copy.get("/staff/").status_code == 200  # the copied cookie works until sign-out
    home = client.get("/staff/")
    client.post("/staff/sign-out", {"csrf_token": home.csrf_token})

    replayed = app.test_client()
    replayed.set_cookie("mle_session", cookie)
    response = replayed.get("/staff/")
    assert response.status_code == 302 and response.location.startswith("/staff/sign-in")
    assert "account.signed_out" in audit_actions(app)


def test_an_administrator_signs_an_account_out_everywhere(client, app):
    admin = make_staff(app, ["administrator"])
    user = make_staff(app, ["editor"])
    theirs = CheckedClient(app.test_client())
    sign_in(theirs, app, user)
    theirs.get("/staff/")
    sign_in(client, app, admin)
    page = client.get(f"/staff/admin/users/{user}")
    client.post(f"/staff/admin/users/{user}/end-sessions", {"csrf_token": page.csrf_token})
    theirs.get("/staff/", expect=302)
    assert "account.sessions_ended" in audit_actions(app)
    assert client.get("/staff/").h1 == "Staff home"  # the administrator's own session goes on


def test_admin_buttons_need_the_csrf_token_and_an_account(client, app):
    admin = make_staff(app, ["administrator"])
    user = make_staff(app, ["editor"])
    sign_in(client, app, admin)
    assert client.client.post(f"/staff/admin/users/{user}/unlock").status_code == 400
    token = client.get("/staff/").csrf_token
    assert client.client.post("/staff/admin/users/999999/end-sessions",
                              data={"csrf_token": token}).status_code == 404


def test_purge_forgets_quiet_addresses_but_keeps_paused_and_recent_ones(app):
    from mle.accounts.address_throttle import forget_quiet_addresses

    now = datetime.now(UTC)
    with app.app_context():
        db.session.add_all([
            SignInThrottle(key="quiet", failures=3, last_failure_at=now - timedelta(hours=2)),
            SignInThrottle(key="recent", failures=3, last_failure_at=now - timedelta(minutes=5)),
            SignInThrottle(key="paused", failures=25, last_failure_at=now - timedelta(hours=2),
                           locked_until=now + timedelta(minutes=10)),
        ])
        db.session.commit()
        assert forget_quiet_addresses() >= 1
        assert set(db.session.scalars(select(SignInThrottle.key))) >= {"recent", "paused"}
        assert db.session.get(SignInThrottle, "quiet") is None
