"""Every figure the reports can show for one period, read from the rollups and suppressed
together, so that the dashboard, each locality view, the national outcomes view and every export
show the same figures and no hidden one can be worked out from the others.

A figure's key is a tuple:
  ("m", measure, "all")                 the whole area
  ("m", measure, "loc", locality)       one locality ("" for not known)
  ("m", measure, "grp", group)          a locality group
  ("m", measure, dimension, value)      by SIMD quintile, age band, channel or month
  ("m", measure, dimension, value, loc) the same within one locality
  ("mod", module) / ("mod", module, loc) assessments that used a module
  ("lvl", module, level)                a module's results at each outcome level
  ("nat", outcome)                      module results counting towards a national outcome
  ("t", kind, key) / ("t", kind, key, loc) tallies (equipment items, referral statuses, ...)
  ("t", kind, "*") / ("t", kind, "*", loc) the total of a kind with one value per record
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from sqlalchemy import func, select

from mle.extensions import db
from mle.models.directory import DirectoryView
from mle.models.rollup import MEASURES, OutcomeRollup, OutcomeTally
from mle.reporting.suppression import HIDDEN, hide_small, protect

CROSS = ("simd_quintile", "age_band", "channel", "month")
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


@dataclass
class Publication:
    months: tuple[str, ...]
    localities: tuple[str, ...]  # ids, then "" for not known
    groups: dict[str, tuple[str, ...]]
    values: dict = field(default_factory=dict)
    relations: list = field(default_factory=list)  # (total, parts): the sums between figures
    hidden: set = field(default_factory=set)
    topics: dict[str, int] = field(default_factory=dict)
    modules: tuple[str, ...] = ()
    tally_keys: dict[str, tuple[str, ...]] = field(default_factory=dict)
    first_action_days: dict[str, dict[int, int]] = field(default_factory=dict)  # loc -> hist

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


def _dimension_column(dimension: str):
    return OutcomeRollup.period if dimension == "month" else getattr(OutcomeRollup, dimension)


def build(months: tuple[str, ...], localities: tuple[str, ...], groups: dict[str, tuple],
          national: NationalOutcomes | None = None) -> Publication:
    """Read the rollups for these months (a handful of grouped queries on small tables) and
    suppress every figure together."""
    pub = Publication(months, (*localities, ""), groups)
    values: dict = {}
    relations: list[tuple] = []
    _add_measures(pub, values, relations)
    _add_modules(pub, values, relations, national)
    _add_tallies(pub, values, relations)
    pub.values = values
    pub.relations = relations
    pub.hidden = protect(values, relations)
    views = db.session.execute(
        select(DirectoryView.key, func.sum(DirectoryView.views))
        .where(DirectoryView.kind == "topic", DirectoryView.period.in_(months))
        .group_by(DirectoryView.key).order_by(func.sum(DirectoryView.views).desc(),
                                              DirectoryView.key)).all()
    pub.topics = {key: int(count) for key, count in views}
    return pub


def _measure_cells(pub: Publication) -> tuple[dict, dict]:
    """Whole-assessment rollups summed by (value, locality) for each cross dimension."""
    measures = [func.coalesce(func.sum(getattr(OutcomeRollup, m)), 0) for m in MEASURES]
    cells: dict[str, dict[tuple, list[int]]] = {}
    for dimension in CROSS:
        column = _dimension_column(dimension)
        rows = db.session.execute(
            select(column, OutcomeRollup.locality, *measures)
            .where(OutcomeRollup.period.in_(pub.months), OutcomeRollup.module == "")
            .group_by(column, OutcomeRollup.locality)).all()
        cells[dimension] = {(row[0], row[1]): [int(v) for v in row[2:]] for row in rows}
    # A locality no longer in area.yaml still counts.
    extra = sorted({loc for (_, loc) in cells["month"]} - set(pub.localities))
    pub.localities = (*pub.localities, *extra)
    dimension_values = {
        "simd_quintile": list(SIMD_QUINTILES), "age_band": [*AGE_BANDS, ""],
        "channel": list(CHANNELS), "month": list(pub.months)}
    for dimension in CROSS:
        for (value, _) in cells[dimension]:
            if value not in dimension_values[dimension]:
                dimension_values[dimension].append(value)
    return cells, dimension_values


def _add_measures(pub: Publication, values: dict, relations: list) -> None:
    cells, dimension_values = _measure_cells(pub)
    zeros = [0] * len(MEASURES)
    for index, measure in enumerate(MEASURES):
        whole = ("m", measure, "all")
        by_locality = {loc: ("m", measure, "loc", loc) for loc in pub.localities}
        for loc, key in by_locality.items():
            values[key] = sum(v[index] for (_, where), v in cells["month"].items()
                              if where == loc)
        values[whole] = sum(values[k] for k in by_locality.values())
        relations.append((whole, list(by_locality.values())))
        for group, members in pub.groups.items():
            key = ("m", measure, "grp", group)
            parts = [by_locality[m] for m in members if m in by_locality]
            values[key] = sum(values[p] for p in parts)
            relations.append((key, parts))
        for dimension in CROSS:
            margins = []
            for value in dimension_values[dimension]:
                margin = ("m", measure, dimension, value)
                parts = [("m", measure, dimension, value, loc) for loc in pub.localities]
                for part in parts:
                    values[part] = cells[dimension].get((value, part[4]), zeros)[index]
                values[margin] = sum(values[p] for p in parts)
                relations.append((margin, parts))
                margins.append(margin)
            relations.append((whole, margins))
            for loc in pub.localities:
                relations.append((by_locality[loc], [
                    ("m", measure, dimension, value, loc)
                    for value in dimension_values[dimension]]))


def _add_modules(pub: Publication, values: dict, relations: list,
                 national: NationalOutcomes | None) -> None:
    """Modules, their levels and the national outcomes they count towards."""
    rows = db.session.execute(
        select(OutcomeRollup.module, OutcomeRollup.level, OutcomeRollup.locality,
               func.sum(OutcomeRollup.assessments))
        .where(OutcomeRollup.period.in_(pub.months), OutcomeRollup.module != "")
        .group_by(OutcomeRollup.module, OutcomeRollup.level, OutcomeRollup.locality)).all()
    by_locality: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    by_level: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    for module, level, loc, count in rows:
        by_locality[module][loc] += int(count)
        by_level[module][level] += int(count)
    pub.modules = tuple(sorted(by_locality, key=lambda m: (-sum(by_locality[m].values()), m)))
    national_parts: dict[int, list] = defaultdict(list)
    for module in pub.modules:
        total = ("mod", module)
        values[total] = sum(by_locality[module].values())
        for loc in pub.localities:
            values[("mod", module, loc)] = by_locality[module].get(loc, 0)
        relations.append((total, [("mod", module, loc) for loc in pub.localities]))
        levels = [*LEVELS, *sorted(set(by_level[module]) - set(LEVELS))]
        for level in levels:
            values[("lvl", module, level)] = by_level[module].get(level, 0)
            for outcome in (national.outcomes_for(module, level) if national else ()):
                national_parts[outcome].append(("lvl", module, level))
        relations.append((total, [("lvl", module, level) for level in levels]))
    for outcome in (national.outcomes if national else ()):
        values[("nat", outcome)] = sum(values[p] for p in national_parts[outcome])
        if national_parts[outcome]:
            relations.append((("nat", outcome), national_parts[outcome]))


def _read_tallies(pub: Publication) -> dict[str, dict[str, dict[str, int]]]:
    rows = db.session.execute(
        select(OutcomeTally.kind, OutcomeTally.key, OutcomeTally.locality,
               func.sum(OutcomeTally.count))
        .where(OutcomeTally.period.in_(pub.months))
        .group_by(OutcomeTally.kind, OutcomeTally.key, OutcomeTally.locality)).all()
    tallies: dict[str, dict[str, dict[str, int]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(int)))
    for kind, key, loc, count in rows:
        if kind == "first_action_days":
            pub.first_action_days.setdefault(loc, {})[int(key)] = int(count)
            kind, key = "first_action", band_of(int(key))
        tallies[kind][key][loc] += int(count)
    return tallies


def _add_tallies(pub: Publication, values: dict, relations: list) -> None:
    tallies = _read_tallies(pub)
    fixed = {"referral_status": REFERRAL_STATUSES, "feedback_helpful": FEEDBACK_HELPFUL,
             "feedback_next": FEEDBACK_NEXT,
             "first_action": tuple(b[0] for b in FIRST_ACTION_BANDS)}
    for kind in (*SINGLE, *LIST_KINDS):
        counts = tallies[kind]
        keys = list(fixed.get(kind, ()))
        keys += sorted(set(counts) - set(keys), key=lambda k: (-sum(counts[k].values()), k))
        pub.tally_keys[kind] = tuple(keys)
        for key in keys:
            parts = [("t", kind, key, loc) for loc in pub.localities]
            for part in parts:
                values[part] = counts[key].get(part[3], 0)
            values[("t", kind, key)] = sum(values[p] for p in parts)
            relations.append((("t", kind, key), parts))
        if kind in SINGLE:
            _add_single_totals(pub, kind, keys, values, relations)


def _add_single_totals(pub: Publication, kind: str, keys: list, values: dict,
                       relations: list) -> None:
    """A kind with one value per record adds up to a total; for referral statuses that total
    is the referrals made, the same figure as in the funnel."""
    if kind == "referral_status":
        whole = ("m", "referral_made", "all")
        per_locality = {loc: ("m", "referral_made", "loc", loc) for loc in pub.localities}
    else:
        whole = ("t", kind, "*")
        per_locality = {loc: ("t", kind, "*", loc) for loc in pub.localities}
        for loc, key in per_locality.items():
            values[key] = sum(values[("t", kind, k, loc)] for k in keys)
        values[whole] = sum(values[k] for k in per_locality.values())
        relations.append((whole, list(per_locality.values())))
    relations.append((whole, [("t", kind, k) for k in keys]))
    for loc, key in per_locality.items():
        relations.append((key, [("t", kind, k, loc) for k in keys]))


def topic_views(pub: Publication) -> list[tuple[str, int | str]]:
    """Views of directory topics: page views, not people, and no total shown; small counts
    are still hidden."""
    return [(key, hide_small(count)) for key, count in pub.topics.items()]
