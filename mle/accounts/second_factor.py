"""The second factor: a time-based code from an authenticator app (TOTP), its secret encrypted
at rest. Turning it off needs the account's password again."""

from __future__ import annotations

import hmac

import pyotp
from flask import current_app

from mle.accounts.clock import now
from mle.accounts.password_check import check_current_password
from mle.database import db
from mle.models import StaffUser
from mle.security.audit import audit
from mle.security.encryption import decrypt_json, encrypt_json

DRIFT_STEPS = 1  # a code from the 30 seconds before or after now is still accepted


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(user: StaffUser, secret: str) -> str:
    """What the QR code holds, for an authenticator app to add the account."""
    issuer = current_app.extensions["mle_site"].area.short_name
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=issuer)


def matching_step(secret: str, code: str) -> int | None:
    """The 30-second time step whose code this is (now, or one step either side), or None."""
    code = "".join(ch for ch in code or "" if ch.isdigit())
    if len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now())
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def verify_totp(secret: str, code: str) -> bool:
    return matching_step(secret, code) is not None


def user_totp_secret(user: StaffUser) -> str | None:
    return decrypt_json(user.totp_secret) if user.totp_secret else None


def enable_totp(user: StaffUser, secret: str, code: str) -> bool:
    """Turn the second factor on, only once the app shows a right code for the new secret.
    (That code may still finish a sign-in: the person is signed in already.)"""
    if not verify_totp(secret, code):
        return False
    user.totp_secret = encrypt_json(secret)
    user.last_code_step = None
    user.code_failures, user.code_locked_until = 0, None
    audit("account.totp_enabled", "staff_user", user.id)
    db.session.commit()
    return True


def disable_totp(user: StaffUser, current_password: str) -> bool:
    """Turn the second factor off, only with the account's password: a session someone has
    taken over is not enough."""
    if not check_current_password(user, current_password):
        return False
    user.totp_secret = None
    user.last_code_step = None
    audit("account.totp_disabled", "staff_user", user.id)
    db.session.commit()
    return True
