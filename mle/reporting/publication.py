"""Every figure the reports can show for a period, read from the rollups and suppressed so that
the dashboard, each locality view, the national outcomes view and every export show the same
figures and no hidden one can be worked out from the others, within the period or across the
months, quarters and year of one financial year.

Every period of a financial year publishes the same list of figures (the same keys, zeros
included, and the same sums between them). Each period is protected on its own by `protect`,
and every period of the year then hides the union of what any of them hides (see
docs/reporting.md for why that is safe). The protected year is kept in memory with a digest of
the rollup figures it was built from, so it is built again exactly when those change.

A figure's key is a tuple:
  ("m", measure, "all")                 the whole area
  ("m", measure, "loc", locality)       one locality ("" for not known)
  ("m", measure, "grp", group)          a locality group
  ("m", measure, dimension, value)      by SIMD quintile, age band or channel
  ("m", measure, dimension, value, loc) the same within one locality
  ("mod", module) / ("mod", module, loc) assessments that used a module
  ("lvl", module, level)                a module's results at each outcome level
  ("nat", outcome)                      module results counting towards a national outcome
  ("t", kind, key) / ("t", kind, key, loc) tallies (equipment items, referral statuses, ...)
  ("t", kind, "*") / ("t", kind, "*", loc) the total of a kind with one value per record
"""

from __future__ import annotations

import hashlib
import threading
from array import array
from collections import OrderedDict, defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from time import monotonic

import yaml
from sqlalchemy import func, select

from mle.extensions import db
from mle.models.directory import DirectoryView
from mle.models.rollup import MEASURES, OutcomeRollup, OutcomeTally
from mle.reporting.periods import Period, financial_year_of, nested_periods, parse_period
from mle.reporting.suppression import HIDDEN, THRESHOLD, protect

CROSS = ("simd_quintile", "age_band", "channel")
SIMD_QUINTILES = (1, 2, 3, 4, 5, 0)
CHANNELS = ("self", "on_behalf", "assisted")
AGE_BANDS = ("under_16", "16_17", "18_24", "25_49", "50_64", "65_74", "75_84", "85_plus")
LEVELS = ("advice", "equipment", "signposting", "referral", "urgent")
REFERRAL_STATUSES = ("new", "accepted", "in_progress", "closed", "declined")
FEEDBACK_HELPFUL = ("yes", "partly", "no")
FEEDBACK_NEXT = ("try_advice", "get_equipment", "contact_service", "talk_to_someone",
                 "not_sure")
# Whole days from a request to the team's first action, in bands: (key, lowest, highest).
FIRST_ACTION_BANDS = (("0", 0, 0), ("1-2", 1, 2), ("3-5", 3, 5), ("6-10", 6, 10),
                      ("11-20", 11, 20), ("21+", 21, 10_000))
# Kinds with one value per record: their values add up to a total that is shown.
SINGLE = ("referral_status", "feedback_helpful", "first_action")
LIST_KINDS = ("equipment_suggested", "equipment_requested", "feedback_next", "unmet_need",
              "service")


@dataclass(frozen=True)
class NationalOutcomes:
    outcomes: dict[int, str]
    levels: dict[str, tuple[int, ...]]
    modules: dict[str, tuple[int, ...]]

    def levels_for(self, outcome: int) -> list[str]:
        return [level for level, outcomes in self.levels.items() if outcome in outcomes]

    def modules_for(self, outcome: int) -> list[str]:
        return [module for module, outcomes in self.modules.items() if outcome in outcomes]

    def outcomes_for(self, module: str, level: str) -> tuple[int, ...]:
        return tuple(sorted({*self.levels.get(level, ()), *self.modules.get(module, ())}))


def load_national_outcomes(path: Path) -> NationalOutcomes:
    raw = yaml.safe_load(path.read_text("utf-8"))
    outcomes = {int(o["id"]): o["text"] for o in raw["outcomes"]}
    levels = {k: tuple(v) for k, v in (raw.get("levels") or {}).items()}
    modules = {k: tuple(v) for k, v in (raw.get("modules") or {}).items()}
    for mapped in (*levels.values(), *modules.values()):
        unknown = set(mapped) - set(outcomes)
        if unknown:
            raise ValueError(f"national_outcomes.yaml maps to unknown outcomes {unknown}")
    return NationalOutcomes(outcomes, levels, modules)


