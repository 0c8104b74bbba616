"""Protected years kept in memory, one per financial year and set-up, each with a digest of the
rollup figures it was built from, so that a year is built again exactly when those change."""

from __future__ import annotations

import threading
from collections import OrderedDict
from time import monotonic

from mle.reporting.national_outcomes import NationalOutcomes
from mle.reporting.periods import Period, financial_year_of, parse_period
from mle.reporting.protected_year import build_year
from mle.reporting.publication import Publication
from mle.reporting.rollup_figures import read_year

# One protected year per financial year and set-up, with the figures it was built from and
# when they were last checked: a newer build replaces it, so a busy service (a new outcome every
# few minutes) holds a few years at most, never a trail of out-of-date ones.
_CACHE: OrderedDict = OrderedDict()
_CACHE_SIZE = 4
_CACHE_LOCK = threading.Lock()


def _national_key(national: NationalOutcomes | None) -> tuple:
    if national is None:
        return ()
    return (tuple(national.outcomes.items()), tuple(national.levels.items()),
            tuple(national.modules.items()))


def publication_of(period: Period, localities: tuple[str, ...], groups: dict[str, tuple],
                   national: NationalOutcomes | None = None, max_age: float = 0) -> Publication:
    """The publication of one period, from the protected financial year it lies in. The year
    is built once and kept in memory with a digest of the rollup figures it was built from.
    Once it is max_age seconds old, those figures are read again (in the caller's transaction)
    on the next call: a change to any of them, such as an outcome written, means a new
    protection. With max_age 0 they are read on every call."""
    financial_year = financial_year_of(period.months[0])
    key = (financial_year, tuple(localities), tuple((g, tuple(m)) for g, m in groups.items()),
           _national_key(national))
    with _CACHE_LOCK:
        cached = _CACHE.get(key)
        if cached is not None:
            _CACHE.move_to_end(key)
    now = monotonic()
    if cached is not None and max_age > 0 and now - cached[2] < max_age:
        return cached[1][period.code]
    read = read_year(parse_period(financial_year).months)
    if cached is not None and cached[0] == read[1]:
        year = cached[1]
    else:
        # The old year goes before the new one is built, so a worker never holds both.
        with _CACHE_LOCK:
            _CACHE.pop(key, None)
        cached = None
        year = build_year(financial_year, tuple(localities), groups, national, read)
    with _CACHE_LOCK:
        _CACHE[key] = (read[1], year, now)
        _CACHE.move_to_end(key)
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return year[period.code]


def clear_cache() -> None:
    with _CACHE_LOCK:
        _CACHE.clear()
