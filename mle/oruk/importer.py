"""Import services from an Open Referral UK feed (flask mle import-oruk).

Each record is read into ORUK 3.0 shape and checked (feed.py), then upserted by id inside its
own savepoint (upsert.py), so a record is imported whole or not at all. A record the import
would not change is counted as unchanged and left alone, so importing the same file twice
changes nothing. New and changed services land as drafts flagged for an editor unless
`publish` is set. The run commits once, when at least one record is valid.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mle.database import db
from mle.oruk.feed import is_v1, read_records, validate
from mle.oruk.import_result import ImportFailed, ImportReport, RecordInvalid
from mle.oruk.record_rows import ImportRun
from mle.oruk.upsert import upsert_service
from mle.vocabulary import COVERAGES


def _record_id(record: Any, number: int) -> str:
    if isinstance(record, dict) and isinstance(record.get("id"), str) and record["id"]:
        return record["id"][:80]
    return f"record {number}"


def import_records(records: list, *, publish: bool = False, coverage: str = "area"
                   ) -> ImportReport:
    """Validate and upsert every record; commit if any is valid, else change nothing."""
    if coverage not in COVERAGES:
        raise ImportFailed(f"coverage must be one of {', '.join(COVERAGES)}")
    report = ImportReport()
    run = ImportRun(publish, coverage)
    versions = {"v1": 0, "3.0": 0}
    for number, record in enumerate(records, start=1):
        record_id = _record_id(record, number)
        shared_before = set(run.shared_done)
        versions["v1" if isinstance(record, dict) and is_v1(record) else "3.0"] += 1
        try:
            shaped = validate(record)
            if shaped["id"] in run.seen_services:
                raise RecordInvalid(f"id: the same id as record {run.seen_services[shaped['id']]}"
                                    " in this file, which was imported")
            run.seen_services[shaped["id"]] = number
            savepoint = db.session.begin_nested()
            try:
                outcome = upsert_service(shaped, run)
            except BaseException:
                savepoint.rollback()
                raise
            if outcome == "unchanged":
                savepoint.rollback()  # leave even our own columns exactly as they were
            else:
                savepoint.commit()
        except Exception as error:  # noqa: BLE001 - the savepoint has undone the record
            if isinstance(record, dict) and run.seen_services.get(record.get("id")) == number:
                del run.seen_services[record["id"]]
            run.shared_done = shared_before
            reason = (str(error) if isinstance(error, RecordInvalid)
                      else f"could not be stored: {type(error).__name__}")
            report.rejected.append((record_id, reason))
            continue
        setattr(report, outcome, getattr(report, outcome) + 1)
    report.feed_format = " and ".join(f"{n} ORUK {v}" for v, n in versions.items() if n)
    if not records:
        db.session.rollback()
        raise ImportFailed("the file holds no records")
    if report.imported + report.updated + report.unchanged == 0:
        db.session.rollback()
        raise ImportFailed(f"all {len(records)} records are invalid; nothing was imported",
                           ) from None
    db.session.commit()
    return report


def import_file(path: Path, *, publish: bool = False, coverage: str = "area") -> ImportReport:
    return import_records(read_records(path), publish=publish, coverage=coverage)
