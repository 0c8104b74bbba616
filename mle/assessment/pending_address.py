"""An email address waiting for the person to confirm it on the page: nothing is sent to an
address until they see it and press Send.

Until then it is held in this browser's session only, encrypted (the session cookie is signed,
not secret), tied to one assessment and one kind of email, and dropped once the email is
queued or refused. It is never written to the database.
"""

from __future__ import annotations

from flask import session

from mle.models import Assessment
from mle.security.encryption import DecryptionError, decrypt_json, encrypt_json

SESSION_KEY = "email_to_confirm"
RESULT = "result"
RESUME_LINK = "resume"


def _purpose(assessment: Assessment, kind: str) -> str:
    return f"{kind}:{assessment.id}"


def hold(assessment: Assessment, kind: str, address: str) -> None:
    session[SESSION_KEY] = encrypt_json(
        {"for": _purpose(assessment, kind), "to": address}).decode()


def held(assessment: Assessment, kind: str) -> str | None:
    """The address entered for this assessment and kind of email, if it is still waiting."""
    token = session.get(SESSION_KEY)
    if not isinstance(token, str):
        return None
    try:
        data = decrypt_json(token.encode())
    except DecryptionError:
        return None
    if not isinstance(data, dict) or data.get("for") != _purpose(assessment, kind):
        return None
    address = data.get("to")
    return address if isinstance(address, str) and address else None


def drop() -> None:
    session.pop(SESSION_KEY, None)
