"""Build what one release publishes for a period, from the rollup figures of its months, and
protect it together with the periods published before it that it adds up with. Pure: works
on the figures read (rollup_figures.py) and on earlier periods as they were stored.

A month publishes only area-wide figures that are fixed when an assessment is completed (the
five measures and the modules used), so a released month never needs revising. A quarter or a
financial year publishes every breakdown. Its figures are protected in one system with the
periods inside it that were published earlier (its months; for a year, its quarters and
months): those keep what they hid, and the new period hides whatever keeps all of them safe.
Where a breakdown would still be mostly hidden, its figures are rounded to base 5 instead.
See docs/reporting.md."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from mle.models.rollup import MEASURES
from mle.reporting.national_outcomes import NationalOutcomes
from mle.reporting.rollup_figures import MonthFigures
from mle.reporting.suppression import HIDDEN, THRESHOLD, protect
from mle.reporting.year_structure import month_figures, structure_of

# The figures every month publishes, for the whole area.
MONTH_MEASURES = ("assessments", "signpost_potential")
SOLUTION = ("t", "solution", "directed")
TOPIC_VIEWS = ("v", "topic")
SERVICE_VIEWS = ("v", "service")
# A breakdown is rounded to base 5 when more than this share of its non-zero figures is hidden.
MOSTLY_HIDDEN = 0.5


@dataclass
class Frozen:
    """A period published before, as stored: its true counts, which of them were shown exactly,
    and the sums between them."""

    code: str
    months: tuple[str, ...]
    values: dict
    exact: set
    relations: list


@dataclass
class Built:
    code: str
    months: tuple[str, ...]
    cells: list  # [key, true count, shown, shown exactly]
    relations: list
    extra: dict = field(default_factory=dict)


def month_values(figures: MonthFigures, modules: tuple[str, ...] | None = None) -> dict:
    """A month's area-wide figures: the five measures and every module used."""
    values: dict = {}
    for measure in MONTH_MEASURES:
        index = MEASURES.index(measure)
        values[("m", measure, "all")] = sum(
            counts[index] for counts in figures.measures["simd_quintile"].values())
    values[SOLUTION] = sum(count for (kind, _, _), count in figures.tallies.items()
                           if kind == "solution")
    values[TOPIC_VIEWS] = sum(figures.topics.values())
    values[SERVICE_VIEWS] = figures.service_views
    used: dict[str, int] = defaultdict(int)
    for (module, _, _), count in figures.modules.items():
        used[module] += count
    for module in modules if modules is not None else sorted(used):
        values[("mod", module)] = used.get(module, 0)
    return values


def is_month_key(key) -> bool:
    """A figure a month publishes (the area-wide five measures and the modules used); a month
    that does not list a module used none of it."""
    return (key[0] == "mod" and len(key) == 2) or key in (
        *(("m", measure, "all") for measure in MONTH_MEASURES), SOLUTION, TOPIC_VIEWS,
        SERVICE_VIEWS)


def build_month(code: str, figures: MonthFigures) -> Built:
    """A month on its own: only area-wide figures with no sums between them, so hiding each
    count from 1 to 4 is all it takes."""
    values = month_values(figures)
    hidden = protect(values, [], keep_zeros=True)
    modules = _ordered([k[1] for k in values if k[0] == "mod"],
                       lambda m: ("mod", m), values, hidden, set())
    return Built(code, (code,), _cells(values, hidden, set()), [],
                 {"kind": "month", "modules": modules})


def build_longer(code: str, months: tuple[str, ...], data: dict[str, MonthFigures],
                 localities: tuple[str, ...], groups: dict[str, tuple],
                 national: NationalOutcomes | None, earlier: list[Frozen]) -> Built:
    """A quarter or a financial year, with every breakdown, protected with the periods inside
    it that were published before (`earlier`)."""
    structure = structure_of({m: data[m] for m in months}, localities)
    values: dict = defaultdict(int)
    relations: list = []
    for month in months:
        month_values_, relations = month_figures(structure, data[month], groups, national)
        for key, value in month_values_.items():
            values[key] += value
    values = dict(values)
    topics: dict[str, int] = defaultdict(int)
    for month in months:
        for key, count in data[month].topics.items():
            topics[key] += count
    for key in sorted(topics):
        values[("v", "topic", key)] = topics[key]
    values[TOPIC_VIEWS] = sum(topics.values())
    values[SERVICE_VIEWS] = sum(data[m].service_views for m in months)
    relations.append((TOPIC_VIEWS, [("v", "topic", key) for key in sorted(topics)]))

    hidden, fixed = _protect_with_earlier(code, months, values, relations, earlier)
    rounded = _rounded(values, hidden, fixed)
    extra = {
        "kind": "year" if len(months) == 12 else "quarter",
        "localities": list(structure.localities),
        "groups": {g: list(m) for g, m in groups.items()},
        "modules": _ordered(structure.modules, lambda m: ("mod", m), values, hidden, rounded),
        "tally_keys": {kind: _tally_order(kind, keys, values, hidden, rounded)
                       for kind, keys in structure.tally_keys.items()},
        "topics": _ordered(sorted(topics), lambda k: ("v", "topic", k), values, hidden,
                           rounded),
        "medians": _medians(months, data, structure.localities, values, hidden | rounded),
    }
    return Built(code, months, _cells(values, hidden, rounded),
                 [[list(t), [list(p) for p in parts]] for t, parts in relations], extra)


