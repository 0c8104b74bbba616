"""Match needs to published services that serve the person's place and age. One indexed query."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, case, exists, literal, or_, select

from mle.extensions import db
from mle.models import Service, ServiceLocality, ServiceNeed

# The youngest and oldest age in each age band, for eligibility by age range.
AGE_BAND_RANGES = {
    "under_16": (0, 15), "16_17": (16, 17), "18_24": (18, 24), "25_49": (25, 49),
    "50_64": (50, 64), "65_74": (65, 74), "75_84": (75, 84), "85_plus": (85, 120),
}


@dataclass(frozen=True)
class MatchedService:
    service: Service
    reason: str  # "locality", "area" or "national": why it was matched


def match_services(needs: list[str], locality: str | None, in_area: bool,
                   age_band: str | None, is_carer: bool = False,
                   limit: int = 5) -> list[MatchedService]:
    if not needs:
        return []
    serves_locality = exists().where(ServiceLocality.service_id == Service.id,
                                     ServiceLocality.locality == literal(locality))
    reach = case(
        (and_(Service.coverage == "locality", serves_locality), literal("locality")),
        (Service.coverage == "area", literal("area")),
        else_=literal("national"),
    )
    coverage = [Service.coverage == "national"]
    if in_area:
        coverage.append(Service.coverage == "area")
    if locality:
        coverage.append(and_(Service.coverage == "locality", serves_locality))
    conditions = [
        Service.status == "published",
        exists().where(ServiceNeed.service_id == Service.id, ServiceNeed.need.in_(needs)),
        or_(*coverage),
    ]
    if age_band in AGE_BAND_RANGES:
        youngest, oldest = AGE_BAND_RANGES[age_band]
        conditions += [or_(Service.min_age.is_(None), Service.min_age <= oldest),
                       or_(Service.max_age.is_(None), Service.max_age >= youngest)]
    if not is_carer:
        conditions.append(Service.carers_only.is_(False))
    specificity = case((reach == "locality", 0), (reach == "area", 1), else_=2)
    query = (select(Service, reach).where(*conditions)
             .order_by(specificity, Service.needs_editor, Service.name).limit(limit))
    return [MatchedService(service, reason) for service, reason in db.session.execute(query)]
