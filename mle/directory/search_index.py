"""The search index: keeping each service's search document (mle/models/search_index.py) in
step with the service, and asking the database's full-text index which documents match.

A document holds the words of the service's name, description and organisation's name,
normalised as a query is (search_terms.words_of), the ids of the terms it is filed under, and
copies of what a search filters and ranks by (publication, status, reachability, coverage and
localities, review date, name and the name to order by, and its place when it has only one,
or every place when it has several). The word list (SearchWord) holds every word of every
document with its field. refresh_search_index() rewrites the documents of some services (or
of all) and adds their new words to the list. It runs after every flush that adds, changes or
deletes a service, its taxonomy terms, service areas or locations, or renames an organisation
(install(), below), on the flush's own connection, so the index changes in the same
transaction as the entry: editors' saves, publishing and archiving, reviews, the seed loader
and the ORUK importer all go through it. Anything written around the ORM (the benchmark's
COPY) rebuilds them with refresh_search_index(connection) or `flask mle rebuild-search-index`.

Asking the index (SearchIndex) is the one place that knows the two databases apart:
- PostgreSQL: a GIN index on service_search_document(...), a tsvector of the word columns,
  the topics after "#" and where the service is offered after "@" (migration 0021). A word
  start is asked as the whole words the word list says it stands for (`'carer' | 'carers'`;
  a prefix, `'c':*`, when they are too many), a topic as `'#carer-support'`, a place as
  `('@wide' | '@in-airdrie')`: no word start reaches "#" or "@".
- SQLite: `service_search_fts`, an FTS5 table over the four word columns with prefix indexes,
  kept by triggers on service_search. A word start is
  `{name_words description_words organisation_words} : "carer"*`, a topic
  `{topic_ids} : "carer-support"`; places are filtered on the documents found.
Both read the same stored words, so both find the same services (tests run on each). Which
fields a word is in, for the score, is then read from the stored words of the documents
found, by the same SQL on both (word_start_in(), filed_under()), skipping the fields the word
list says cannot hold it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import (
    Boolean,
    Integer,
    String,
    bindparam,
    cast,
    column,
    event,
    false,
    func,
    inspect,
    literal,
    or_,
    select,
    table,
    text,
    union_all,
)
from sqlalchemy.dialects.postgresql import TSQUERY, TSVECTOR
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from mle.database import db
from mle.directory.search_terms import words_of
from mle.models import (
    Attribute,
    Location,
    Organization,
    SearchWord,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceSearch,
)
from mle.models.search_index import DOCUMENT_FUNCTION, FTS_TABLE

# The columns holding each field's words.
WORDS = {"name": "name_words", "description": "description_words",
         "organisation": "organisation_words"}
# The service's columns the document copies (mle/models/search_index.py), and all those it
# is made from.
COPIED = ("name", "publication_status", "status", "reachable", "coverage", "review_due")
SERVICE_FIELDS = (*COPIED, "description", "organization_id", "organization")
# A query word is at most 30 characters (search_terms.MAX_WORD_CHARS) and only its start is
# matched, so longer stored words can be cut; and a field keeps at most this many distinct
# words (PostgreSQL's tsvector holds at most 1 MB).
STORED_WORD_CHARS = 60
STORED_WORDS = 10_000
# Term ids are slugs; anything else could not be told apart by either index.
TOPIC_ID = re.compile(r"[a-z0-9][a-z0-9-]*")
STEM = re.compile(r"[a-z0-9]+")
CHUNK = 500  # service ids per statement
SORT_NAME_CHARS = 200
# A word start standing for more words than this is asked as a prefix.
MAX_WHOLE_WORDS = 32
MAX_NEAR_WORDS = 2000

# The index structures made by migrations 0020 and 0021, as plain tables for building
# queries.
SEARCH = table(ServiceSearch.__tablename__,
               *(column(c.name, c.type) for c in ServiceSearch.__table__.c))
FTS = table(FTS_TABLE, column("rowid", Integer), column(FTS_TABLE, String))


def field_words(text: str | None) -> str:
    """The distinct words of a field as stored: normalised as the query is, in order."""
    words = dict.fromkeys(w[:STORED_WORD_CHARS] for w in words_of(text or ""))
    return " ".join(list(words)[:STORED_WORDS])


def words(name: str | None, description: str | None, organisation: str | None,
          topics: Iterable[str]) -> dict[str, str]:
    """The indexed columns of a service's document."""
    return {"name_words": field_words(name), "description_words": field_words(description),
            "organisation_words": field_words(organisation),
            "topic_ids": " ".join(sorted({t for t in topics if TOPIC_ID.fullmatch(t)}))}


