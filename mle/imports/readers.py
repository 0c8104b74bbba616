"""Reading a file from any of the sources, by the source's name."""

from __future__ import annotations

from pathlib import Path

from mle.imports.aliss import read_aliss
from mle.imports.care_inspectorate import read_register
from mle.imports.oruk_feed import read_oruk
from mle.imports.records import SourceFeed
from mle.site import site


def read_source(source: str, path: Path, feed: str | None = None) -> SourceFeed:
    """The file as a SourceFeed; ImportFailed (nothing changed) when it cannot be read."""
    if source == "care-inspectorate":
        return read_register(Path(path))
    if source == "aliss":
        return read_aliss(Path(path))
    if source == "oruk":
        return read_oruk(Path(path), site().area.needs, feed)
    raise ValueError(f"not a source: {source!r}")
