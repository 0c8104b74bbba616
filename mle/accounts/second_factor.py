"""The second factor: a time-based code from an authenticator app (TOTP), its secret encrypted
at rest."""

from __future__ import annotations

import pyotp
from flask import current_app

from mle.database import db
from mle.models import StaffUser
from mle.security.audit import audit
from mle.security.encryption import decrypt_json, encrypt_json


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(user: StaffUser, secret: str) -> str:
    """What the QR code holds, for an authenticator app to add the account."""
    issuer = current_app.extensions["mle_site"].area.short_name
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=issuer)


def verify_totp(secret: str, code: str) -> bool:
    code = "".join(ch for ch in code or "" if ch.isdigit())
    return len(code) == 6 and pyotp.TOTP(secret).verify(code, valid_window=1)


def user_totp_secret(user: StaffUser) -> str | None:
    return decrypt_json(user.totp_secret) if user.totp_secret else None


def enable_totp(user: StaffUser, secret: str, code: str) -> bool:
    """Turn the second factor on, only once the app shows a right code for the new secret."""
    if not verify_totp(secret, code):
        return False
    user.totp_secret = encrypt_json(secret)
    audit("account.totp_enabled", "staff_user", user.id)
    db.session.commit()
    return True


def disable_totp(user: StaffUser) -> None:
    user.totp_secret = None
    audit("account.totp_disabled", "staff_user", user.id)
    db.session.commit()