def band_of(days: int) -> str:
    for key, low, high in FIRST_ACTION_BANDS:
        if low <= days <= high:
            return key
    return FIRST_ACTION_BANDS[-1][0]


class Figures(Mapping):
    """One period's figures: a count for every key the financial year publishes, held in a
    compact array over a key index that every period of the year shares: 8 bytes a count, not a
    dictionary per period (see bench/report_memory.py)."""

    __slots__ = ("_index", "_counts")

    def __init__(self, index: dict, counts: array):
        self._index = index
        self._counts = counts

    def __getitem__(self, key) -> int:
        return self._counts[self._index[key]]

    def __contains__(self, key) -> bool:
        return key in self._index

    def __iter__(self) -> Iterator:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)


@dataclass
class Publication:
    months: tuple[str, ...]
    localities: tuple[str, ...]  # ids, then "" for not known
    groups: dict[str, tuple[str, ...]]
    values: Mapping = field(default_factory=dict)
    relations: list = field(default_factory=list)  # (total, parts): the sums between figures
    hidden: frozenset = field(default_factory=frozenset)
    topics: dict[str, int] = field(default_factory=dict)
    hidden_topics: frozenset = field(default_factory=frozenset)
    modules: tuple[str, ...] = ()
    tally_keys: dict[str, tuple[str, ...]] = field(default_factory=dict)
    first_action_days: dict[str, dict[int, int]] = field(default_factory=dict)  # loc -> hist
    # The month publications of the same year, for the rows of the "by month" table: a month
    # row is that month's own protected headline figures.
    month_publications: dict[str, Publication] = field(default_factory=dict, repr=False,
                                                       compare=False)

    def show(self, key) -> int | str:
        return HIDDEN if key in self.hidden else self.values.get(key, 0)

    def median_first_action(self, locality: str | None = None) -> int | str | None:
        """Median whole days to first action; None when nothing was acted on, HIDDEN when
        fewer than 5 were."""
        histogram: dict[int, int] = defaultdict(int)
        for loc, counts in self.first_action_days.items():
            if locality is None or loc == locality:
                for days, count in counts.items():
                    histogram[days] += count
        total = sum(histogram.values())
        if total == 0:
            return None
        if total < 5:
            return HIDDEN
        seen, middle = 0, (total + 1) // 2
        for days in sorted(histogram):
            seen += histogram[days]
            if seen >= middle:
                return days
        return None


@dataclass
class _Month:
    """One month's rollup figures, as read."""

    measures: dict = field(default_factory=lambda: {d: {} for d in CROSS})  # (value, loc)
    modules: dict = field(default_factory=dict)  # (module, level, loc) -> count
    tallies: dict = field(default_factory=dict)  # (kind, key, loc) -> count
    topics: dict = field(default_factory=dict)  # key -> page views


@dataclass(frozen=True)
class _Structure:
    """The list of figures every period of a financial year publishes."""

    localities: tuple[str, ...]
    dimension_values: dict[str, tuple]
    modules: tuple[str, ...]
    levels: dict[str, tuple[str, ...]]
    tally_keys: dict[str, tuple[str, ...]]


