"""Signing in: a password, then the code from an authenticator app when the account has one.

Every failure looks the same from outside: the password is always checked (against a dummy
hash when there is no account), and a paused account gets the same answer as a wrong password.
Pauses after repeated failures (numbers in `back_off`) apply to the account, to the network
address, and to authenticator codes; a pause is never extended by attempts made during it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from mle.accounts import address_throttle
from mle.accounts.back_off import pause_after
from mle.accounts.clock import now, still_to_come
from mle.accounts.password_check import account_is_paused, count_password_failure
from mle.accounts.second_factor import matching_step, user_totp_secret
from mle.accounts.service import find_by_email, get_user
from mle.database import db
from mle.models import StaffUser
from mle.security.audit import audit
from mle.security.passwords import verify_password

CODE_FAILURES_ALLOWED = 5  # wrong authenticator codes in a row before codes pause


@dataclass(frozen=True)
class SignInResult:
    user: StaffUser | None
    needs_code: bool = False  # the password was right; the second factor is still to come
    address_paused: bool = False  # too many failures from this network address


class CodeResult(Enum):
    ACCEPTED = "accepted"
    WRONG = "wrong"  # wrong, or already used
    PAUSED = "paused"  # too many wrong codes: none is checked for a while


def sign_in_with_password(email: str, password: str, address: str | None) -> SignInResult:
    """Check an email address and password from a network address. An account without a
    second factor is signed in at once; one with a second factor waits for
    `sign_in_with_code`. Whatever the reason for a refusal, the caller learns only that it
    was refused (or that the address itself is paused, which says nothing about accounts)."""
    if address_throttle.address_is_paused(address):
        verify_password(None, password)  # the same work as any other attempt
        audit("sign_in.refused_address_paused")
        db.session.commit()
        return SignInResult(None, address_paused=True)
    user = find_by_email(email)
    usable = user is not None and user.active
    right = verify_password(user.password_hash if usable else None, password)
    if right and not account_is_paused(user):
        user.failed_sign_ins, user.locked_until = 0, None
        if user.totp_secret:
            db.session.commit()
            return SignInResult(user, needs_code=True)
        _record_sign_in(user)
        return SignInResult(user)
    if not right:
        address_throttle.count_failure(address)
    if user is None:
        audit("sign_in.failed")  # no email in the trail: it may be someone's mistyped password
    elif account_is_paused(user):
        audit("sign_in.refused_locked", "staff_user", user.id, actor_id=user.id)
    else:
        count_password_failure(user)
        audit("sign_in.failed", "staff_user", user.id, actor_id=user.id)
    db.session.commit()
    return SignInResult(None)


def pending_code_id(user: StaffUser) -> str:
    """What the browser keeps between the password and the code: the account's id with its
    session token, so a password reset or sign-out everywhere also ends a half-done sign-in."""
    return user.get_id()


def user_awaiting_code(pending: str | None) -> StaffUser | None:
    """The active account whose password was right and whose code is still to come."""
    number, _, token = str(pending or "").partition(":")
    user = get_user(int(number)) if number.isdigit() else None
    if user is None or not user.active or not user.totp_secret or user.session_token != token:
        return None
    return user


def sign_in_with_code(user: StaffUser, code: str) -> CodeResult:
    """Finish signing in with the code the account's authenticator app shows now. A code is
    accepted once only; wrong codes are counted, audited, and pause code checks."""
    if still_to_come(user.code_locked_until):
        audit("sign_in.code_refused_paused", "staff_user", user.id, actor_id=user.id)
        db.session.commit()
        return CodeResult.PAUSED
    step = matching_step(user_totp_secret(user), code)
    if step is None or (user.last_code_step is not None and step <= user.last_code_step):
        user.code_failures += 1
        pause = pause_after(user.code_failures, CODE_FAILURES_ALLOWED)
        if pause is not None:
            user.code_locked_until = now() + pause
        audit("account.code_failed", "staff_user", user.id, actor_id=user.id,
              reused=step is not None)
        db.session.commit()
        return CodeResult.WRONG
    user.code_failures, user.code_locked_until, user.last_code_step = 0, None, step
    _record_sign_in(user)
    return CodeResult.ACCEPTED


def _record_sign_in(user: StaffUser) -> None:
    user.last_sign_in_at = now()
    audit("sign_in.succeeded", "staff_user", user.id, actor_id=user.id)
    db.session.commit()
