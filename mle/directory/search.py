"""Ranked search of the directory by words: one function for residents' search, the
editors' list and the ORUK API's `search` parameter (docs/search.md).

Every word must be found (as a word start, so "carer" finds "carers") in the service's name,
its topics (the needs it is filed under, named by their labels, keywords and synonyms), its
description or its organisation's name. A word that looks misspelt also finds the word it was
probably meant to be. Each word scores by where it is found: name 8, topics 4, description 2,
organisation 1. Results are ordered by score, then entries due for review after the rest,
then (with a place) nearest first, then by name. When no service has every word, the
services with any of them are shown, and the page says so.

The words are looked up in the search index (mle/directory/search_index.py, decision 0024):
only the services it finds are scored. Residents' search reads the copies of the columns it
filters and orders by from the search documents too, and loads only the page's services."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from flask import current_app
from sqlalchemy import Column, and_, case, false, func, literal, or_, select
from sqlalchemy.sql.visitors import replacement_traverse

from mle.database import db
from mle.directory.search_index import (
    COPIED,
    SEARCH,
    TOPIC_ID,
    SearchIndex,
    filed_under,
    search_index,
    word_start_in,
    words_like,
)
from mle.directory.search_terms import (
    ParsedQuery,
    Term,
    Vocabulary,
    build_vocabulary,
    closest,
    parse,
    stem,
)
from mle.models import Service

PER_PAGE = 20
MAX_PAGE = 500
WEIGHTS = {"name": 8, "topics": 4, "description": 2, "organisation": 1}
KM_PER_DEGREE_LATITUDE = 110.574
KM_PER_DEGREE_LONGITUDE_AT_EQUATOR = 111.320
NO_LOCATION = 1e12  # a squared distance in km beyond any on earth


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


def _looked_for(term: Term, index: SearchIndex) -> dict[str, tuple[str, ...]]:
    """What to look for in each field: the stems a word of it may start with (the word
    list rules out the others), and the needs for topics; only fields with something to
    look for."""
    looked = {where: tuple(s for s in term.stems if index.may_start(s, where))
              for where in ("name", "description", "organisation")}
    looked["topics"] = tuple(sorted(t for t in term.needs if TOPIC_ID.fullmatch(t)))
    return {where: found for where, found in looked.items() if found}


def _score(query: ParsedQuery, row, index: SearchIndex, every_word: bool = False):
    """The score of the document in row: each word's weight for each field it is in. A
    field is asked once for the same words (two words naming the same need), and not at all
    when no document could have them there. With every_word (the documents scored have
    every required word), a required word that only one field can hold is in that field of
    every one: its weight is added without asking."""
    weights: dict[tuple[str, tuple[str, ...]], int] = {}
    certain = 0
    for term in query.terms:
        looked = _looked_for(term, index)
        if every_word and not term.optional and len(looked) == 1:
            certain += WEIGHTS[next(iter(looked))]
            continue
        for where, found in looked.items():
            weights[where, found] = weights.get((where, found), 0) + WEIGHTS[where]
    score: Any = literal(certain)
    for (where, found), weight in weights.items():
        hit = filed_under(row, found) if where == "topics" else word_start_in(row, where, found)
        score = score + case((hit, weight), else_=0)
    return score


def _wanted(index: SearchIndex, query: ParsedQuery, any_word: bool) -> str | None:
    """The index pattern for every word that is not a place name (or any one, with
    any_word); None when there is none."""
    patterns = [index.word(term.stems, term.needs) for term in query.required]
    if not patterns or (None in patterns and not any_word):
        return None
    found = [p for p in patterns if p is not None]
    if not found:
        return None
    return index.any_of(found) if any_word else index.all_of(found)


def _stems(query: ParsedQuery) -> set[str]:
    """The word starts of the query: the index is asked for the required words', and the
    score looks for every word's."""
    return {start for term in query.terms for start in term.stems}


