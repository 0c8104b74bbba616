"""Failed sign-ins counted per network address, so guessing across many accounts from one
place slows down as well as guessing at one account. Only a keyed hash of the address is
stored. The limit is higher than an account's because a whole office can share one address."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from mle.accounts.back_off import pause_after
from mle.accounts.clock import aware, now, still_to_come
from mle.database import db
from mle.models import SignInThrottle
from mle.security.encryption import keyed_hash

FAILURES_ALLOWED = 20
FORGOTTEN_AFTER = timedelta(hours=1)  # a quiet hour and the count starts again


def _key(address: str | None) -> str:
    return keyed_hash("sign-in-address", address or "unknown")


def address_is_paused(address: str | None) -> bool:
    throttle = db.session.get(SignInThrottle, _key(address))
    return throttle is not None and still_to_come(throttle.locked_until)


def count_failure(address: str | None) -> None:
    """Add a failure to the current transaction; the caller commits."""
    key = _key(address)
    throttle = db.session.get(SignInThrottle, key)
    if throttle is None:
        try:  # two first failures at once: one row wins, the other counts on it
            with db.session.begin_nested():
                db.session.add(SignInThrottle(key=key, failures=0, last_failure_at=now()))
        except IntegrityError:
            pass
        throttle = db.session.get(SignInThrottle, key)
    elif aware(throttle.last_failure_at) < now() - FORGOTTEN_AFTER:
        throttle.failures, throttle.locked_until = 0, None
    throttle.failures += 1
    throttle.last_failure_at = now()
    pause = pause_after(throttle.failures, FAILURES_ALLOWED)
    if pause is not None:
        throttle.locked_until = now() + pause


def forget_quiet_addresses() -> int:
    """Delete the counts of addresses neither paused nor failing for FORGOTTEN_AFTER (they
    would start again from nothing anyway); returns how many went."""
    cutoff = now() - FORGOTTEN_AFTER
    quiet = delete(SignInThrottle).where(
        SignInThrottle.last_failure_at < cutoff,
        (SignInThrottle.locked_until.is_(None)) | (SignInThrottle.locked_until < now()))
    result = db.session.execute(quiet)
    db.session.commit()
    return result.rowcount
