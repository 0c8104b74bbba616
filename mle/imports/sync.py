"""Taking a source's file into the directory without losing an editor's work.

For each record, each group of fields (field_groups.py) is written only when the source
changed it and the entry still holds what the last import wrote; a group an editor changed
since is the editor's, and the run says it kept it. Our topics and eligibility are never
written by a source: what it suggests waits for an editor. A published entry stays published;
entries that left the feed are archived, never deleted. Every change is in the entry's history
and the audit trail, and the run itself is stored for editors.

The run is one transaction: a failure or an interruption part way leaves the directory as it
was, and a dry run rolls everything back after counting what would change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from mle.database import db
from mle.directory.history import record_changes, snapshot
from mle.directory.reviews import add_months, review_period
from mle.imports.coverage import Coverage, coverage_of
from mle.imports.duplicates import likely_duplicates
from mle.imports.field_groups import (
    GROUPS,
    WRITERS,
    entry_hashes,
    record_hash,
    source_hashes,
)
from mle.imports.records import RejectedRecord, SourceFeed, SourceRecord
from mle.imports.rejections import how_to_fix
from mle.imports.repairs import repair_record
from mle.imports.suggestions import has_suggestions, suggest
from mle.models import DirectoryImport, DirectoryImportEntry, Service, ServiceSource
from mle.oruk.columns import column_values
from mle.oruk.feed import validate
from mle.oruk.ids import local_id
from mle.oruk.import_result import ImportFailed, RecordInvalid
from mle.oruk.record_rows import ImportRun
from mle.security.audit import audit
from mle.site import site

UNSHOWN = ("outside", "unset")  # coverages never shown as local: an editor must look
RECORD = "record"  # the source hash of the whole record as given, beside the groups' hashes


@dataclass
class EntryOutcome:
    outcome: str  # mle.vocabulary.IMPORT_OUTCOMES
    name: str
    record_key: str
    service_id: str | None = None
    details: dict = field(default_factory=dict)


@dataclass
class SyncResult:
    """What a run did (or, for a dry run, would do)."""

    import_id: int | None
    dry_run: bool
    entries: list[EntryOutcome] = field(default_factory=list)
    duplicates: list[dict] = field(default_factory=list)
    skipped: int = 0

    def count(self, outcome: str) -> int:
        return sum(1 for e in self.entries if e.outcome == outcome)


@dataclass
class _Run:
    row: DirectoryImport
    feed: SourceFeed
    publish: bool
    actor_id: int | None
    oruk: ImportRun = field(default_factory=lambda: ImportRun(False, "area"))
    seen_keys: set[str] = field(default_factory=set)
    seen_ids: dict[str, int] = field(default_factory=dict)  # service id -> record number
    number: int = 0  # of the record being taken in, from 1


def sync(feed: SourceFeed, *, publish: bool = False, dry_run: bool = False,
         run_by_id: int | None = None,
         progress: Callable[[int], None] | None = None) -> SyncResult:
    """Take the feed in; commit unless `dry_run`. ImportFailed when nothing in it can be."""
    readable = [r for r in feed.records if isinstance(r, SourceRecord)]
    if not feed.records:
        raise ImportFailed("the file holds no records")
    row = DirectoryImport(source=feed.source, feed=feed.feed[:120], label=feed.label[:120],
                          file_name=feed.file_name[:200], attribution=feed.attribution,
                          run_by_id=run_by_id, published=publish,
                          skipped=feed.skipped, duplicates=[])
    db.session.add(row)
    db.session.flush()
    run = _Run(row, feed, publish, run_by_id)
    result = SyncResult(None if dry_run else row.id, dry_run, skipped=row.skipped)
    try:
        for record in feed.records:
            result.entries.append(_take(record, run))
            if progress:
                progress(1)
        if readable and not any(e.outcome != "rejected" for e in result.entries):
            raise ImportFailed(f"all {len(feed.records)} records are invalid; nothing was "
                               "imported")
        if not readable:
            raise ImportFailed(f"none of the {len(feed.records)} records can be read; nothing "
                               "was imported")
        result.entries += _archive_missing(run)
        result.duplicates = likely_duplicates(
            [e.service_id for e in result.entries if e.service_id and e.outcome != "archived"])
        _store(row, result)
    except BaseException:
        db.session.rollback()
        raise
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    return result


def _take(record: SourceRecord | RejectedRecord, run: _Run) -> EntryOutcome:
    if isinstance(record, RejectedRecord):
        run.seen_keys.add(record.key)  # a record we could not read this time has not left
        return EntryOutcome("rejected", record.name, record.key, details={
            "reason": record.reason, "how_to_fix": record.how_to_fix or how_to_fix(record.reason)})
    run.seen_keys.add(record.key)
    run.number += 1
    given = record.data if isinstance(record.data, dict) else {}
    name = str(given.get("name") or record.key)[:200]
    data, warnings = repair_record(record.data)
    warnings = list(record.warnings) + warnings
    quick = _same_record_as_before(record, run, warnings)
    if quick is not None:
        return quick
    shared_before = set(run.oruk.shared_done)
    savepoint = db.session.begin_nested()
    try:
        shaped = validate(data)
        sid = local_id(Service, "service", shaped["id"]) or shaped["id"]
        if sid in run.seen_ids:
            raise RecordInvalid(f"id: the same id as record {run.seen_ids[sid]} in this file, "
                                "which was imported")
        run.seen_ids[sid] = run.number
        outcome = _upsert(sid, shaped, record, run, warnings)
    except Exception as error:  # noqa: BLE001 - the savepoint undoes the record
        savepoint.rollback()
        run.oruk.shared_done = shared_before  # rows it wrote first are gone with it
        run.seen_ids = {k: v for k, v in run.seen_ids.items() if v != run.number}
        reason = (str(error) if isinstance(error, RecordInvalid)
                  else f"could not be stored: {type(error).__name__}")
        return EntryOutcome("rejected", name, record.key, details={
            "reason": reason, "how_to_fix": how_to_fix(reason), "warnings": warnings})
    savepoint.commit()
    return outcome


def _upsert(sid: str, data: dict, record: SourceRecord, run: _Run,
            warnings: list[str]) -> EntryOutcome:
    coverage = coverage_of(data, record.area_codes, site().area)
    incoming = source_hashes(data, coverage)
    service = db.session.get(Service, sid)
    link = db.session.get(ServiceSource, sid) if service is not None else None
    if service is not None and (link is None or (link.source, link.feed) != (
            run.feed.source, run.feed.feed[:120])):
        return _not_ours(service, link, record, warnings)
    if service is not None and _nothing_new(service, link, incoming, record, run):
        link.last_import_id = run.row.id
        suggested = suggest(service, record, run.row.id)
        return EntryOutcome("unchanged", service.name or record.key, record.key, sid,
                            details={"warnings": warnings, "suggested": suggested})
    if service is None:
        stale = db.session.get(ServiceSource, sid)  # its entry was deleted outright
        if stale is not None:
            db.session.delete(stale)
        service = Service(id=sid, status="active", description="", coverage="unset",
                          publication_status="draft", needs_editor=True)
        db.session.add(service)
        before, current, write, kept = {}, {}, list(GROUPS), []
    else:
        before, current = snapshot(service), entry_hashes(service)
        write, kept = _groups_to_write(link, incoming, current)
    with db.session.no_autoflush:  # a new entry is complete before its first flush
        for group in write:  # in GROUPS' order: the organisation and name first
            WRITERS[group](service, data, run.oruk, coverage)
    db.session.flush()
    db.session.expire(service)
    service = db.session.get(Service, sid)
    after = entry_hashes(service)
    link = _link(link, sid, record, run, incoming, after, write)
    if coverage.coverage in UNSHOWN and "area" in write and coverage.warning:
        warnings.append(coverage.warning)
    outcome = "added" if not before else (
        "changed" if any(after[g] != current[g] for g in write) else "unchanged")
    outcome = _publication(service, link, outcome, coverage, run, warnings)
    _review_date(service, record.review_date)
    suggested = suggest(service, record, run.row.id)
    fields = record_changes(service, before, None, import_id=run.row.id)
    if outcome == "unchanged" and fields:
        outcome = "changed"
    if outcome != "unchanged" and data.get("last_modified"):
        # The source's own date of its last change, as the old importer kept it.
        service.last_modified = column_values(Service, data, ("last_modified",), "")[
            "last_modified"]
    if outcome != "unchanged":
        audit(f"directory.import_{outcome}", "service", sid, actor_id=run.actor_id,
              import_id=run.row.id, fields=fields)
    return EntryOutcome(outcome, service.name or record.key, record.key, sid, details={
        "fields": fields, "kept": kept, "warnings": warnings, "suggested": suggested})


def _not_ours(service: Service, link: ServiceSource | None, record: SourceRecord,
              warnings: list[str]) -> EntryOutcome:
    """An entry with the record's id that this feed does not keep: left exactly as it is."""
    if link is None:
        warnings.append("An entry with this id is kept by editors here, not by this source: "
                        "the record was not applied.")
    else:
        warnings.append(f"This entry is kept in step with another source ({link.label}): "
                        "the record was not applied.")
    return EntryOutcome("unchanged", service.name or record.key, record.key, service.id,
                        details={"warnings": warnings})


