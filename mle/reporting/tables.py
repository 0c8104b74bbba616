"""The tables the report pages show, built from one suppressed publication: the same tables go
to the screen (with a chart beside each where it helps), to CSV and to XLSX."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from mle.reporting.national_outcomes import NationalOutcomes
from mle.reporting.period_names import month_name
from mle.reporting.suppression import HIDDEN
from mle.vocabulary import AGE_BANDS, CHANNELS, LEVELS
from mle.vocabulary.labels import label as code_label

FUNNEL = ("assessments", "signpost_potential", "directed", "referral_made", "referral_accepted")


def measure_labels() -> dict[str, str]:
    return {
        "assessments": _("Assessments completed"),
        "signpost_potential": _("Had a potential to signpost"),
        "directed": _("Directed to a service"),
        "referral_offered": _("Referral offered"),
        "referral_made": _("Referral made"),
        "referral_accepted": _("Referral accepted"),
        "equipment_suggested": _("Equipment suggested"),
        "equipment_requested": _("Equipment requested"),
    }


@dataclass(frozen=True)
class Table:
    id: str
    title: str
    row_header: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple], ...]  # (label, values as shown)
    total: tuple | None = None  # values as shown, or None when no total is shown
    chart: bool = True  # a bar chart of the first column beside the table
    note: str = ""
    rounded: bool = False  # some figures are rounded to base 5


@dataclass(frozen=True)
class Labels:
    localities: dict[str, str]
    groups: dict[str, str]
    modules: dict[str, str]
    equipment: dict[str, str]
    needs: dict[str, str]
    services: dict[str, str]


def _not_known(label: str) -> str:
    return label or _("Not known")


def simd_label(value) -> str:
    return {1: _("1 (most deprived)"), 5: _("5 (least deprived)"), 0: _("Not known")}.get(
        value, str(value))


def band_label(key: str) -> str:
    return {"0": _("The same day"), "21+": _("21 days or more")}.get(
        key, _("%(band)s days", band=key))


class _Shown:
    """Reads figures for one table and remembers whether any was rounded to base 5."""

    def __init__(self, pub):
        self.pub = pub
        self.rounded = False

    def __call__(self, key):
        self.rounded |= self.pub.is_rounded(key)
        return self.pub.show(key)


def _table(shown: _Shown, **fields) -> Table:
    return Table(**fields, rounded=shown.rounded)


def _measure_table(pub, id: str, title: str, row_header: str, rows, loc=None,
                   with_total: bool = True) -> Table:
    """rows: (label, key suffix) pairs; a cell's key is ("m", measure, *suffix)."""
    labels = measure_labels()
    shown = _Shown(pub)
    total_suffix = ("all",) if loc is None else ("loc", loc)
    return _table(
        shown, id=id, title=title, row_header=row_header,
        columns=tuple(labels[m] for m in FUNNEL),
        rows=_shown_order(tuple((label, tuple(shown(("m", m, *suffix)) for m in FUNNEL))
                                for label, suffix in rows), by_value=False),
        total=tuple(shown(("m", m, *total_suffix)) for m in FUNNEL) if with_total else None)


def _shown_order(rows: tuple, by_value: bool = True) -> tuple:
    """Rows in their own order (by label or a fixed order), or by the figure shown, largest
    first; either way suppressed rows last, so the order tells nothing about them."""
    def rank(item):
        first = item[1][0]
        hidden = first == HIDDEN
        return (hidden, -first if by_value and not hidden else 0)
    return tuple(sorted(rows, key=rank))


def five_measures_table(pub, labels: Labels, locality: str | None = None) -> Table:
    """The partnership's five measures for one released period: assessments completed, with
    a potential to signpost, a personalised solution and directed to a service, local
    information views, and every module used with its count."""
    shown = _Shown(pub)
    whole = ("all",) if locality is None else ("loc", locality)
    solution = ("t", "solution", "directed") + (() if locality is None else (locality,))
    rows = [
        (_("Assessments completed"), (shown(("m", "assessments", *whole)),)),
        (_("With a potential to signpost"), (shown(("m", "signpost_potential", *whole)),)),
        (_("A personalised solution and directed to a service"), (shown(solution),)),
    ]
    if locality is None:
        rows += [(_("Local information views: topic pages"), (shown(("v", "topic")),)),
                 (_("Local information views: service pages"), (shown(("v", "service")),))]
    module_rows = tuple(
        (_("Modules used: %(module)s", module=labels.modules.get(m, m)),
         (shown(("mod", m) if locality is None else ("mod", m, locality)),))
        for m in pub.modules)
    return _table(
        shown, id="five_measures", title=_("The five measures"), row_header=_("Measure"),
        columns=(_("Number"),), rows=(*rows, *_shown_order(module_rows)), chart=False,
        note=_("A personalised solution: the result suggested equipment that fits the person "
               "or offered a referral to a team. Local information views are page views, not "
               "people. An assessment can use more than one module."))


