"""The figures every period of a financial year publishes, and one month's counts of them with
the sums that hold between them. Every period of the year lists the same figures (the same keys,
zeros included, and the same sums), so that the periods can be protected together. Pure: works
on the figures read (rollup_figures.py)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from mle.models.rollup import MEASURES
from mle.reporting.national_outcomes import NationalOutcomes
from mle.reporting.publication import (
    CROSS,
    FIRST_ACTION_BANDS,
    LIST_KINDS,
    SIMD_QUINTILES,
    SINGLE,
    band_of,
)
from mle.reporting.rollup_figures import MonthFigures
from mle.vocabulary import (
    AGE_BANDS,
    CHANNELS,
    FEEDBACK_HELPFUL,
    FEEDBACK_NEXT,
    LEVELS,
    REFERRAL_STATUSES,
)


@dataclass(frozen=True)
class YearStructure:
    """The list of figures every period of a financial year publishes."""

    localities: tuple[str, ...]
    dimension_values: dict[str, tuple]
    modules: tuple[str, ...]
    levels: dict[str, tuple[str, ...]]
    tally_keys: dict[str, tuple[str, ...]]


def structure_of(data: dict[str, MonthFigures], localities: tuple[str, ...]) -> YearStructure:
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
             "first_action": tuple(b[0] for b in FIRST_ACTION_BANDS),
             "solution": ("directed",)}
    tally_keys = {}
    for kind in (*SINGLE, *LIST_KINDS):
        keys = list(fixed.get(kind, ()))
        keys += sorted(set(counts[kind]) - set(keys), key=lambda k: (-counts[kind][k], k))
        tally_keys[kind] = tuple(keys)
    return YearStructure(all_localities, dimension_values, modules, levels, tally_keys)


def month_figures(structure: YearStructure, month: MonthFigures, groups: dict[str, tuple],
                  national: NationalOutcomes | None) -> tuple[dict, list]:
    """Every figure of one month, in the year's structure, and the sums between them."""
    values: dict = {}
    relations: list[tuple] = []
    _add_measures(structure, month, groups, values, relations)
    _add_modules(structure, month, values, relations, national)
    _add_tallies(structure, month, values, relations)
    return values, relations


def _add_measures(structure: YearStructure, month: MonthFigures, groups: dict[str, tuple],
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


def _add_modules(structure: YearStructure, month: MonthFigures, values: dict, relations: list,
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


def _add_tallies(structure: YearStructure, month: MonthFigures, values: dict,
                 relations: list) -> None:
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


def _add_single_totals(structure: YearStructure, kind: str, keys: tuple, values: dict,
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
