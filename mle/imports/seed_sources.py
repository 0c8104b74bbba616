"""The seed directory's share of the real sources: the latest Care Inspectorate register file
in directory/sources/ (adult services of the area, with their phones, addresses and grades),
taken in published, with the needs its mapping table gives confirmed. The mapping is area data
the partnership's editors keep, so its suggestions are theirs."""

from __future__ import annotations

from pathlib import Path

from mle.imports.care_inspectorate import read_register
from mle.imports.review import confirm_suggestions, find_run, pending_suggestions
from mle.imports.sync import SyncResult, sync

REGISTER_FILES = "care_inspectorate_datastore_*.csv"


def load_seed_sources(directory: Path) -> list[SyncResult]:
    """Take in the newest register file, if there is one; safe to run again (a second run
    changes nothing, and never an editor's work)."""
    results = []
    for path in sorted((Path(directory) / "sources").glob(REGISTER_FILES))[-1:]:
        result = sync(read_register(path), publish=True)
        run = find_run(result.import_id)
        ids = [s.id for item in pending_suggestions(run) for s, _ in item.suggestions]
        if ids:
            confirm_suggestions(run, ids, None)
        results.append(result)
    return results