def _spelled(query: ParsedQuery) -> tuple[ParsedQuery, SearchIndex]:
    """The query, with each required word that is in no document and names no need also
    finding the directory's word it was probably meant to be ("samaratins": samaritans; the
    taxonomy's words were corrected when the query was read), and the index for it."""
    index = search_index(_stems(query))
    fixed: dict[Term, tuple[str, str]] = {}
    for term in query.required:
        if term.needs or term.corrected or not all(index.nowhere(s) for s in term.stems):
            continue
        # A stem each word stands for, the shortest word where several share one.
        near = {stem(word): word for word in sorted(words_like(term.stems[0]), key=len,
                                                     reverse=True)}
        if meant := closest(term.stems[0], near):
            fixed[term] = (meant, near[meant])
    if not fixed:
        return query, index
    terms = tuple(replace(t, stems=(*t.stems, fixed[t][0]), corrected=fixed[t][1])
                  if t in fixed else t for t in query.terms)
    query = replace(query, terms=terms)
    return query, search_index(_stems(query))


def word_conditions(query: ParsedQuery, any_word: bool = False):
    """(condition, score) for a parsed query, to use in a statement about Service.
    The condition needs every word that is not a place name (or any one, with any_word);
    both read the search index (mle/directory/search_index.py)."""
    query, index = _spelled(query)
    wanted = _wanted(index, query, any_word)
    if wanted is None:
        return false(), literal(0)
    found, scored = SEARCH.alias("found_search"), SEARCH.alias("scored_search")
    condition = Service.id.in_(select(found.c.service_id).where(index.matches(found, wanted)))
    score = (select(_score(query, scored, index)).where(scored.c.service_id == Service.id)
             .scalar_subquery())
    return condition, func.coalesce(score, 0)


def stale_last(today: date, review_due=Service.review_due):
    return case((review_due < today, 1), else_=0)


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


def _distance_km(near: tuple[float, float], row, index: SearchIndex):
    """Squared distance to the service's nearest location, from the document's copy of the
    place when it has only one (most do), else from its copy of every place; NO_LOCATION
    when it has none, so that those sort after the rest. Evaluated once, for the order and
    the answer."""
    km_x = KM_PER_DEGREE_LONGITUDE_AT_EQUATOR * math.cos(math.radians(near[0]))

    def squared(latitude, longitude):
        dy = (latitude - near[0]) * KM_PER_DEGREE_LATITUDE
        dx = (longitude - near[1]) * km_x
        return dy * dy + dx * dx

    if index.postgresql:
        points: Any = func.unnest(row.c.latitudes, row.c.longitudes).table_valued(
            "latitude", "longitude").render_derived()
        latitude, longitude = points.c.latitude, points.c.longitude
    else:  # JSON lists, paired by position
        latitudes = func.json_each(row.c.latitudes).table_valued("key", "value").alias()
        longitudes = func.json_each(row.c.longitudes).table_valued("key", "value").alias()
        points = latitudes.join(longitudes, latitudes.c.key == longitudes.c.key)
        latitude, longitude = latitudes.c.value, longitudes.c.value
    nearest = (select(func.min(squared(latitude, longitude))).select_from(points)
               .scalar_subquery())
    return case((row.c.locations == 1, squared(row.c.latitude, row.c.longitude)),
                (row.c.locations > 1, nearest), else_=NO_LOCATION)


def _on_document(conditions: list, row) -> list:
    """Conditions on the service, reading the copies of its columns the search document
    holds (mle/models/search_index.py), so the documents the index finds are filtered
    without reading their services. A column the document does not copy is an error."""
    copies = {c: row.c[c] for c in COPIED} | {"id": row.c.service_id}

    def copy(element, **_kw):
        if isinstance(element, Column) and element.table is Service.__table__:
            if element.key not in copies:
                raise ValueError(f"the search document has no copy of service.{element.key}")
            return copies[element.key]
        return None

    # and_() makes a clause of a bare column such as Service.reachable.
    return [replacement_traverse(and_(condition), {}, copy) for condition in conditions]


