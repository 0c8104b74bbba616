"""How long sign-in pauses after failures in a row: the same curve for an account's passwords,
its authenticator codes and a network address, so guessing slows down quickly while a pause
never lasts long enough for a stranger to shut a colleague out for good."""

from __future__ import annotations

from datetime import timedelta

FIRST_PAUSE = timedelta(minutes=1)
LONGEST_PAUSE = timedelta(minutes=15)


def pause_after(failures: int, allowed: int) -> timedelta | None:
    """No pause until `allowed` failures in a row; then 1 minute, doubling with each further
    failure, never more than 15 minutes."""
    if failures < allowed:
        return None
    doublings = min(failures - allowed, 10)  # 2**10 minutes is far past the cap already
    return min(FIRST_PAUSE * 2**doublings, LONGEST_PAUSE)
