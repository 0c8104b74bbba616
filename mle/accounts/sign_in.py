"""Signing in: a password, then the code from an authenticator app when the account has one.
Failures never say which part was wrong, and repeated failures lock the account for a while."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from mle.accounts.second_factor import user_totp_secret, verify_totp
from mle.accounts.service import find_by_email, get_user
from mle.database import db
from mle.models import StaffUser
from mle.security.audit import audit
from mle.security.passwords import verify_password

MAX_FAILED_SIGN_INS = 5
LOCKOUT = timedelta(minutes=15)


@dataclass(frozen=True)
class SignInResult:
    user: StaffUser | None
    locked: bool = False
    needs_code: bool = False  # the password was right; the second factor is still to come


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime | None) -> datetime | None:
    # SQLite gives back naive datetimes; every time here is UTC.
    return moment.replace(tzinfo=UTC) if moment and moment.tzinfo is None else moment


def sign_in_with_password(email: str, password: str) -> SignInResult:
    """Check an email address and password. An account without a second factor is signed in
    at once; one with a second factor waits for `sign_in_with_code`."""
    user = find_by_email(email)
    if user is not None and user.locked_until and _aware(user.locked_until) > _now():
        verify_password(None, password)  # same work as any other attempt
        audit("sign_in.refused_locked", "staff_user", user.id, actor_id=user.id)
        db.session.commit()
        return SignInResult(None, locked=True)
    if user is None or not user.active or not verify_password(user.password_hash, password):
        if user is not None:
            user.failed_sign_ins += 1
            if user.failed_sign_ins >= MAX_FAILED_SIGN_INS:
                user.locked_until = _now() + LOCKOUT
                user.failed_sign_ins = 0
            audit("sign_in.failed", "staff_user", user.id, actor_id=user.id)
        db.session.commit()
        return SignInResult(None)
    user.failed_sign_ins, user.locked_until = 0, None
    if user.totp_secret:
        db.session.commit()
        return SignInResult(user, needs_code=True)
    _record_sign_in(user)
    return SignInResult(user)


def user_awaiting_code(user_id: int | None) -> StaffUser | None:
    """The active account whose password was right and whose code is still to come."""
    user = get_user(user_id or 0)
    return user if user is not None and user.active else None


def sign_in_with_code(user: StaffUser, code: str) -> bool:
    """Finish signing in with the code the account's authenticator app shows now."""
    if not verify_totp(user_totp_secret(user), code):
        return False
    _record_sign_in(user)
    return True


def _record_sign_in(user: StaffUser) -> None:
    user.last_sign_in_at = _now()
    audit("sign_in.succeeded", "staff_user", user.id, actor_id=user.id)
    db.session.commit()