def _place_conditions(row, locality: str | None, in_area: bool) -> list:
    if not in_area:
        return [row.c.coverage == "national"]
    if locality:
        return [or_(row.c.coverage != "locality",
                    row.c.localities.contains(f"|{locality}|", autoescape=True))]
    return []


def _ranked(index: SearchIndex, query: ParsedQuery, wanted: str, conditions: list, row, *,
            every_word: bool, near: tuple[float, float] | None, page: int, per_page: int,
            today: date) -> list:
    """(service id, score, stale, squared distance, how many match in all) for one page, in
    one pass over the documents the index finds."""
    found = (select(row.c.service_id.label("id"),
                    _score(query, row, index, every_word).label("score"),
                    stale_last(today, row.c.review_due).label("stale"),
                    (_distance_km(near, row, index) if near else literal(None)).label("distance"),
                    index.order_by_name(row.c.sort_name).label("name"))
             .where(index.matches(row, wanted), *conditions)
             # OFFSET 0 keeps the database from merging this into the query below, so what
             # is buffered to count the rows is these few columns, not whole documents.
             .offset(0).subquery())
    order = [found.c.score.desc(), found.c.stale] + ([found.c.distance] if near else [])
    return list(db.session.execute(
        select(found.c.id, found.c.score, found.c.stale, found.c.distance, func.count().over())
        .order_by(*order, found.c.name, found.c.id)
        .offset((page - 1) * per_page).limit(per_page)))


def _count(index: SearchIndex, wanted: str, conditions: list, row) -> int:
    return db.session.scalar(select(func.count()).select_from(row).where(
        index.matches(row, wanted), *conditions)) or 0


def search(query: ParsedQuery, base_conditions: list, *, locality: str | None = None,
           in_area: bool = True, near: tuple[float, float] | None = None, page: int = 1,
           per_page: int = PER_PAGE, today: date | None = None) -> SearchPage:
    """One page of the services meeting base_conditions (for example visible(): conditions
    on the columns the search document copies) and the query, best first, with how many
    there are in all. The documents the index finds are filtered, scored, ordered and
    counted in one statement; only the page's services are loaded."""
    page = min(max(page, 1), MAX_PAGE)
    if not query.required:
        return SearchPage(page=page, per_page=per_page, query=query)
    today = today or date.today()
    asked, (query, index) = query, _spelled(query)
    row = SEARCH.alias("service_search")
    index.prepare()
    # Where the service is offered is asked of the index when it holds places.
    offered = index.offered(locality, in_area)
    conditions = [*_on_document(base_conditions, row),
                  *([] if offered else _place_conditions(row, locality, in_area))]
    rows, total, any_word = [], 0, False
    for any_word in (False, True) if len(query.required) > 1 else (False,):
        wanted = _wanted(index, query, any_word)
        if wanted is None:
            continue
        if offered:
            wanted = index.all_of([f"({wanted})", offered])
        rows = _ranked(index, query, wanted, conditions, row, every_word=not any_word,
                       near=near, page=page, per_page=per_page, today=today)
        if rows:
            total = rows[0][-1]
        elif page > 1:  # a page past the end has no rows to carry the count
            total = _count(index, wanted, conditions, row)
        if total:
            break
    if not rows:
        # A correction that finds nothing is not shown: the word list holds the words of
        # entries residents do not see.
        return SearchPage(page=page, per_page=per_page, total=total,
                          any_word=any_word and bool(total), query=query if total else asked)
    services = {s.id: s for s in db.session.scalars(
        select(Service).where(Service.id.in_([r[0] for r in rows])))}
    results = [Found(services[service_id], int(points), bool(stale),
                     None if not near or d2 >= NO_LOCATION else round(math.sqrt(d2), 1))
               for service_id, points, stale, d2, _total in rows]
    return SearchPage(results, total, page, per_page, any_word, query)