def sort_name(name: str | None) -> str:
    """The name to order by: its words as the query reads them, so "St. Mary's" and
    "st marys" sort alike, byte by byte on both databases."""
    return " ".join(words_of(name or ""))[:SORT_NAME_CHARS]


def document_words(document: dict) -> set[tuple[str, str]]:
    """(word, field) for each word a document's indexed word columns hold."""
    return {(w, where) for where, column in WORDS.items() for w in document[column].split()}


def localities(names: Iterable[str | None]) -> str:
    """The localities column: "|airdrie|north|", or "" for none. Locality ids are slugs
    (PostgreSQL's index reads them as lexemes); anything else could not be matched."""
    found = sorted({n for n in names if n and TOPIC_ID.fullmatch(n)})
    return "|" + "|".join(found) + "|" if found else ""


def _by_service(connection: Connection, statement) -> dict[str, list]:
    """Each service's values: the second column of the statement, or the rest as a tuple."""
    found: dict[str, list] = {}
    for service_id, *values in connection.execute(statement):
        found.setdefault(service_id, []).append(values[0] if len(values) == 1
                                                else tuple(values))
    return found


def places(points: Iterable[tuple[float, float]]) -> dict:
    """The locations columns: how many distinct places, and the place when only one."""
    found = sorted(set(points))
    only = found[0] if len(found) == 1 else (None, None)
    return {"locations": len(found), "latitude": only[0], "longitude": only[1]}


def every_place(points: Iterable[tuple[float, float]]) -> dict:
    """The columns of every place, when there are several (None for one or none)."""
    found = sorted(set(points))
    if len(found) < 2:
        return {"latitudes": None, "longitudes": None}
    return {"latitudes": [p[0] for p in found], "longitudes": [p[1] for p in found]}


def _documents(connection: Connection, ids: Sequence[str] | None) -> list[dict]:
    services = (select(Service.id, Service.description, Organization.name,
                       *(getattr(Service, c) for c in COPIED))
                .outerjoin(Organization, Organization.id == Service.organization_id))
    topics = select(Attribute.link_id, Attribute.taxonomy_term_id).where(
        Attribute.link_entity == "service")
    areas = select(ServiceArea.service_id, ServiceArea.locality).where(
        ServiceArea.locality.is_not(None))
    points = (select(ServiceAtLocation.service_id, Location.latitude, Location.longitude)
              .join(Location, Location.id == ServiceAtLocation.location_id)
              .where(Location.latitude.is_not(None), Location.longitude.is_not(None)))
    if ids is not None:
        services = services.where(Service.id.in_(ids))
        topics = topics.where(Attribute.link_id.in_(ids))
        areas = areas.where(ServiceArea.service_id.in_(ids))
        points = points.where(ServiceAtLocation.service_id.in_(ids))
    filed, served = _by_service(connection, topics), _by_service(connection, areas)
    located = _by_service(connection, points)
    rows = []
    for service_id, description, organisation, *copied in connection.execute(services):
        row = dict(zip(COPIED, copied, strict=True))
        rows.append({"service_id": service_id, **row, "sort_name": sort_name(row["name"]),
                     "localities": localities(served.get(service_id, ())),
                     **places(located.get(service_id, ())),
                     **every_place(located.get(service_id, ())),
                     **words(row["name"], description, organisation,
                             filed.get(service_id, ()))})
    return rows


