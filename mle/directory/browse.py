"""The public directory: services by topic and by words, for the place a person chooses."""

from __future__ import annotations

from sqlalchemy import exists, func, or_, select

from mle.database import db
from mle.directory.matching import MatchedService, match_services
from mle.directory.taxonomy import ELIGIBILITY_TAXONOMY
from mle.models import Attribute, Organization, Service, ServiceArea, TaxonomyTerm

MAX_RESULTS = 50


def visible():
    """The conditions for a service residents can see: published, active, and with a way to
    reach it (mle/directory/reachability.py)."""
    return [Service.publication_status == "published", Service.status == "active",
            Service.reachable]


def topic_counts() -> dict[str, int]:
    """How many visible services carry each taxonomy term (our needs among them)."""
    rows = db.session.execute(
        select(Attribute.taxonomy_term_id, func.count(Attribute.link_id))
        .join(Service, Service.id == Attribute.link_id)
        .where(Attribute.link_entity == "service", *visible())
        .group_by(Attribute.taxonomy_term_id)).all()
    return dict(rows)


def services_for_topic(need: str, locality: str | None, in_area: bool = True,
                       near: tuple[float, float] | None = None) -> list[MatchedService]:
    # Browsing shows every service a person could use, whatever their eligibility.
    criteria = db.session.scalars(select(TaxonomyTerm.id).where(
        TaxonomyTerm.taxonomy_id == ELIGIBILITY_TAXONOMY)).all()
    return match_services([need], locality, in_area=in_area, age_band=None, near=near,
                          criteria=criteria, limit=MAX_RESULTS)


def published_service(service_id: str) -> Service | None:
    """The service a resident may open: published, with a way to reach it; None for
    anything else."""
    found = db.session.get(Service, service_id[:80])
    shown = found is not None and found.publication_status == "published" and found.reachable
    return found if shown else None


def search_services(words: str, locality: str | None, in_area: bool = True) -> list[Service]:
    """Services whose name, organisation or description contains every word."""
    terms = [w for w in words.lower().split() if len(w) > 1][:8]
    conditions = visible()
    for term in terms:
        pattern = f"%{term.replace('%', '').replace('_', '')}%"
        conditions.append(or_(func.lower(Service.name).like(pattern),
                              func.lower(Organization.name).like(pattern),
                              func.lower(Service.description).like(pattern)))
    if not in_area:
        conditions.append(Service.coverage == "national")
    elif locality:
        serves = exists().where(ServiceArea.service_id == Service.id,
                                ServiceArea.locality == locality)
        conditions.append(or_(Service.coverage != "locality", serves))
    query = (select(Service).join(Organization, Organization.id == Service.organization_id)
             .where(*conditions).order_by(Service.name).limit(MAX_RESULTS))
    return list(db.session.scalars(query))