def _protect_with_earlier(code, months, values, relations, earlier: list[Frozen]):
    """The new period's hidden figures, and those it may not hide (worked out exactly from
    figures already published). Every earlier period keeps what it hid; the sums between
    nested periods join the systems."""
    all_values = {(code, k): v for k, v in values.items()}
    all_relations = [((code, t), [(code, p) for p in parts]) for t, parts in relations]
    hidden: set = set()
    fixed: set = set()
    for f in earlier:
        for k, v in f.values.items():
            all_values[(f.code, k)] = v
            fixed.add((f.code, k))
            if k not in f.exact:
                hidden.add((f.code, k))
        all_relations += [((f.code, t), [(f.code, p) for p in parts]) for t, parts in f.relations]
    parents = [(code, months, values)] + [(f.code, f.months, f.values) for f in earlier
                                          if len(f.months) > 1]
    for parent, parent_months, parent_values in parents:
        _nest(code, parent, parent_months, parent_values, earlier, all_relations, hidden,
              fixed)
    result = protect(all_values, all_relations, hidden=hidden, fixed=frozenset(fixed),
                     keep_zeros=True)
    return ({k for c, k in result if c == code}, {k for c, k in fixed if c == code})


def _nest(code, parent, parent_months, parent_values, earlier: list[Frozen], relations: list,
          hidden: set, fixed: set) -> None:
    """The sums between a period and the periods inside it (a quarter's months, a year's
    quarters), where they hold."""
    size = 3 if len(parent_months) == 12 else 1
    children = [f for f in earlier
                if len(f.months) == size and set(f.months) <= set(parent_months)]
    if sum(len(c.months) for c in children) != len(parent_months):
        return  # not published in full: nothing to add up with
    for key, value in parent_values.items():
        if size == 1 and not is_month_key(key):
            continue  # a month does not publish it: nothing to add up
        parts = [c for c in children if key in c.values]
        # A key a child does not list is a known zero there.
        if value == sum(c.values[key] for c in parts):
            relations.append(((parent, key), [(c.code, key) for c in parts]))
            if parent == code and all(key in c.exact for c in parts):
                fixed.add((code, key))
        elif parent == code and all(key in c.exact for c in parts) and \
                0 < abs(value - sum(c.values[key] for c in parts)) < THRESHOLD:
            # Late changes (a referral's status, feedback) since the earlier periods were
            # published: a difference from 1 to 4 counts people, so it is not shown.
            hidden.add((code, key))


def family(key) -> tuple | None:
    """The breakdown a figure belongs to, for rounding; None for a headline total."""
    kind = key[0]
    if kind == "m":
        if key[2] == "all":
            return None
        return (key[2],) if len(key) == 4 else (key[2], key[4])
    if kind in ("mod", "lvl"):
        return ("mod", key[2]) if kind == "mod" and len(key) == 3 else ("mod",)
    if kind == "nat":
        return ("nat",)
    if kind == "t":
        if key[2] == "*":
            return None
        return ("t", key[1]) if len(key) == 3 else ("t", key[1], key[3])
    if kind == "v":
        return ("v", key[1]) if len(key) == 3 else None
    return None


def _rounded(values: dict, hidden: set, fixed: set) -> set:
    """The figures shown rounded to base 5: every non-zero figure of a breakdown whose
    non-zero figures would mostly be hidden."""
    members: dict[tuple, list] = defaultdict(list)
    for key, value in values.items():
        group = family(key)
        if group is not None and value and key not in fixed:
            members[group].append(key)
    rounded: set = set()
    for keys in members.values():
        if len(keys) > 1 and sum(1 for k in keys if k in hidden) > MOSTLY_HIDDEN * len(keys):
            rounded.update(keys)
    return rounded


def round5(value: int) -> int:
    return 5 * ((value + 2) // 5)


def _cells(values: dict, hidden: set, rounded: set) -> list:
    cells = []
    for key, value in values.items():
        if key in rounded:
            shown = HIDDEN if value < THRESHOLD else round5(value)
        else:
            shown = HIDDEN if key in hidden else value
        cells.append([list(key), value, shown, key not in hidden and key not in rounded])
    return cells


def _shown_rank(key, values, hidden, rounded):
    """Rows by the figure shown, largest first, suppressed rows last."""
    value = values.get(key, 0)
    if key in rounded:
        return (value < THRESHOLD, -round5(value))
    return (key in hidden, 0 if key in hidden else -value)


def _ordered(ids, key_of, values, hidden, rounded) -> list:
    return sorted(ids, key=lambda i: (*_shown_rank(key_of(i), values, hidden, rounded), str(i)))


FIXED_ORDER = ("referral_status", "feedback_helpful", "feedback_next", "first_action",
               "solution")


def _tally_order(kind, keys, values, hidden, rounded) -> list:
    if kind in FIXED_ORDER:
        return list(keys)
    return _ordered(keys, lambda k: ("t", kind, k), values, hidden, rounded)


def _medians(months, data, localities, values, not_exact: set) -> dict:
    """Median whole days to first action, for the area ("") and each locality: shown only
    when the number of referrals acted on is shown exactly and is 5 or more."""
    histograms: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for month in months:
        for (kind, key, loc), count in data[month].tallies.items():
            if kind == "first_action_days":
                histograms[loc][int(key)] += count
                histograms["*"][int(key)] += count
    medians = {}
    for loc in ("*", *localities):
        total_key = ("t", "first_action", "*") if loc == "*" else ("t", "first_action", "*", loc)
        total = values.get(total_key, 0)
        if total == 0:
            medians[loc] = None
        elif total_key in not_exact or total < THRESHOLD:
            medians[loc] = HIDDEN
        else:
            seen, middle = 0, (total + 1) // 2
            for days in sorted(histograms[loc]):
                seen += histograms[loc][days]
                if seen >= middle:
                    medians[loc] = days
                    break
    return medians
