"""The public directory: services by topic and by words, for the place a person chooses."""

from __future__ import annotations

from sqlalchemy import exists, func, or_, select

from mle.directory.matching import MatchedService, match_services
from mle.extensions import db
from mle.models import Service, ServiceLocality, ServiceNeed

MAX_RESULTS = 50


def topic_counts() -> dict[str, int]:
    """How many published services there are for each need."""
    rows = db.session.execute(
        select(ServiceNeed.need, func.count(ServiceNeed.service_id))
        .join(Service, Service.id == ServiceNeed.service_id)
        .where(Service.status == "published").group_by(ServiceNeed.need)).all()
    return dict(rows)


def services_for_topic(need: str, locality: str | None,
                       in_area: bool = True) -> list[MatchedService]:
    # Browsing shows every service a person could use, carers' services included.
    return match_services([need], locality, in_area=in_area, age_band=None, is_carer=True,
                          limit=MAX_RESULTS)


def search_services(words: str, locality: str | None, in_area: bool = True) -> list[Service]:
    """Services whose name, organisation or description contains every word."""
    terms = [w for w in words.lower().split() if len(w) > 1][:8]
    conditions = [Service.status == "published"]
    for term in terms:
        pattern = f"%{term.replace('%', '').replace('_', '')}%"
        conditions.append(or_(func.lower(Service.name).like(pattern),
                              func.lower(Service.organization).like(pattern),
                              func.lower(Service.description).like(pattern)))
    if not in_area:
        conditions.append(Service.coverage == "national")
    elif locality:
        serves = exists().where(ServiceLocality.service_id == Service.id,
                                ServiceLocality.locality == locality)
        conditions.append(or_(Service.coverage != "locality", serves))
    query = select(Service).where(*conditions).order_by(Service.name).limit(MAX_RESULTS)
    return list(db.session.scalars(query))
