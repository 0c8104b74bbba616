"""A signed-in member of staff changes their own password, giving the current one first."""

from __future__ import annotations

from mle.accounts.password_check import check_current_password
from mle.accounts.service import check_new_password, end_sessions
from mle.database import db
from mle.models import StaffUser
from mle.security.audit import audit
from mle.security.passwords import hash_password


class WrongCurrentPassword(ValueError):
    pass


def change_password(user: StaffUser, current_password: str, new_password: str) -> None:
    """Set a new password. Refused (WrongCurrentPassword) without the current one, and
    (WeakPassword) for a short or common one. Every session of the account ends, this one
    included: the caller signs this browser in again with the new session token."""
    check_new_password(new_password)
    if not check_current_password(user, current_password):
        raise WrongCurrentPassword
    user.password_hash = hash_password(new_password)
    user.failed_sign_ins, user.locked_until = 0, None
    end_sessions(user)
    audit("account.password_changed", "staff_user", user.id)
    db.session.commit()
