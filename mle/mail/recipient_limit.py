"""At most a few emails to one address a day, whoever asks for them: the service must not be a
way to flood someone's inbox, however many browsers or addresses the sender uses.

The count lives in the rate-limit store (shared by every worker in production, and expiring on
its own), keyed by a keyed hash of the lower-cased address: the address itself is never
stored for counting. The outbox cannot do the counting: its addresses are encrypted with a
fresh nonce each time and blanked once sent.
"""

from __future__ import annotations

from limits import parse

from mle.extensions import limiter
from mle.security.encryption import keyed_hash

RECIPIENT_LIMIT = parse("3 per 24 hours")


class TooManyEmailsToAddress(Exception):
    """The address has had its share of email for now; nothing was queued."""


def _key(address: str) -> str:
    return keyed_hash("email-recipient", address.strip().lower())


def count_email_to(address: str) -> None:
    """Count one email to `address`, or raise TooManyEmailsToAddress when it has had its
    share of the last 24 hours."""
    if not limiter.enabled:
        return
    if not limiter.limiter.hit(RECIPIENT_LIMIT, "email-recipient", _key(address)):
        raise TooManyEmailsToAddress
