"""The tables the report pages show, built from one suppressed publication: the same tables go
to the screen (with a chart beside each where it helps), to CSV and to XLSX."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from mle.reporting.national_outcomes import NationalOutcomes
from mle.reporting.periods import month_label
from mle.reporting.publication import FIRST_ACTION_BANDS, Publication, topic_views
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


def _measure_table(pub: Publication, id: str, title: str, row_header: str, rows, loc=None,
                   with_total: bool = True) -> Table:
    """rows: (label, key suffix) pairs; a cell's key is ("m", measure, *suffix)."""
    labels = measure_labels()
    total_suffix = ("all",) if loc is None else ("loc", loc)
    return Table(
        id=id, title=title, row_header=row_header,
        columns=tuple(labels[m] for m in FUNNEL),
        rows=tuple((label, tuple(pub.show(("m", m, *suffix)) for m in FUNNEL))
                   for label, suffix in rows),
        total=tuple(pub.show(("m", m, *total_suffix)) for m in FUNNEL) if with_total else None)


def report_tables(pub: Publication, labels: Labels, locality: str | None = None) -> list[Table]:
    """The dashboard's tables, or with `locality` the same for one locality."""
    loc_suffix = () if locality is None else (locality,)
    tables = []
    whole = ("all",) if locality is None else ("loc", locality)
    measure = measure_labels()
    tables.append(Table(
        id="funnel", title=_("From assessment to referral accepted"), row_header=_("Stage"),
        columns=(_("Number"),),
        rows=tuple((measure[m], (pub.show(("m", m, *whole)),)) for m in FUNNEL)))
    # Each month's row is that month's own published headline figures (its funnel), so the
    # rows are figures every period of the year publishes already.
    tables.append(Table(
        id="trend", title=_("By month"), row_header=_("Month"),
        columns=tuple(measure[m] for m in FUNNEL),
        rows=tuple((month_label(month),
                    tuple(pub.month_publications[month].show(("m", m, *whole)) for m in FUNNEL))
                   for month in pub.months),
        total=tuple(pub.show(("m", m, *whole)) for m in FUNNEL)))
    if locality is None:
        tables.append(_measure_table(
            pub, "locality", _("By locality"), _("Locality"),
            [(_not_known(labels.localities.get(loc, loc)), ("loc", loc))
             for loc in pub.localities]))
        if pub.groups:
            tables.append(_measure_table(
                pub, "locality_group", _("By locality group"), _("Locality group"),
                [(labels.groups.get(g, g), ("grp", g)) for g in pub.groups], with_total=False))
    simd_values = [v for v in pub_values(pub, "simd_quintile")]
    tables.append(_measure_table(
        pub, "simd", _("By SIMD quintile"), _("SIMD quintile"),
        [(simd_label(v), ("simd_quintile", v, *loc_suffix)) for v in simd_values],
        loc=locality))
    tables.append(_measure_table(
        pub, "age_band", _("By age band"), _("Age band"),
        [(code_label("age_band", v, _("Not known")), ("age_band", v, *loc_suffix))
         for v in pub_values(pub, "age_band")],
        loc=locality))
    tables.append(_measure_table(
        pub, "channel", _("By channel"), _("Channel"),
        [(code_label("channel", v, v or _("Not known")), ("channel", v, *loc_suffix))
         for v in pub_values(pub, "channel")],
        loc=locality))

    def module_name(module):
        return labels.modules.get(module, module)

    if locality is None:
        tables.append(Table(
            id="modules", title=_("Modules used, by outcome level"), row_header=_("Module"),
            columns=(_("Assessments"), *[code_label("level", v) for v in LEVELS]),
            rows=tuple((module_name(m), (pub.show(("mod", m)),
                                         *[pub.show(("lvl", m, v)) for v in LEVELS]))
                       for m in pub.modules),
            note=_("An assessment can use more than one module, so these do not add up to the "
                   "assessments completed.")))
    else:
        tables.append(Table(
            id="modules", title=_("Modules used"), row_header=_("Module"),
            columns=(_("Assessments"),),
            rows=tuple((module_name(m), (pub.show(("mod", m, locality)),))
                       for m in pub.modules)))
    if locality is None and pub.topics:
        tables.append(Table(
            id="topics", title=_("Directory topics viewed"), row_header=_("Topic"),
            columns=(_("Page views"),),
            rows=tuple((labels.needs.get(k, k), (v,)) for k, v in topic_views(pub)),
            note=_("Views of topic pages in the local information directory, not people.")))

    def tally(kind, key):
        return pub.show(("t", kind, key, *loc_suffix))

    items = list(dict.fromkeys([*pub.tally_keys["equipment_suggested"],
                                *pub.tally_keys["equipment_requested"]]))
    tables.append(Table(
        id="equipment", title=_("Equipment suggested and requested"), row_header=_("Item"),
        columns=(_("Suggested"), _("Requested")),
        rows=tuple((labels.equipment.get(i, i), (tally("equipment_suggested", i),
                                                 tally("equipment_requested", i)))
                   for i in items),
        total=(pub.show(("m", "equipment_suggested", *whole)),
               pub.show(("m", "equipment_requested", *whole))),
        note=_("The total row counts assessments with any equipment suggested or requested; "
               "one assessment can suggest several items.")))
    referral_total = pub.show(("m", "referral_made", *whole))
    tables.append(Table(
        id="referral_status", title=_("What happened to referrals"),
        row_header=_("Status now"), columns=(_("Referrals"),),
        rows=tuple((code_label("referral_status", s), (tally("referral_status", s),))
                   for s in pub.tally_keys["referral_status"]),
        total=(referral_total,),
        note=_("The status now of the first request made from each assessment.")))
    median = pub.median_first_action(locality)
    tables.append(Table(
        id="first_action", title=_("Time to first action on a referral"),
        row_header=_("Time"), columns=(_("Referrals"),),
        rows=tuple((band_label(b[0]), (tally("first_action", b[0]),))
                   for b in FIRST_ACTION_BANDS),
        total=(pub.show(("t", "first_action", "*", *loc_suffix)),),
        note=(_("Median: %(days)s whole days.", days=median) if median is not None
              else _("No referral has been acted on yet."))))
    tables.append(Table(
        id="feedback_helpful", title=_("Was this helpful?"), row_header=_("Answer"),
        columns=(_("Residents"),),
        rows=tuple((code_label("feedback_helpful", k), (tally("feedback_helpful", k),))
                   for k in pub.tally_keys["feedback_helpful"]),
        total=(pub.show(("t", "feedback_helpful", "*", *loc_suffix)),)))
    tables.append(Table(
        id="feedback_next", title=_("What will you do next?"), row_header=_("Answer"),
        columns=(_("Residents"),),
        rows=tuple((code_label("feedback_next", k), (tally("feedback_next", k),))
                   for k in pub.tally_keys["feedback_next"]),
        note=_("Residents could choose more than one answer.")))
    if locality is None:
        columns = [loc for loc in pub.localities]
        tables.append(Table(
            id="service_gap", title=_("Service gaps: needs with no local service"),
            row_header=_("Need"),
            columns=(_("All localities"),
                     *[_not_known(labels.localities.get(c, c)) for c in columns]),
            rows=tuple((labels.needs.get(n, n), (pub.show(("t", "unmet_need", n)),
                                                 *[pub.show(("t", "unmet_need", n, c))
                                                   for c in columns]))
                       for n in pub.tally_keys["unmet_need"]),
            note=_("Assessments where a need found no service in the person's locality or "
                   "across the area among the services shown.")))
    else:
        tables.append(Table(
            id="service_gap", title=_("Service gaps: needs with no local service"),
            row_header=_("Need"), columns=(_("Assessments"),),
            rows=tuple((labels.needs.get(n, n), (tally("unmet_need", n),))
                       for n in pub.tally_keys["unmet_need"])))
    tables.append(Table(
        id="services", title=_("Services most often shown"), row_header=_("Service"),
        columns=(_("Assessments"),),
        rows=tuple((labels.services.get(s, s), (tally("service", s),))
                   for s in pub.tally_keys["service"][:20]),
        note=_("The 20 services shown on most results.")))
    return tables


def pub_values(pub: Publication, dimension: str) -> list:
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


def national_table(pub: Publication, national: NationalOutcomes) -> Table:
    return Table(
        id="national_outcomes", title=_("National Health and Wellbeing Outcomes"),
        row_header=_("Outcome"), columns=(_("Module results"),),
        rows=tuple((f"{number}. {text}", (pub.show(("nat", number)),))
                   for number, text in national.outcomes.items()),
        note=_("A module result counts towards each outcome its module and outcome level are "
               "mapped to, so the rows do not add up to the assessments completed."))


def is_hidden(value) -> bool:
    return value == HIDDEN
