"""The search index: one document per service, holding what residents' search reads.

Derived from the service, its organisation's name, the taxonomy terms it is filed under and
its service areas, and kept in step with them by mle/directory/search_index.py in the same
transaction as every change.

The `*_words` columns hold the distinct words of each field as the query is read
(search_terms.words_of: lower case, accents folded, apostrophes dropped, anything but a letter
or digit a space); `topic_ids` the term ids. The database indexes these itself (migrations
0020 and 0021): on PostgreSQL a GIN index on a tsvector made from them by the function
`service_search_document` (with where the service is offered), on SQLite the FTS5 table
`service_search_fts` kept by triggers. Neither can be declared here for both databases, so
migration checks leave them out (include_name, below). `sort_name` is the name to order by.

The other columns copy the service's own columns of the same names, `localities` the
localities of its service areas between "|", and `locations` how many places with a latitude
and longitude it has, with the place itself when there is one and all of them when there are
several. So a search filters, ranks
and counts the documents the index finds without reading each service (nor, for most, its
locations): only the page's services are loaded.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from mle.database import db
from mle.models.oruk import ID

# Made by migration 0020 for one database only; not models.
FTS_TABLE = "service_search_fts"
DOCUMENT_FUNCTION = "service_search_document"
POINTS = ARRAY(Float).with_variant(JSON(), "sqlite")
DOCUMENT_INDEX = "ix_service_search_document"


class ServiceSearch(db.Model):  # type: ignore[name-defined]  # Flask-SQLAlchemy's base
    __tablename__ = "service_search"

    # An integer key, as FTS5 needs for its rowid (service ids are strings).
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_id: Mapped[str] = mapped_column(
        ID, ForeignKey("service.id", ondelete="CASCADE", name="fk_service_search_service"))
    # Copies of the service's columns.
    name: Mapped[str] = mapped_column(String(200))
    publication_status: Mapped[str] = mapped_column(String(12))
    status: Mapped[str] = mapped_column(String(20))
    reachable: Mapped[bool] = mapped_column(Boolean)
    coverage: Mapped[str] = mapped_column(String(10))
    review_due: Mapped[date | None] = mapped_column(Date)
    localities: Mapped[str] = mapped_column(Text, default="")  # "|airdrie|north|"
    locations: Mapped[int] = mapped_column(Integer, default=0)  # distinct places on the map
    latitude: Mapped[float | None] = mapped_column(Float)  # the place, when only one
    longitude: Mapped[float | None] = mapped_column(Float)
    # Every place, when there are several: an array on PostgreSQL, a JSON list on SQLite.
    latitudes: Mapped[list[float] | None] = mapped_column(POINTS)
    longitudes: Mapped[list[float] | None] = mapped_column(POINTS)
    # The name as words (search_terms.words_of), to order by: the same on both databases,
    # compared byte by byte ("C" collation on PostgreSQL, migration 0021).
    sort_name: Mapped[str] = mapped_column(String(200), default="")
    # The indexed words.
    name_words: Mapped[str] = mapped_column(Text, default="")
    topic_ids: Mapped[str] = mapped_column(Text, default="")
    description_words: Mapped[str] = mapped_column(Text, default="")
    organisation_words: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (Index("ix_service_search_service", "service_id", unique=True),)


class SearchWord(db.Model):  # type: ignore[name-defined]  # Flask-SQLAlchemy's base
    """A word the search documents hold (or held) in a field: what a word start of a query
    stands for, so that PostgreSQL's index is asked for whole words ("carer" is "carer" |
    "carers"), which it answers several times faster than a prefix, and a field no document
    has the word in is not searched for it. Words are added in the same transaction as the
    documents that hold them and only removed by a rebuild; a word no document holds any more
    matches nothing. No unique key, so concurrent saves never wait on each other: a word
    written twice is read once."""

    __tablename__ = "search_word"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # "C" collation on PostgreSQL (migration 0021), so that a range of words is a prefix.
    word: Mapped[str] = mapped_column(String(60))
    field: Mapped[str] = mapped_column(String(12))  # name, description or organisation

    __table_args__ = (Index("ix_search_word_word", "word"),)


def include_name(name: str | None, type_: str, parent_names: dict) -> bool:
    """For Alembic's comparison of the models with the database: leave out the index
    structures of one database (the FTS5 table and its shadow tables, the expression
    index)."""
    if type_ == "table":
        return not (name or "").startswith(FTS_TABLE)
    if parent_names.get("table_name") == ServiceSearch.__tablename__:
        return name != DOCUMENT_INDEX
    return True
