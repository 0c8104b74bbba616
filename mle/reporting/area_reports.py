"""The reports of the area this instance serves: its monthly releases (for the area's
localities and locality groups), the tables each report shows from a released period, with the
names of what they count, and the audit trail of what managers download."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from mle.database import db
from mle.i18n.runtime import content_text
from mle.models import Service
from mle.reporting.national_outcomes import NationalOutcomes, load_national_outcomes
from mle.reporting.periods import Period
from mle.reporting.publication import Publication
from mle.reporting.released import ReleasedPublication
from mle.reporting.releases import (
    due_unreleased,
    release_due,
    released_periods,
    released_publication,
)
from mle.reporting.tables import Labels, Table, national_table, report_tables
from mle.reporting.year_cache import publication_of
from mle.security.audit import audit
from mle.site import site


@cache
def _national(directory: str) -> NationalOutcomes:
    return load_national_outcomes(Path(directory) / "national_outcomes.yaml")


def national_outcomes() -> NationalOutcomes:
    """The nine outcomes and the mapping to them, read once from the directory folder."""
    return _national(str(current_app.config["MLE_DIRECTORY_DIR"]))


def _groups() -> dict[str, tuple[str, ...]]:
    area = site().area
    return {g: tuple(loc.id for loc in area.localities.values() if g in loc.groups)
            for g in area.locality_groups}


def release_reports() -> list[str]:
    """Release every month whose release day has come (`flask mle release-reports`, run
    nightly; never a page, see releases.py): the months released now."""
    return release_due(tuple(site().area.localities), _groups(), national_outcomes())


def due_months() -> list[str]:
    """The months whose release day has come that the nightly release has not released yet."""
    return due_unreleased()


def available_periods() -> list[tuple[str, datetime]]:
    """Every released period, newest first, with when it was released."""
    return released_periods()


def area_publication(period: Period) -> Publication:
    """The live protected year of the period, protected together (protected_year.py): what
    the reports showed before releases, kept for the benchmarks that compare with it."""
    area = site().area
    groups = _groups()
    return publication_of(period, tuple(area.localities), groups, national_outcomes(),
                          max_age=current_app.config["MLE_REPORTS_MAX_AGE_SECONDS"])


def _labels(pub) -> Labels:
    area, content = site().area, site().content
    service_ids = list(pub.tally_keys.get("service", ()))
    services = dict(db.session.execute(
        select(Service.id, Service.name).where(Service.id.in_(service_ids))).all()
    ) if service_ids else {}
    return Labels(
        localities={k: content_text(v.name) for k, v in area.localities.items()},
        groups={k: content_text(v) for k, v in area.locality_groups.items()},
        modules={k: content_text(m.title) for k, m in content.modules.items()},
        equipment={k: content_text(v.name) for k, v in content.equipment.items()},
        needs={k: content_text(v.label) for k, v in area.needs.items()},
        services=services)


def released(period: Period) -> ReleasedPublication | None:
    """The period as released, or None when it is not (yet) released."""
    return released_publication(period)


def report(view: str, pub: ReleasedPublication, locality: str | None = None) -> list[Table]:
    """The tables of one report of a released period: "national" (the national outcomes), or
    the dashboard's, for the whole area or, with `locality`, for one locality."""
    if view == "national":
        return [national_table(pub, national_outcomes())]
    return report_tables(pub, _labels(pub), locality)


def record_export(view: str, period: Period, file_format: str, locality: str | None) -> None:
    """A manager downloaded a report: the audit trail says which, for which period and where."""
    audit("report.exported", "report", period.code, view=view, format=file_format,
          locality=locality or "")
    db.session.commit()
