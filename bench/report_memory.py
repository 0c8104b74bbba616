"""Memory a worker holds for the reports' protected year, and its peak while it builds the year
again after the figures change: the reports page is the one page whose memory the soak saw grow.

    .venv/bin/python bench/report_memory.py [--records 3000] [--rounds 20]
        [--database-url postgresql://postgres@127.0.0.1:5432/bench_report_memory]

In a PostgreSQL database of its own (created at the start, dropped at the end): migrations, the
seed and --records outcome records of the financial year so far (bench/load/prefill_outcomes.py,
as the soak starts from). Then, in this process, with tracemalloc: the reports' publication for
the year (as the dashboard builds it), and --rounds times one rollup count raised by one (as a
new outcome does) and the publication built again. For each build: the Python memory held
afterwards (the year in the worker's cache) and the peak while building, both above what was
allocated before the first build; and the resident set size. Writes
bench/results/report_memory_<time>.md.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import subprocess
import sys
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench" / "load"))

from results_file import write_results  # noqa: E402

MB = 2**20


def prepare(url: str, records: int) -> None:
    env = {**os.environ, "DATABASE_URL": url, "MLE_ENV": "development"}
    flask = [str(ROOT / ".venv" / "bin" / "flask"), "--app", "wsgi"]
    for command in (["db", "upgrade"], ["mle", "seed"]):
        subprocess.run([*flask, *command], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run([sys.executable, str(ROOT / "bench" / "load" / "prefill_outcomes.py"),
                    str(records)], cwd=ROOT, env=env, check=True, capture_output=True)


def measure(url: str, rounds: int) -> list[dict]:
    os.environ.update(DATABASE_URL=url, MLE_ENV="development")
    from sqlalchemy import text

    from mle import create_app
    from mle.database import db
    from mle.reporting.area_reports import area_publication as _publication
    from mle.reporting.area_reports import national_outcomes
    from mle.reporting.periods import financial_year_of, parse_period
    from mle.site import site

    app = create_app()
    app.config["MLE_REPORTS_MAX_AGE_SECONDS"] = 0
    process = psutil.Process()
    this_month = datetime.now(UTC).strftime("%Y-%m")
    year = parse_period(financial_year_of(this_month))
    builds = []
    with app.test_request_context():
        site(), national_outcomes()  # content and settings load once, before measuring
        gc.collect()
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        for round_ in range(rounds + 1):
            if round_:
                db.session.execute(text(
                    "UPDATE outcome_rollup SET assessments = assessments + 1 WHERE id = "
                    "(SELECT min(id) FROM outcome_rollup WHERE period = :month)"),
                    {"month": this_month})
                db.session.commit()
            tracemalloc.reset_peak()
            started = time.perf_counter()
            pub = _publication(year)
            seconds = time.perf_counter() - started
            peak = tracemalloc.get_traced_memory()[1]
            del pub
            gc.collect()
            held = tracemalloc.get_traced_memory()[0]
            builds.append({"held": (held - before) / MB, "peak": (peak - before) / MB,
                           "seconds": seconds, "rss": process.memory_info().rss / MB})
        tracemalloc.stop()
    return builds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--database-url",
                        default="postgresql://postgres@127.0.0.1:5432/bench_report_memory")
    args = parser.parse_args()

    import psycopg

    base, name = args.database_url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        prepare(args.database_url, args.records)
        builds = measure(args.database_url, args.rounds)
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    again = builds[1:]
    revision = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                              capture_output=True, text=True).stdout.strip()
    lines = [
        f"# Reports' protected year in memory ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC)", "",
        f"Command: `.venv/bin/python bench/report_memory.py --records {args.records} "
        f"--rounds {args.rounds}`; code at {revision}; PostgreSQL; Python "
        f"{sys.version.split()[0]}.", "",
        "Python memory (tracemalloc) above what was allocated before the first build.", "",
        "| | held after (MB) | peak while building (MB) | seconds |",
        "|---|---|---|---|",
        f"| first build | {builds[0]['held']:.2f} | {builds[0]['peak']:.2f} | "
        f"{builds[0]['seconds']:.2f} |",
        f"| built again after a change, median of {len(again)} | "
        f"{statistics.median(b['held'] for b in again):.2f} | "
        f"{statistics.median(b['peak'] for b in again):.2f} | "
        f"{statistics.median(b['seconds'] for b in again):.2f} |",
        f"| built again, highest | {max(b['held'] for b in again):.2f} | "
        f"{max(b['peak'] for b in again):.2f} | {max(b['seconds'] for b in again):.2f} |", "",
        f"Resident set size: {builds[0]['rss']:.1f} MB after the first build, "
        f"{builds[len(builds) // 2]['rss']:.1f} MB halfway, {builds[-1]['rss']:.1f} MB after "
        f"the last.", "",
        "Held after each build (MB): " + ", ".join(f"{b['held']:.2f}" for b in builds), "",
    ]
    write_results("report_memory", lines)


if __name__ == "__main__":
    main()