def _read_year(months: tuple[str, ...]) -> tuple[dict[str, _Month], str]:
    """The rollup figures of these months, by month (a handful of grouped queries on small
    tables, each in a fixed order), and a digest of every figure read, which changes exactly
    when one of them does. The digest is kept, not the figures: they are megabytes in a year."""
    data = {month: _Month() for month in months}
    digest = hashlib.sha256()

    def seen(*row) -> None:
        digest.update(repr(row).encode())

    _read_measures(months, data, seen)
    grouping = (OutcomeRollup.period, OutcomeRollup.module, OutcomeRollup.level,
                OutcomeRollup.locality)
    for period, module, level, loc, count in db.session.execute(
            select(*grouping, func.sum(OutcomeRollup.assessments))
            .where(OutcomeRollup.period.in_(months), OutcomeRollup.module != "")
            .group_by(*grouping).order_by(*grouping)):
        if int(count):
            data[period].modules[(module, level, loc)] = int(count)
            seen("mod", period, module, level, loc, int(count))
    grouping = (OutcomeTally.period, OutcomeTally.kind, OutcomeTally.key, OutcomeTally.locality)
    for period, kind, key, loc, count in db.session.execute(
            select(*grouping, func.sum(OutcomeTally.count))
            .where(OutcomeTally.period.in_(months))
            .group_by(*grouping).order_by(*grouping)):
        if int(count):
            data[period].tallies[(kind, key, loc)] = int(count)
            seen("t", period, kind, key, loc, int(count))
    grouping = (DirectoryView.period, DirectoryView.key)
    for period, key, count in db.session.execute(
            select(*grouping, func.sum(DirectoryView.views))
            .where(DirectoryView.kind == "topic", DirectoryView.period.in_(months))
            .group_by(*grouping).order_by(*grouping)):
        if int(count):
            data[period].topics[key] = int(count)
            seen("topic", period, key, int(count))
    return data, digest.hexdigest()


def _read_measures(months: tuple[str, ...], data: dict[str, _Month], seen) -> None:
    measures = [func.coalesce(func.sum(getattr(OutcomeRollup, m)), 0) for m in MEASURES]
    for dimension in CROSS:
        column = getattr(OutcomeRollup, dimension)
        grouping = (OutcomeRollup.period, column, OutcomeRollup.locality)
        for period, value, loc, *counts in db.session.execute(
                select(*grouping, *measures)
                .where(OutcomeRollup.period.in_(months), OutcomeRollup.module == "")
                .group_by(*grouping).order_by(*grouping)):
            counts = tuple(int(c) for c in counts)
            if any(counts):
                data[period].measures[dimension][(value, loc)] = counts
                seen(dimension, period, value, loc, counts)


def _structure(data: dict[str, _Month], localities: tuple[str, ...]) -> _Structure:
    """The figures to publish for every period of the year: every locality, dimension value,
    module, level and tally key that occurs anywhere in the year (and the fixed ones)."""
    months = list(data.values())
    seen_localities = {loc for m in months for cells in m.measures.values() for (_, loc) in cells}
    seen_localities |= {loc for m in months for (_, _, loc) in (*m.modules, *m.tallies)}
    # A locality no longer in area.yaml still counts.
    all_localities = (*localities, "", *sorted(seen_localities - {*localities, ""}))
    fixed_values = {"simd_quintile": SIMD_QUINTILES, "age_band": (*AGE_BANDS, ""),
                    "channel": CHANNELS}
    dimension_values = {}
    for dimension in CROSS:
        extra = {value for m in months for (value, _) in m.measures[dimension]}
        extra -= set(fixed_values[dimension])
        dimension_values[dimension] = (*fixed_values[dimension], *sorted(extra, key=str))
    module_totals: dict[str, int] = defaultdict(int)
    module_levels: dict[str, set] = defaultdict(set)
    for m in months:
        for (module, level, _), count in m.modules.items():
            module_totals[module] += count
            module_levels[module].add(level)
    modules = tuple(sorted(module_totals, key=lambda mod: (-module_totals[mod], mod)))
    levels = {mod: (*LEVELS, *sorted(module_levels[mod] - set(LEVELS))) for mod in modules}
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for m in months:
        for (kind, key, _), count in m.tallies.items():
            if kind == "first_action_days":
                kind, key = "first_action", band_of(int(key))
            counts[kind][key] += count
    fixed = {"referral_status": REFERRAL_STATUSES, "feedback_helpful": FEEDBACK_HELPFUL,
             "feedback_next": FEEDBACK_NEXT,
             "first_action": tuple(b[0] for b in FIRST_ACTION_BANDS)}
    tally_keys = {}
    for kind in (*SINGLE, *LIST_KINDS):
        keys = list(fixed.get(kind, ()))
        keys += sorted(set(counts[kind]) - set(keys), key=lambda k: (-counts[kind][k], k))
        tally_keys[kind] = tuple(keys)
    return _Structure(all_localities, dimension_values, modules, levels, tally_keys)