def report_tables(pub, labels: Labels, locality: str | None = None) -> list[Table]:
    """The tables of one released period: a month has the five measures for the whole area;
    a quarter or a year has every breakdown, for the whole area or, with `locality`, for one
    locality."""
    tables = [five_measures_table(pub, labels, locality)]
    if pub.breakdowns:
        tables += _people_tables(pub, labels, locality)
        tables += _module_tables(pub, labels, locality)
        tables += _tally_tables(pub, labels, locality)
    return tables


def _people_tables(pub, labels: Labels, locality: str | None) -> list[Table]:
    loc_suffix = () if locality is None else (locality,)
    whole = ("all",) if locality is None else ("loc", locality)
    measure = measure_labels()
    shown = _Shown(pub)
    tables = [_table(
        shown, id="funnel", title=_("From assessment to referral accepted"),
        row_header=_("Stage"), columns=(_("Number"),),
        rows=tuple((measure[m], (shown(("m", m, *whole)),)) for m in FUNNEL))]
    if locality is None:
        # Each month's row is that month's own release, as it was released.
        trend_keys = (("m", "assessments", "all"), ("m", "signpost_potential", "all"),
                      ("t", "solution", "directed"))
        shown = _Shown(pub)
        tables.append(_table(
            shown, id="trend", title=_("By month, as each month was released"),
            row_header=_("Month"),
            columns=(measure["assessments"], measure["signpost_potential"],
                     _("A personalised solution and directed to a service")),
            rows=tuple((month_name(month),
                        tuple(month_pub.show(k) for k in trend_keys)) for month, month_pub
                       in pub.month_publications.items() if month_pub is not None),
            total=tuple(shown(k) for k in trend_keys)))
        tables.append(_measure_table(
            pub, "locality", _("By locality"), _("Locality"),
            [(_not_known(labels.localities.get(loc, loc)), ("loc", loc))
             for loc in pub.localities]))
        if pub.groups:
            tables.append(_measure_table(
                pub, "locality_group", _("By locality group"), _("Locality group"),
                [(labels.groups.get(g, g), ("grp", g)) for g in pub.groups], with_total=False))
    tables.append(_measure_table(
        pub, "simd", _("By SIMD quintile"), _("SIMD quintile"),
        [(simd_label(v), ("simd_quintile", v, *loc_suffix))
         for v in pub_values(pub, "simd_quintile")], loc=locality))
    tables.append(_measure_table(
        pub, "age_band", _("By age band"), _("Age band"),
        [(code_label("age_band", v, _("Not known")), ("age_band", v, *loc_suffix))
         for v in pub_values(pub, "age_band")], loc=locality))
    tables.append(_measure_table(
        pub, "channel", _("By channel"), _("Channel"),
        [(code_label("channel", v, v or _("Not known")), ("channel", v, *loc_suffix))
         for v in pub_values(pub, "channel")], loc=locality))
    return tables


def _module_tables(pub, labels: Labels, locality: str | None) -> list[Table]:
    if locality is not None:
        return []
    shown = _Shown(pub)
    tables = [_table(
        shown, id="modules", title=_("Modules used, by outcome level"), row_header=_("Module"),
        columns=(_("Assessments"), *[code_label("level", v) for v in LEVELS]),
        rows=tuple((labels.modules.get(m, m), (shown(("mod", m)),
                                               *[shown(("lvl", m, v)) for v in LEVELS]))
                   for m in pub.modules),
        note=_("An assessment can use more than one module, so these do not add up to the "
               "assessments completed."))]
    if pub.topics:
        shown = _Shown(pub)
        tables.append(_table(
            shown, id="topics", title=_("Directory topics viewed"), row_header=_("Topic"),
            columns=(_("Page views"),),
            rows=tuple((labels.needs.get(k, k), (shown(("v", "topic", k)),))
                       for k in pub.topics),
            total=(shown(("v", "topic")),),
            note=_("Views of topic pages in the local information directory, not people.")))
    return tables


def _tally_table(pub, kind: str, label, loc_suffix: tuple, total=None, limit=None,
                 **fields) -> Table:
    shown = _Shown(pub)
    rows = tuple((label(k), (shown(("t", kind, k, *loc_suffix)),))
                 for k in pub.tally_keys.get(kind, ())[:limit])
    return _table(shown, rows=rows, total=tuple(shown(k) for k in total) if total else None,
                  **fields)


def _median_note(median) -> str:
    if median is None:
        return _("No referral has been acted on yet.")
    if median == HIDDEN:
        return _("The median is not shown, because the number of referrals acted on is not "
                 "shown.")
    return _("Median: %(days)s whole days.", days=median)


