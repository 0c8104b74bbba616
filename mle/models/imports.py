"""Import runs and what ties a directory entry to the source it came from.

An entry taken in from a source keeps a link (service_source): for each group of fields, a
hash of what the source last gave and of what the import wrote. A later run updates a group
only when the source changed it and the entry still holds what the import wrote: when an
editor has changed the group since, the editor owns it and the run leaves it alone.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from mle.database import db
from mle.models.account import StaffUser
from mle.models.assessment import utcnow
from mle.models.oruk import Service


class DirectoryImport(db.Model):
    """One run of one source's file: stored so editors can work through what it did."""

    __tablename__ = "directory_import"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(30))  # oruk, care-inspectorate, aliss
    feed: Mapped[str] = mapped_column(String(120))
    label: Mapped[str] = mapped_column(String(120))
    file_name: Mapped[str] = mapped_column(String(200), default="")
    attribution: Mapped[str] = mapped_column(Text, default="")
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    run_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL"))  # None: the command line
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    added: Mapped[int] = mapped_column(Integer, default=0)
    changed: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    archived: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)  # out of the source's scope
    duplicates: Mapped[list] = mapped_column(JSON, default=list)  # [{names, reason}]
    run_by: Mapped[StaffUser | None] = relationship()
    entries: Mapped[list[DirectoryImportEntry]] = relationship(
        cascade="all, delete-orphan", order_by="DirectoryImportEntry.id",
        back_populates="run")


class DirectoryImportEntry(db.Model):
    """What a run did with one record: added, changed, unchanged, archived or rejected."""

    __tablename__ = "directory_import_entry"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    import_id: Mapped[int] = mapped_column(
        ForeignKey("directory_import.id", ondelete="CASCADE"))
    outcome: Mapped[str] = mapped_column(String(12))  # IMPORT_OUTCOMES
    service_id: Mapped[str | None] = mapped_column(
        ForeignKey("service.id", ondelete="SET NULL"))
    record_key: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(200))
    # {"fields": [...], "kept": [...], "warnings": [...], "reason": "", "how_to_fix": ""}
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    run: Mapped[DirectoryImport] = relationship(back_populates="entries")

    __table_args__ = (Index("ix_directory_import_entry_run", "import_id", "outcome"),)


class ServiceSource(db.Model):
    """The source an entry came from, and what that source last gave and the import wrote."""

    __tablename__ = "service_source"

    service_id: Mapped[str] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), primary_key=True)
    source: Mapped[str] = mapped_column(String(30))
    feed: Mapped[str] = mapped_column(String(120))
    record_key: Mapped[str] = mapped_column(String(200))
    label: Mapped[str] = mapped_column(String(120), default="")
    attribution: Mapped[str] = mapped_column(Text, default="")
    source_hashes: Mapped[dict] = mapped_column(JSON, default=dict)  # group -> hash
    written_hashes: Mapped[dict] = mapped_column(JSON, default=dict)  # group -> hash
    last_import_id: Mapped[int | None] = mapped_column(
        ForeignKey("directory_import.id", ondelete="SET NULL"))
    left_feed: Mapped[bool] = mapped_column(Boolean, default=False)  # archived for leaving it
    # The entry's source, for its attribution wherever its data is shown: service.source_link.
    service: Mapped[Service] = relationship(backref=backref(
        "source_link", uselist=False, cascade="all, delete-orphan", passive_deletes=True))

    __table_args__ = (Index("ix_service_source_feed", "source", "feed"),)


class TopicSuggestion(db.Model):
    """A topic or eligibility term a source suggests for an entry, until an editor confirms
    or dismisses it."""

    __tablename__ = "topic_suggestion"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"))
    import_id: Mapped[int | None] = mapped_column(
        ForeignKey("directory_import.id", ondelete="SET NULL"))
    taxonomy_term_id: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(12), default="pending")  # SUGGESTION_STATUSES

    __table_args__ = (Index("ix_topic_suggestion_service", "service_id", "status"),)