def _month_figures(structure: _Structure, month: _Month, groups: dict[str, tuple],
                   national: NationalOutcomes | None) -> tuple[dict, list]:
    """Every figure of one month, in the year's structure, and the sums between them."""
    values: dict = {}
    relations: list[tuple] = []
    _add_measures(structure, month, groups, values, relations)
    _add_modules(structure, month, values, relations, national)
    _add_tallies(structure, month, values, relations)
    return values, relations


def _first_action_days(month: _Month, into: dict) -> None:
    for (kind, key, loc), count in month.tallies.items():
        if kind == "first_action_days":
            histogram = into.setdefault(loc, {})
            histogram[int(key)] = histogram.get(int(key), 0) + count


def build_year(financial_year: str, localities: tuple[str, ...], groups: dict[str, tuple],
               national: NationalOutcomes | None = None,
               read: tuple | None = None) -> dict[str, Publication]:
    """Every period of a financial year (its months, quarters and the year), each protected
    on its own and then all hiding the union of what any of them hides."""
    year = parse_period(financial_year)
    data, _ = read or _read_year(year.months)
    structure = _structure(data, localities)
    # Every month lists the same figures, in the same order, with the same sums between them:
    # the first month gives the key index and the sums, each month then only its counts.
    first, relations = _month_figures(structure, data[year.months[0]], groups, national)
    index = {key: position for position, key in enumerate(first)}
    monthly = {year.months[0]: array("q", first.values())}
    for month in year.months[1:]:
        values, _ = _month_figures(structure, data[month], groups, national)
        monthly[month] = array("q", (values[key] for key in index))
    publications: dict[str, Publication] = {}
    for period in nested_periods(financial_year):
        counts = monthly[period.months[0]] if len(period.months) == 1 else \
            array("q", map(sum, zip(*(monthly[m] for m in period.months), strict=True)))
        pub = Publication(period.months, structure.localities, groups, Figures(index, counts),
                          relations, modules=structure.modules, tally_keys=structure.tally_keys)
        pub.hidden = protect(dict(zip(index, counts, strict=True)), relations)
        topics: dict[str, int] = defaultdict(int)
        for m in period.months:
            _first_action_days(data[m], pub.first_action_days)
            for key, count in data[m].topics.items():
                topics[key] += count
        pub.topics = dict(sorted(topics.items(), key=lambda item: (-item[1], item[0])))
        publications[period.code] = pub
    # A figure hidden in any period of the year is hidden in all of them; so is a topic's
    # page views when they are from 1 to 4 in any period.
    hidden = frozenset().union(*(pub.hidden for pub in publications.values()))
    hidden_topics = frozenset(key for pub in publications.values()
                              for key, count in pub.topics.items() if 0 < count < THRESHOLD)
    months = {month: publications[month] for month in year.months}
    for pub in publications.values():
        pub.hidden = hidden
        pub.hidden_topics = hidden_topics
        pub.month_publications = {month: months[month] for month in pub.months}
    return publications


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