def refresh_search_index(connection: Connection, service_ids: Iterable[str] | None = None
                         ) -> None:
    """Rewrite the search documents of these services (of every service when None), and
    add any word they hold that the word list lacks."""
    documents, known = ServiceSearch.__table__, SearchWord.__table__
    if service_ids is None:
        connection.execute(documents.delete())
        connection.execute(known.delete())
        rows = _documents(connection, None)
        for start in range(0, len(rows), CHUNK * 10):
            connection.execute(documents.insert(), rows[start:start + CHUNK * 10])
        _add_words(connection, set().union(*map(document_words, rows)), known=set())
        return
    ids = sorted(set(service_ids))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        connection.execute(documents.delete().where(documents.c.service_id.in_(chunk)))
        rows = _documents(connection, chunk)
        if rows:
            connection.execute(documents.insert(), rows)
            _add_words(connection, set().union(*map(document_words, rows)))


def _add_words(connection: Connection, found: set[tuple[str, str]],
               known: set[tuple[str, str]] | None = None) -> None:
    """Add the (word, field) pairs the word list lacks (SearchWord: no unique key, so
    nothing waits)."""
    table = SearchWord.__table__
    pairs = sorted(found)
    for start in range(0, len(pairs), CHUNK * 10):
        chunk = pairs[start:start + CHUNK * 10]
        have = known if known is not None else {(w, f) for w, f in connection.execute(
            select(table.c.word, table.c.field).where(
                table.c.word.in_(sorted({w for w, _field in chunk}))))}
        missing = [{"word": w, "field": f} for w, f in chunk if (w, f) not in have]
        if missing:
            connection.execute(table.insert(), missing)


def _values(obj, name: str) -> set:
    """The attribute's value now and any value it had before this flush."""
    history = inspect(obj).attrs[name].history
    return {v for v in (*history.added, *history.unchanged, *history.deleted) if v is not None}


def _changed(obj, *names: str) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


def _named(obj, session: Session) -> tuple[set[str], set[str], set[str]]:
    """(service ids, organisation ids, location ids) whose change may alter documents."""
    if isinstance(obj, Service):
        if obj in session.new or obj in session.deleted or _changed(obj, *SERVICE_FIELDS):
            identity: tuple | None = inspect(obj).identity
            return set(identity) if identity else _values(obj, "id"), set(), set()
    elif isinstance(obj, Attribute):
        if "service" in _values(obj, "link_entity"):
            return _values(obj, "link_id"), set(), set()
    elif isinstance(obj, ServiceArea | ServiceAtLocation):
        return _values(obj, "service_id"), set(), set()
    elif isinstance(obj, Organization):
        if obj in session.deleted or (obj not in session.new and _changed(obj, "name")):
            return set(), _values(obj, "id"), set()
    elif isinstance(obj, Location) and obj not in session.new:
        return set(), set(), _values(obj, "id")
    return set(), set(), set()


def touched_services(session: Session) -> set[str]:
    """The services whose search documents the changes being flushed may alter."""
    ids: set[str] = set()
    organisations: set[str] = set()
    locations: set[str] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        services, organisation, location = _named(obj, session)
        ids |= services
        organisations |= organisation
        locations |= location
    connection = session.connection()
    if organisations:
        ids |= set(connection.scalars(select(Service.id).where(
            Service.organization_id.in_(sorted(organisations)))))
    if locations:
        ids |= set(connection.scalars(select(ServiceAtLocation.service_id).where(
            ServiceAtLocation.location_id.in_(sorted(locations)))))
    return ids


def _after_flush(session: Session, _flush_context) -> None:
    ids = touched_services(session)
    if ids:
        refresh_search_index(session.connection(), ids)