def _same_record_as_before(record: SourceRecord, run: _Run, warnings: list[str]
                           ) -> EntryOutcome | None:
    """The monthly re-sync's usual case, without checking the record again: it is byte for
    byte what this feed gave last time and nothing else would change. None otherwise."""
    data = record.data
    if not isinstance(data, dict) or not isinstance(data.get("id"), str):
        return None
    sid = local_id(Service, "service", data["id"]) or data["id"]
    link = db.session.get(ServiceSource, sid)
    if (link is None or sid in run.seen_ids
            or (link.source, link.feed) != (run.feed.source, run.feed.feed[:120])
            or link.source_hashes.get(RECORD) != record_hash(record)):
        return None
    # Only the columns the decision needs: loading the entry itself would load its rows.
    service = db.session.execute(select(
        Service.name, Service.publication_status, Service.last_reviewed).where(
        Service.id == sid)).one_or_none()
    if service is None or not _nothing_new(service, link, None, record, run):
        return None
    run.seen_ids[sid] = run.number
    link.last_import_id = run.row.id
    suggested = (suggest(db.session.get(Service, sid), record, run.row.id)
                 if has_suggestions(record) else [])
    return EntryOutcome("unchanged", service.name or record.key, record.key, sid, details={
        "warnings": warnings, "suggested": suggested})