def build(period: Period, localities: tuple[str, ...], groups: dict[str, tuple],
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
    read = _read_year(parse_period(financial_year).months)
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


def _add_measures(structure: _Structure, month: _Month, groups: dict[str, tuple],
                  values: dict, relations: list) -> None:
    zeros = (0,) * len(MEASURES)
    cells = month.measures
    for index, measure in enumerate(MEASURES):
        whole = ("m", measure, "all")
        by_locality = {loc: ("m", measure, "loc", loc) for loc in structure.localities}
        for loc, key in by_locality.items():
            values[key] = sum(v[index] for (_, where), v in cells["simd_quintile"].items()
                              if where == loc)
        values[whole] = sum(values[k] for k in by_locality.values())
        relations.append((whole, list(by_locality.values())))
        for group, members in groups.items():
            key = ("m", measure, "grp", group)
            parts = [by_locality[m] for m in members if m in by_locality]
            values[key] = sum(values[p] for p in parts)
            relations.append((key, parts))
        for dimension in CROSS:
            margins = []
            for value in structure.dimension_values[dimension]:
                margin = ("m", measure, dimension, value)
                parts = [("m", measure, dimension, value, loc) for loc in structure.localities]
                for part in parts:
                    values[part] = cells[dimension].get((value, part[4]), zeros)[index]
                values[margin] = sum(values[p] for p in parts)
                relations.append((margin, parts))
                margins.append(margin)
            relations.append((whole, margins))
            for loc in structure.localities:
                relations.append((by_locality[loc], [
                    ("m", measure, dimension, value, loc)
                    for value in structure.dimension_values[dimension]]))


def _add_modules(structure: _Structure, month: _Month, values: dict, relations: list,
                 national: NationalOutcomes | None) -> None:
    """Modules, their levels and the national outcomes they count towards."""
    by_locality: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    by_level: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    for (module, level, loc), count in month.modules.items():
        by_locality[module][loc] += count
        by_level[module][level] += count
    national_parts: dict[int, list] = defaultdict(list)
    for module in structure.modules:
        total = ("mod", module)
        for loc in structure.localities:
            values[("mod", module, loc)] = by_locality[module].get(loc, 0)
        values[total] = sum(values[("mod", module, loc)] for loc in structure.localities)
        relations.append((total, [("mod", module, loc) for loc in structure.localities]))
        levels = structure.levels[module]
        for level in levels:
            values[("lvl", module, level)] = by_level[module].get(level, 0)
            for outcome in (national.outcomes_for(module, level) if national else ()):
                national_parts[outcome].append(("lvl", module, level))
        relations.append((total, [("lvl", module, level) for level in levels]))
    for outcome in (national.outcomes if national else ()):
        values[("nat", outcome)] = sum(values[p] for p in national_parts[outcome])
        if national_parts[outcome]:
            relations.append((("nat", outcome), national_parts[outcome]))


def _add_tallies(structure: _Structure, month: _Month, values: dict, relations: list) -> None:
    counts: dict[str, dict[str, dict[str, int]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(int)))
    for (kind, key, loc), count in month.tallies.items():
        if kind == "first_action_days":
            kind, key = "first_action", band_of(int(key))
        counts[kind][key][loc] += count
    for kind in (*SINGLE, *LIST_KINDS):
        keys = structure.tally_keys[kind]
        for key in keys:
            parts = [("t", kind, key, loc) for loc in structure.localities]
            for part in parts:
                values[part] = counts[kind][key].get(part[3], 0)
            values[("t", kind, key)] = sum(values[p] for p in parts)
            relations.append((("t", kind, key), parts))
        if kind in SINGLE:
            _add_single_totals(structure, kind, keys, values, relations)


def _add_single_totals(structure: _Structure, kind: str, keys: tuple, values: dict,
                       relations: list) -> None:
    """A kind with one value per record adds up to a total; for referral statuses that total
    is the referrals made, the same figure as in the funnel."""
    if kind == "referral_status":
        whole = ("m", "referral_made", "all")
        per_locality = {loc: ("m", "referral_made", "loc", loc) for loc in structure.localities}
    else:
        whole = ("t", kind, "*")
        per_locality = {loc: ("t", kind, "*", loc) for loc in structure.localities}
        for loc, key in per_locality.items():
            values[key] = sum(values[("t", kind, k, loc)] for k in keys)
        values[whole] = sum(values[k] for k in per_locality.values())
        relations.append((whole, list(per_locality.values())))
    relations.append((whole, [("t", kind, k) for k in keys]))
    for loc, key in per_locality.items():
        relations.append((key, [("t", kind, k, loc) for k in keys]))


def topic_views(pub: Publication) -> list[tuple[str, int | str]]:
    """Views of directory topics: page views, not people, and no total shown; counts from 1
    to 4 are hidden, and a topic hidden in any period of the year is hidden in all of them."""
    return [(key, HIDDEN if key in pub.hidden_topics else count)
            for key, count in pub.topics.items()]
