"""How long taking in a source's file takes: a first import, and a re-sync of the same file
(every record unchanged, the monthly case), per 1,000 records.

Runs on a database of its own (PostgreSQL by default, created and dropped here; SQLite with
--url sqlite:///...), migrated and seeded as a deployment is, with the real feeds: Bristol
City Council's Open Referral UK feed (819 records, tests/fixtures/oruk) and the Care
Inspectorate register for North Lanarkshire (directory/sources). Each file is taken in once,
then re-synced --repeat times; medians are reported.

    .venv/bin/python bench/import_bench.py [--url postgresql://postgres@127.0.0.1:5432/postgres]
        [--repeat 5]

Results go to bench/results/import_bench_<time>.md.
"""

from __future__ import annotations

import argparse
import datetime
import functools
import gzip
import os
import platform
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["MLE_ENV"] = "testing"

BRISTOL = (ROOT / "tests" / "fixtures" / "oruk"
           / "bristol_council_oruk_v2_services_2024-12-18.json.gz")
REGISTERS = "care_inspectorate_datastore_*.csv"


def _database(url: str):
    """(the URL of a fresh database, a function that drops it)."""
    if url.startswith("sqlite"):
        folder = tempfile.mkdtemp()
        return f"sqlite:///{folder}/bench-import.db", lambda: None
    import psycopg

    name = f"bench_import_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return url.rsplit("/", 1)[0] + "/" + name, drop


def _timed(action) -> tuple[float, object]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    url, drop = _database(options.url)
    try:
        rows = run(url, options.repeat)
    finally:
        drop()
    engine = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    lines = [f"# Import benchmark, {datetime.datetime.now():%Y-%m-%d %H:%M}", "",
             f"`.venv/bin/python bench/import_bench.py --repeat {options.repeat}` on {engine}, "
             f"{platform.node()} ({os.cpu_count()} cores, shared), Python "
             f"{platform.python_version()}.", "",
             "| File | Records | First import (s) | Per 1,000 (s) | Re-sync, unchanged: median (s) "
             "| Per 1,000 (s) | Re-sync runs (s) |", "|---|---:|---:|---:|---:|---:|---|"]
    for name, count, first, again in rows:
        median = statistics.median(again)
        lines.append(f"| {name} | {count} | {first:.1f} | {first / count * 1000:.1f} | "
                     f"{median:.1f} | {median / count * 1000:.1f} | "
                     f"{', '.join(f'{t:.1f}' for t in again)} |")
    text = "\n".join(lines) + "\n"
    print(text)
    out = ROOT / "bench" / "results" / f"import_bench_{datetime.datetime.now():%Y-%m-%dT%H%M}.md"
    out.write_text(text)
    print(f"written to {out.relative_to(ROOT)}")


def _take_in(sync, read_source, source: str, path: Path):
    return sync(read_source(source, path))


def run(url: str, repeat: int) -> list[tuple[str, int, float, list[float]]]:
    from flask_migrate import upgrade

    from mle import create_app
    from mle.directory.geography import load_postcodes
    from mle.directory.seed import load_seed_services
    from mle.imports.readers import read_source
    from mle.imports.sync import sync
    from mle.site import site

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    folder = Path(tempfile.mkdtemp())
    bristol = folder / "bristol.json"
    with gzip.open(BRISTOL) as feed:
        bristol.write_bytes(feed.read())
    register = sorted((ROOT / "directory" / "sources").glob(REGISTERS))[-1]
    rows = []
    with app.app_context():
        upgrade()
        load_postcodes(site().area)
        load_seed_services(ROOT / "directory" / "seed" / "services.yaml")
        for source, path, name in (("oruk", bristol, "Bristol ORUK feed"),
                                   ("care-inspectorate", register, "Care Inspectorate register")):
            take_in = functools.partial(_take_in, sync, read_source, source, path)
            first, result = _timed(take_in)
            count = len(result.entries)
            again = []
            for _ in range(repeat):
                seconds, later = _timed(take_in)
                assert later.count("changed") == later.count("added") == 0, "not unchanged"
                again.append(seconds)
            rows.append((name, count, first, again))
    return rows


if __name__ == "__main__":
    main()
