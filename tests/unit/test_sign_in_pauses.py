"""The numbers behind sign-in pauses, and the list of common passwords."""

from __future__ import annotations

from datetime import timedelta

from mle.accounts.back_off import pause_after
from mle.security.common_passwords import is_common_password


def test_no_pause_until_the_allowed_failures_then_doubling_to_fifteen_minutes():
    assert [pause_after(n, 5) for n in range(5)] == [None] * 5
    assert [pause_after(n, 5) for n in range(5, 10)] == [
        timedelta(minutes=m) for m in (1, 2, 4, 8, 15)]
    assert pause_after(10_000, 5) == timedelta(minutes=15)


def test_common_passwords_are_found_whatever_their_case():
    assert is_common_password("password")
    assert is_common_password("  QwertyQwerty ")
    assert not is_common_password("correct horse battery staple")