def _nothing_new(service, link: ServiceSource, incoming: dict | None,
                 record: SourceRecord, run: _Run) -> bool:
    """The source gives exactly what it gave last time, and nothing else would change: the
    monthly re-sync of an unchanged entry, which need not read the entry at all."""
    checked = record.review_date
    same = incoming is None or all(link.source_hashes.get(g) == h for g, h in incoming.items())
    return (same and not link.left_feed
            and not (run.publish and service.publication_status == "draft")
            and (checked is None or checked > date.today()
                 or (service.last_reviewed is not None and checked <= service.last_reviewed)))


def _groups_to_write(link: ServiceSource, incoming: dict, current: dict
                     ) -> tuple[list[str], list[str]]:
    """(groups the source changed and still owns, groups it changed that an editor owns)."""
    write, kept = [], []
    for group in GROUPS:
        if link.source_hashes.get(group) == incoming[group]:
            continue
        written = link.written_hashes.get(group)
        if written is not None and current[group] != written:
            kept.append(group)
        else:
            write.append(group)
    return write, kept


def _link(link: ServiceSource | None, sid: str, record: SourceRecord, run: _Run,
          incoming: dict, after: dict, written: list[str]) -> ServiceSource:
    if link is None:
        link = ServiceSource(service_id=sid, written_hashes={}, source_hashes={})
        db.session.add(link)
    link.source, link.feed, link.record_key = run.feed.source, run.feed.feed[:120], record.key
    link.label, link.attribution = run.feed.label[:120], run.feed.attribution
    # A change an editor's value outranks is told once.
    link.source_hashes = {**incoming, RECORD: record_hash(record)}
    link.written_hashes = {**link.written_hashes, **{g: after[g] for g in written}}
    link.last_import_id = run.row.id
    return link


def _publication(service: Service, link: ServiceSource, outcome: str, coverage: Coverage,
                 run: _Run, warnings: list[str]) -> str:
    """New entries are drafts for an editor unless published at once; an entry back in its
    feed after being archived for leaving it is a draft again."""
    if outcome == "added" or (outcome == "changed" and run.publish
                              and service.publication_status == "draft"):
        ready = run.publish and coverage.coverage not in UNSHOWN
        service.publication_status = "published" if ready else "draft"
        service.needs_editor = not ready
    elif service.publication_status == "archived" and link.left_feed:
        service.publication_status, service.needs_editor = "draft", True
        warnings.append("It is back in the source after leaving it: it is a draft again, for "
                        "an editor to check and publish.")
        outcome = "changed"
    link.left_feed = False
    return outcome


def _review_date(service: Service, checked: date | None) -> None:
    """The source's own check (assured, reviewed, inspected) counts as a review when newer."""
    if checked is None or checked > date.today():
        return
    if service.last_reviewed is None or checked > service.last_reviewed:
        service.last_reviewed = checked
        service.review_due = add_months(checked, review_period())


def _archive_missing(run: _Run) -> list[EntryOutcome]:
    """Archive the feed's entries this file no longer holds (none, for part of a feed)."""
    if not run.feed.complete:
        return []
    gone = db.session.scalars(select(ServiceSource).where(
        ServiceSource.source == run.feed.source, ServiceSource.feed == run.feed.feed[:120],
        ServiceSource.record_key.not_in(run.seen_keys) if run.seen_keys else True)).all()
    archived = []
    for link in gone:
        service = db.session.get(Service, link.service_id)
        if service is None or service.publication_status == "archived":
            continue
        before = snapshot(service)
        service.publication_status, link.left_feed = "archived", True
        link.last_import_id = run.row.id
        fields = record_changes(service, before, None, import_id=run.row.id)
        audit("directory.import_archived", "service", service.id, actor_id=run.actor_id,
              import_id=run.row.id, fields=fields)
        archived.append(EntryOutcome("archived", service.name, link.record_key, service.id,
                                     details={"fields": fields}))
    return archived


def _store(row: DirectoryImport, result: SyncResult) -> None:
    for outcome in ("added", "changed", "unchanged", "archived", "rejected"):
        setattr(row, outcome, result.count(outcome))
    row.duplicates = result.duplicates
    db.session.add_all(DirectoryImportEntry(
        import_id=row.id, outcome=e.outcome, service_id=e.service_id,
        record_key=e.record_key[:200], name=(e.name or "")[:200], details=e.details)
        for e in result.entries)
    db.session.flush()