def install() -> None:
    """Refresh the search documents after every flush of any session (once per process)."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)


def rebuild_search_index() -> int:
    """Rewrite every search document, for data written around the app; returns how many."""
    refresh_search_index(db.session.connection())
    db.session.commit()
    return db.session.scalar(select(func.count()).select_from(ServiceSearch)) or 0


def word_start_in(row, field: str, stems: Iterable[str]) -> ColumnElement[bool]:
    """Whether a word of the field, as stored in the document in row, starts with one of the
    stems: the same on both databases, for scoring the few documents the index found."""
    words = literal(" ").concat(row.c[WORDS[field]])
    return or_(false(), *(words.like(f"% {s}%") for s in _stems(stems)))


def filed_under(row, topics: Iterable[str]) -> ColumnElement[bool]:
    """Whether the document in row is filed under one of the term ids."""
    ids = literal(" ").concat(row.c.topic_ids).concat(" ")
    return or_(false(), *(ids.like(f"% {t} %") for t in _topics(topics)))


def _stems(stems: Iterable[str]) -> list[str]:
    # Only letters and digits (search_terms.words_of): nothing to escape in either index's
    # syntax nor in LIKE.
    return sorted(s for s in set(stems) if STEM.fullmatch(s))


def _topics(topics: Iterable[str]) -> list[str]:
    return sorted(t for t in set(topics) if TOPIC_ID.fullmatch(t))


@dataclass(frozen=True)
class SearchIndex:
    """Asking one database's index which documents match: build a pattern for each word
    (word(), then all_of() or any_of()), then the condition (matches())."""

    dialect: str
    # The whole words each word start stands for, by field (search_index()): PostgreSQL's
    # index is asked for them, several times faster than for a prefix (SQLite's is as fast
    # with either); a field none is in is not scored. A start not here (one that stands for
    # too many words) is asked as a prefix, in every field.
    whole_words: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)

    @property
    def postgresql(self) -> bool:
        return self.dialect == "postgresql"

    def word(self, stems: Iterable[str], topics: Iterable[str] = ()) -> str | None:
        """A pattern for documents with a word (of the name, description or organisation)
        starting with one of the stems, or filed under one of the term ids; None when there is
        nothing it could match."""
        stems, topics = _stems(stems), _topics(topics)
        if self.postgresql:
            # Term ids are lexemes starting with "#", so no word start reaches one.
            parts = [part for s in stems for part in (
                [f"'{w}'" for w in sorted(set().union(*self.whole_words[s].values()))]
                if s in self.whole_words else [f"'{s}':*"])] + [f"'#{t}'" for t in topics]
            return "(" + " | ".join(parts) + ")" if parts else None
        parts = []
        if stems:
            parts.append("{" + " ".join(WORDS.values()) + "} : ("
                         + " OR ".join(f'"{s}"*' for s in stems) + ")")
        if topics:
            parts.append("{topic_ids} : (" + " OR ".join(f'"{t}"' for t in topics) + ")")
        return "(" + " OR ".join(parts) + ")" if parts else None

    def offered(self, locality: str | None, in_area: bool) -> str | None:
        """On PostgreSQL, a pattern for services offered to someone in the locality (those
        of one locality only if it is theirs), or to someone outside the area (national
        ones); None when every service is, or on SQLite, whose index does not hold places
        (the search filters the documents it finds instead)."""
        if not self.postgresql or (in_area and not locality):
            return None
        if not in_area:
            return "'@national'"
        if TOPIC_ID.fullmatch(locality or ""):
            return f"('@wide' | '@in-{locality}')"
        return "'@wide'"

    def nowhere(self, stem: str) -> bool:
        """Whether the word list says no document has a word starting with the stem."""
        return stem in self.whole_words and not any(self.whole_words[stem].values())

    def may_start(self, stem: str, where: str) -> bool:
        """Whether a word of the field (name, description or organisation) of any document
        may start with the stem: False only when the word list says none does."""
        return stem not in self.whole_words or bool(self.whole_words[stem].get(where))

    def prepare(self) -> None:
        """PostgreSQL may plan parallel workers for a bitmap scan it cannot size (a word
        start's matches are guessed); starting them costs more than reading a few thousand
        documents. For the rest of the transaction only, as matching does."""
        if self.postgresql:
            db.session.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))

    def all_of(self, patterns: Iterable[str]) -> str:
        return (" & " if self.postgresql else " AND ").join(patterns)

    def any_of(self, patterns: Iterable[str]) -> str:
        return (" | " if self.postgresql else " OR ").join(patterns)

    def matches(self, row, pattern: str) -> ColumnElement[bool]:
        """Whether the document in row (SEARCH or an alias of it) matches pattern, as the
        index answers."""
        value = bindparam(None, pattern, type_=String)
        if self.postgresql:
            return document(row).op("@@", return_type=Boolean)(cast(value, TSQUERY))
        return row.c.id.in_(select(FTS.c.rowid).where(FTS.c[FTS_TABLE].match(value)))

    def order_by_name(self, column):
        """Names in byte order on both databases (SQLite compares bytes already)."""
        return column.collate("C") if self.postgresql else column


def document(row):
    """PostgreSQL's search document of the row: the expression its index is made on
    (migration 0021)."""
    return getattr(func, DOCUMENT_FUNCTION)(
        row.c.name_words, row.c.description_words, row.c.organisation_words,
        row.c.topic_ids, row.c.coverage, row.c.localities, type_=TSVECTOR)


def whole_words(stems: Iterable[str]) -> dict[str, dict[str, tuple[str, ...]]]:
    """The words of the word list each stem starts, by field (none for a start no document
    has), leaving out any start of more than MAX_WHOLE_WORDS words: those are asked as
    prefixes. One statement; words are letters and digits, so "~" sorts after every word a
    stem starts."""
    table = SearchWord.__table__
    stems = _stems(stems)
    if not stems:
        return {}
    # Each from a subquery: SQLite takes no LIMIT in a member of a UNION.
    started = [select(literal(stem).label("stem"), table.c.word, table.c.field)
               .where(table.c.word >= stem, table.c.word < stem + "~")
               .distinct().limit(MAX_WHOLE_WORDS * len(WORDS) + 1).subquery()
               for stem in stems]
    found: dict[str, dict[str, set[str]]] = {stem: {} for stem in stems}
    statement = union_all(*(select(*member.c) for member in started))
    for stem, word, where in db.session.execute(statement):
        found[stem].setdefault(where, set()).add(word)
    return {stem: {where: tuple(sorted(words)) for where, words in fields.items()}
            for stem, fields in found.items()
            if len(set().union(*fields.values())) <= MAX_WHOLE_WORDS
            and sum(map(len, fields.values())) <= MAX_WHOLE_WORDS * len(WORDS)}


def words_like(word_stem: str) -> list[str]:
    """Words of the word list that a misspelt word start may have been meant to be: the
    words starting with its first two letters (a slip there is not looked for) and of a
    length two edits and an ending away; at most MAX_NEAR_WORDS, so that a search for
    nonsense stays quick."""
    table = SearchWord.__table__
    if not STEM.fullmatch(word_stem) or len(word_stem) < 4:
        return []
    start = word_stem[:2]
    length = func.length(table.c.word)
    return list(db.session.scalars(
        select(table.c.word).where(table.c.word >= start, table.c.word < start + "~",
                                   length >= len(word_stem) - 2, length <= len(word_stem) + 5)
        .distinct().limit(MAX_NEAR_WORDS)))


def search_index(stems: Iterable[str] = ()) -> SearchIndex:
    """The index of the database the session uses, with the whole words the stems (the
    word starts a query looks for) stand for."""
    return SearchIndex(db.session.get_bind().dialect.name, whole_words(stems))
