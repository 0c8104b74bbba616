"""The public directory: services by topic and by words, for the place a person chooses."""

from __future__ import annotations

from sqlalchemy import func, select

from mle.database import db
from mle.directory.gazetteer import PlaceAnswer, place_words
from mle.directory.matching import MatchedService, match_services
from mle.directory.search import SearchPage, parse_query, search
from mle.directory.search_terms import words_of
from mle.directory.taxonomy import ELIGIBILITY_TAXONOMY
from mle.models import Attribute, Service, TaxonomyTerm
from mle.site import site

MAX_RESULTS = 50  # a topic page: every service for the need, by matching's order


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


def search_services(words: str, place: PlaceAnswer, page: int = 1) -> SearchPage:
    """One page of the services a resident can see that match the words, best first, for
    the place given (a place named in the words counts when none is given)."""
    found = place.place
    if found is None and place.problem is None:
        found, named = place_words(site().area, words)
    else:
        # Services that name the place given rank above others as good.
        named = tuple(words_of(found.name)) if found and not found.approximate else ()
        words = f"{words} {' '.join(named)}"
    return search(parse_query(words, named), visible(),
                  locality=found.locality if found else None, in_area=place.in_area,
                  near=found.centroid if found else None, page=page)
