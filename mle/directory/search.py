"""Ranked search of the directory by words: one function for residents' search, the
editors' list and the ORUK API's `search` parameter (docs/search.md).

Every word must be found (as a word start, so "carer" finds "carers") in the service's name,
its topics (the needs it is filed under, named by their labels, keywords and synonyms), its
description or its organisation's name. A word that looks misspelt also finds the word it was
probably meant to be. Each word scores by where it is found: name 8, topics 4, description 2,
organisation 1. Results are ordered by score, then entries due for review after the rest,
then (with a place) nearest first, then by name. When no service has every word, the
services with any of them are shown, and the page says so."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from flask import current_app
from sqlalchemy import and_, case, exists, false, func, literal, or_, select
from sqlalchemy.orm import aliased

from mle.database import db
from mle.directory.search_terms import ParsedQuery, Term, Vocabulary, build_vocabulary, parse
from mle.models import Attribute, Location, Organization, Service, ServiceArea, ServiceAtLocation

PER_PAGE = 20
MAX_PAGE = 500
WEIGHTS = {"name": 8, "topics": 4, "description": 2, "organisation": 1}
KM_PER_DEGREE_LATITUDE = 110.574
KM_PER_DEGREE_LONGITUDE_AT_EQUATOR = 111.320
# Punctuation read as a space, so "(dementia" and "day-care" have word starts; apostrophes
# are dropped, as in the query ("alzheimer's" -> "alzheimers").
_SPACES = "()-/,.:;&+!?\"\n\t"
_DROPPED = "'\u2019"


@lru_cache(maxsize=4)
def _vocabulary(needs_file: Path) -> Vocabulary:
    needs = yaml.safe_load(needs_file.read_text("utf-8"))["needs"]
    return build_vocabulary({
        n["id"]: [n["label"], *(n.get("keywords") or ()), *(n.get("synonyms") or ())]
        for n in needs})


def vocabulary() -> Vocabulary:
    """The needs taxonomy's words (directory/needs.yaml: labels, keywords and synonyms)."""
    return _vocabulary(Path(current_app.config["MLE_DIRECTORY_DIR"]) / "needs.yaml")


def parse_query(words: str, place_words: tuple[str, ...] = ()) -> ParsedQuery:
    return parse(words, vocabulary(), place_words)


def _words_of_column(column):
    text = func.lower(func.coalesce(column, ""))
    for mark in _SPACES:
        text = func.replace(text, mark, " ")
    for mark in _DROPPED:
        text = func.replace(text, mark, "")
    return literal(" ").concat(text)


def _in_text(column, term: Term):
    # Stems hold only a-z and 0-9 (search_terms.words_of), so they need no LIKE escaping.
    return or_(*(column.like(f"% {s}%") for s in term.stems))


def _topic_hit(term: Term):
    if not term.needs:
        return false()
    return exists().where(Attribute.link_entity == "service", Attribute.link_id == Service.id,
                          Attribute.taxonomy_term_id.in_(sorted(term.needs)))


def _hits(term: Term) -> dict:
    return {"name": _in_text(_words_of_column(Service.name), term),
            "topics": _topic_hit(term),
            "description": _in_text(_words_of_column(Service.description), term),
            "organisation": _in_text(_words_of_column(Organization.name), term)}


def word_conditions(query: ParsedQuery, any_word: bool = False):
    """(condition, score) for a parsed query; the query's statement must join Organization.
    The condition needs every word that is not a place name (or any one, with any_word)."""
    found: list = []
    score: Any = literal(0)
    for term in query.terms:
        hits = _hits(term)
        if not term.optional:
            found.append(or_(*hits.values()))
        for column, hit in hits.items():
            score = score + case((hit, WEIGHTS[column]), else_=0)
    if not found:
        return false(), score
    return (or_(*found) if any_word else and_(*found)), score


def stale_last(today: date):
    return case((Service.review_due < today, 1), else_=0)


def nearest_km(near: tuple[float, float]):
    """Distance from near to the service's nearest location, flat-earth, in km (None when
    it has no location)."""
    at, location = aliased(ServiceAtLocation), aliased(Location)
    km_x = KM_PER_DEGREE_LONGITUDE_AT_EQUATOR * math.cos(math.radians(near[0]))
    dy = (location.latitude - near[0]) * KM_PER_DEGREE_LATITUDE
    dx = (location.longitude - near[1]) * km_x
    return (select(func.min(dy * dy + dx * dx)).select_from(at)
            .join(location, location.id == at.location_id)
            .where(at.service_id == Service.id, location.latitude.is_not(None),
                   location.longitude.is_not(None))
            .correlate(Service).scalar_subquery())


@dataclass(frozen=True)
class Found:
    service: Service
    score: int
    stale: bool
    distance_km: float | None = None


@dataclass(frozen=True)
class SearchPage:
    results: list[Found] = field(default_factory=list)
    total: int = 0
    page: int = 1
    per_page: int = PER_PAGE
    any_word: bool = False  # no service had every word; these have some
    query: ParsedQuery = field(default_factory=ParsedQuery)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def first(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.results else 0

    @property
    def last(self) -> int:
        return self.first + len(self.results) - 1 if self.results else 0


def _place_conditions(locality: str | None, in_area: bool) -> list:
    if not in_area:
        return [Service.coverage == "national"]
    if locality:
        serves = exists().where(ServiceArea.service_id == Service.id,
                                ServiceArea.locality == locality)
        return [or_(Service.coverage != "locality", serves)]
    return []


def search(query: ParsedQuery, base_conditions: list, *, locality: str | None = None,
           in_area: bool = True, near: tuple[float, float] | None = None, page: int = 1,
           per_page: int = PER_PAGE, today: date | None = None) -> SearchPage:
    """One page of the services meeting base_conditions (for example visible()) and the
    query, best first, with how many there are in all."""
    page = min(max(page, 1), MAX_PAGE)
    if not query.required:
        return SearchPage(page=page, per_page=per_page, query=query)
    today = today or date.today()
    for any_word in (False, True) if len(query.required) > 1 else (False,):
        found, score = word_conditions(query, any_word)
        conditions = [*base_conditions, *_place_conditions(locality, in_area), found]
        total = db.session.scalar(select(func.count()).select_from(
            select(Service.id).join(Organization, Organization.id == Service.organization_id)
            .where(*conditions).subquery()))
        if total:
            break
    if not total:
        return SearchPage(page=page, per_page=per_page, query=query)
    distance = nearest_km(near) if near else literal(None)
    order = [score.desc(), stale_last(today)]
    if near:
        order += [case((distance.is_(None), 1), else_=0), distance]
    statement = (select(Service, score, stale_last(today), distance)
                 .join(Organization, Organization.id == Service.organization_id)
                 .where(*conditions)
                 .order_by(*order, func.lower(Service.name), Service.id)
                 .offset((page - 1) * per_page).limit(per_page))
    results = [Found(service, int(points), bool(stale),
                     round(math.sqrt(d2), 1) if d2 is not None else None)
               for service, points, stale, d2 in db.session.execute(statement)]
    return SearchPage(results, total, page, per_page, any_word, query)
