"""The search index: one document per service, holding what residents' search reads.

Derived from the service, its organisation's name, the taxonomy terms it is filed under and
its service areas, and kept in step with them by mle/directory/search_index.py in the same
transaction as every change.

The `*_words` columns hold the distinct words of each field as the query is read
(search_terms.words_of: lower case, accents folded, apostrophes dropped, anything but a letter
or digit a space); `topic_ids` the term ids. The database indexes these itself (migration
0020_search_index): on PostgreSQL a generated tsvector column `document` with a GIN index, on
SQLite the FTS5 table `service_search_fts` kept by triggers. Neither can be declared here for
both databases, so migration checks leave them out (include_name, below).

The other columns copy the service's own columns of the same names, `localities` the
localities of its service areas between "|", and `locations` how many places with a latitude
and longitude it has, with the place itself when there is one. So a search filters, ranks
and counts the documents the index finds without reading each service (nor, for most, its
locations): only the page's services are loaded.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from mle.database import db
from mle.models.oruk import ID

# Made by migration 0020 for one database only; not models.
FTS_TABLE = "service_search_fts"
DOCUMENT_COLUMN = "document"
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
    # The indexed words.
    name_words: Mapped[str] = mapped_column(Text, default="")
    topic_ids: Mapped[str] = mapped_column(Text, default="")
    description_words: Mapped[str] = mapped_column(Text, default="")
    organisation_words: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (Index("ix_service_search_service", "service_id", unique=True),)


def include_name(name: str | None, type_: str, parent_names: dict) -> bool:
    """For Alembic's comparison of the models with the database: leave out the index
    structures of one database (the FTS5 table and its shadow tables, the tsvector column
    and its index)."""
    if type_ == "table":
        return not (name or "").startswith(FTS_TABLE)
    if parent_names.get("table_name") == ServiceSearch.__tablename__:
        return name not in (DOCUMENT_COLUMN, DOCUMENT_INDEX)
    return True