def _tally_tables(pub, labels: Labels, locality: str | None) -> list[Table]:
    loc_suffix = () if locality is None else (locality,)
    whole = ("all",) if locality is None else ("loc", locality)
    shown = _Shown(pub)
    items = list(dict.fromkeys([*pub.tally_keys["equipment_suggested"],
                                *pub.tally_keys["equipment_requested"]]))
    tables = [_table(
        shown, id="equipment", title=_("Equipment suggested and requested"),
        row_header=_("Item"), columns=(_("Suggested"), _("Requested")),
        rows=_shown_order(tuple((labels.equipment.get(i, i), (
            shown(("t", "equipment_suggested", i, *loc_suffix)),
            shown(("t", "equipment_requested", i, *loc_suffix)))) for i in items)),
        total=(shown(("m", "equipment_suggested", *whole)),
               shown(("m", "equipment_requested", *whole))),
        note=_("The total row counts assessments with any equipment suggested or requested; "
               "one assessment can suggest several items."))]
    tables.append(_tally_table(
        pub, "referral_status", lambda k: code_label("referral_status", k), loc_suffix,
        total=[("m", "referral_made", *whole)], id="referral_status",
        title=_("What happened to referrals"), row_header=_("Status now"),
        columns=(_("Referrals"),),
        note=_("The status, when this period was released, of the first request made from "
               "each assessment.")))
    tables.append(_tally_table(
        pub, "first_action", band_label, loc_suffix,
        total=[("t", "first_action", "*", *loc_suffix)], id="first_action",
        title=_("Time to first action on a referral"), row_header=_("Time"),
        columns=(_("Referrals"),), note=_median_note(pub.median_first_action(locality))))
    tables.append(_tally_table(
        pub, "feedback_helpful", lambda k: code_label("feedback_helpful", k), loc_suffix,
        total=[("t", "feedback_helpful", "*", *loc_suffix)], id="feedback_helpful",
        title=_("Was this helpful?"), row_header=_("Answer"), columns=(_("Residents"),)))
    tables.append(_tally_table(
        pub, "feedback_next", lambda k: code_label("feedback_next", k), loc_suffix,
        id="feedback_next", title=_("What will you do next?"), row_header=_("Answer"),
        columns=(_("Residents"),), note=_("Residents could choose more than one answer.")))
    if locality is None:
        columns = list(pub.localities)
        shown = _Shown(pub)
        tables.append(_table(
            shown, id="service_gap", title=_("Service gaps: needs with no local service"),
            row_header=_("Need"),
            columns=(_("All localities"),
                     *[_not_known(labels.localities.get(c, c)) for c in columns]),
            rows=tuple((labels.needs.get(n, n), (shown(("t", "unmet_need", n)),
                                                 *[shown(("t", "unmet_need", n, c))
                                                   for c in columns]))
                       for n in pub.tally_keys["unmet_need"]),
            note=_("Assessments where a need found no service in the person's locality or "
                   "across the area among the services shown.")))
    else:
        tables.append(_tally_table(
            pub, "unmet_need", lambda k: labels.needs.get(k, k), loc_suffix,
            id="service_gap", title=_("Service gaps: needs with no local service"),
            row_header=_("Need"), columns=(_("Assessments"),)))
    tables.append(_tally_table(
        pub, "service", lambda k: labels.services.get(k, k), loc_suffix, limit=20,
        id="services", title=_("Services most often shown"), row_header=_("Service"),
        columns=(_("Assessments"),),
        note=_("The 20 services shown on most results, by the figures shown.")))
    return tables


def pub_values(pub, dimension: str) -> list:
    """The values of a dimension in display order, as in the publication."""
    seen = []
    for key in pub.values:
        if key[0] == "m" and key[1] == "assessments" and key[2] == dimension and len(key) == 4:
            seen.append(key[3])
    if dimension == "age_band":
        seen.sort(key=lambda v: AGE_BANDS.index(v) if v in AGE_BANDS else len(AGE_BANDS))
    if dimension == "channel":
        seen.sort(key=lambda v: CHANNELS.index(v) if v in CHANNELS else len(CHANNELS))
    return seen


def national_table(pub, national: NationalOutcomes) -> Table:
    shown = _Shown(pub)
    return _table(
        shown, id="national_outcomes", title=_("National Health and Wellbeing Outcomes"),
        row_header=_("Outcome"), columns=(_("Module results"),),
        rows=tuple((f"{number}. {text}", (shown(("nat", number)),))
                   for number, text in national.outcomes.items()),
        note=_("A module result counts towards each outcome its module and outcome level are "
               "mapped to, so the rows do not add up to the assessments completed."))


def is_hidden(value) -> bool:
    return value == HIDDEN
