"""A financial year's publications, protected together: every period of the year (its months,
quarters and the year itself) is protected on its own by `protect`, and every period then hides
the union of what any of them hides, so that no hidden figure can be worked out from the others,
within a period or across the periods of the year (see docs/reporting.md for why that is safe).
"""

from __future__ import annotations

from array import array
from collections import defaultdict

from mle.reporting.national_outcomes import NationalOutcomes
from mle.reporting.periods import nested_periods, parse_period
from mle.reporting.publication import Figures, Publication
from mle.reporting.rollup_figures import MonthFigures, read_year
from mle.reporting.suppression import THRESHOLD, protect
from mle.reporting.year_structure import month_figures, structure_of


def _first_action_days(month: MonthFigures, into: dict) -> None:
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
    data, _ = read or read_year(year.months)
    structure = structure_of(data, localities)
    # Every month lists the same figures, in the same order, with the same sums between them:
    # the first month gives the key index and the sums, each month then only its counts.
    first, relations = month_figures(structure, data[year.months[0]], groups, national)
    index = {key: position for position, key in enumerate(first)}
    monthly = {year.months[0]: array("q", first.values())}
    for month in year.months[1:]:
        values, _ = month_figures(structure, data[month], groups, national)
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

