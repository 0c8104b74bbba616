"""Passwords checked against an account: at sign-in, and again before a signed-in person turns
off two-step sign-in or changes their password. Wrong passwords count towards the account's
pause either way."""

from __future__ import annotations

from mle.accounts.back_off import pause_after
from mle.accounts.clock import now, still_to_come
from mle.database import db
from mle.models import StaffUser
from mle.security.audit import audit
from mle.security.passwords import verify_password

FAILURES_ALLOWED = 5  # wrong passwords in a row before the account pauses


def account_is_paused(user: StaffUser) -> bool:
    return still_to_come(user.locked_until)


def count_password_failure(user: StaffUser) -> None:
    """Add a wrong password to the current transaction; the caller commits. Pauses the account
    once there have been too many in a row, a little longer with each one after."""
    user.failed_sign_ins += 1
    pause = pause_after(user.failed_sign_ins, FAILURES_ALLOWED)
    if pause is not None:
        user.locked_until = now() + pause


def check_current_password(user: StaffUser, password: str) -> bool:
    """Whether a signed-in person has given their account's password again. A wrong one is
    counted and audited; while the account is paused every answer is refused."""
    right = verify_password(user.password_hash, password or "")
    if right and not account_is_paused(user):
        return True
    if not right:
        count_password_failure(user)
    audit("account.password_recheck_failed", "staff_user", user.id)
    db.session.commit()
    return False
