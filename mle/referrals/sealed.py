"""A request's answers summary and its outcome text, encrypted at rest like its contact details:
the answers are health information and the outcome is staff free text about a person."""

from __future__ import annotations

from mle.models import Referral
from mle.security.encryption import decrypt_json, encrypt_json


def seal(value: dict | str) -> bytes:
    return encrypt_json(value)


def summary_of(referral: Referral) -> dict | None:
    """The answers and rules the request was made on; None once the retention schedule has
    deleted them."""
    return decrypt_json(referral.summary) if referral.summary else None


def outcome_of(referral: Referral) -> str | None:
    """The closing outcome or the reason for declining; None if there is none (or no longer)."""
    return decrypt_json(referral.outcome) if referral.outcome else None
