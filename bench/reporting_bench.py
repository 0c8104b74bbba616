"""How long the release command and the manager's dashboard take, with 10,000 and with
1,000,000 outcome records.

On PostgreSQL, in a database of its own (created at the start, dropped at the end):
  1. generates 10,000 outcome records spread over one financial year, writes them (and their
     module rows) with COPY, and writes the rollups they add up to;
  2. opens the dashboard before anything is released: the page only reads, so it is quick,
     releases nothing (checked) and says which months are due;
  3. times `flask mle release-reports` (the nightly job, through the CLI runner): a first run
     that releases every month that is due, the whole financial year with its quarters and
     the year, as a new installation's first night does;
  4. times the dashboard page for that financial year (signed in as a manager, through the
     Flask test client with the real templates): the median of --repeat requests, each
     reading the stored release;
  5. deletes the releases and releases the year again one night at a time, as the nightly
     timer does (each month on its release day: a month alone, with its quarter at the end of
     a quarter, with its quarter and the year in March), timing each night;
  6. adds records up to 1,000,000, rolls up again, deletes the releases and does 2 to 5 again.
Pages read only the stored releases, so the target for them is a ratio (1M / 10k) of at most
2; the release reads only the rollups, so its time follows the number of figures and how many
are small, not the number of records.

    .venv/bin/python bench/reporting_bench.py [--small 10000] [--large 1000000] [--repeat 15]
        [--database-url postgresql://postgres@127.0.0.1:5432/bench_reporting]

Writes bench/results/reporting_bench_<timestamp>.md.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["MLE_ENV"] = "testing"

FINANCIAL_YEAR = "FY2025"
MONTHS = [f"2025-{m:02d}" for m in range(4, 13)] + [f"2026-{m:02d}" for m in range(1, 4)]
LOCALITIES = ["airdrie", "bellshill", "coatbridge", "motherwell", "north", "wishaw", None]
AGE_BANDS = ["18_24", "25_49", "50_64", "65_74", "75_84", "85_plus", None]
CHANNELS = ["self", "self", "self", "on_behalf", "assisted"]
MODULES = ["bathing", "memory", "carer", "falls", "money", "wellbeing", "kitchen", "toilet"]
LEVELS = ["advice", "equipment", "signposting", "referral", "urgent"]
EQUIPMENT = ["bath-board", "bath-seat", "grab-rail", "long-handled-sponge", "tap-turners"]
NEEDS = ["carer-support", "home-adaptations", "bathing-equipment", "occupational-therapy"]
SERVICES = [f"service-{i}" for i in range(40)]
STATUSES = ["new", "accepted", "in_progress", "closed", "declined"]


def generate(count: int, start: int, rng: random.Random):
    """Records as plain objects with the attributes the rollups read."""
    for serial in range(start, start + count):
        modules = [SimpleNamespace(module=m, level=rng.choice(LEVELS))
                   for m in rng.sample(MODULES, rng.randint(1, 3))]
        referral = rng.random() < 0.25
        status = rng.choice(STATUSES) if referral else None
        equipment = rng.sample(EQUIPMENT, rng.randint(0, 2))
        helpful = rng.choice(["yes", "partly", "no", None, None])
        yield SimpleNamespace(
            id=serial, assessment_ref=f"bench-{serial}", period=rng.choice(MONTHS),
            channel=rng.choice(CHANNELS), locality=rng.choice(LOCALITIES),
            simd_quintile=rng.choice([1, 2, 3, 4, 5, None]), age_band=rng.choice(AGE_BANDS),
            answering_for="self", content_version="bench", rule_ids=[],
            services=rng.sample(SERVICES, rng.randint(0, 3)), equipment=equipment,
            urgent=False, referral_offered=referral, referral_made=referral,
            feedback_helpful=helpful,
            feedback_next=rng.sample(["try_advice", "not_sure"], 1) if helpful else None,
            equipment_requested=equipment[:1] if equipment and rng.random() < 0.3 else [],
            unmet_needs=rng.sample(NEEDS, rng.randint(0, 1)), referral_status=status,
            referral_accepted=status in ("accepted", "in_progress", "closed"),
            first_action_days=rng.randint(0, 15) if status and status != "new" else None,
            modules=modules)


def _json(value) -> str:
    import json

    return json.dumps(value) if value is not None else None


def write_records(connection, records, rollup: dict, tally: Counter) -> None:
    """COPY records and module rows, and add each record's contributions to the totals."""
    from mle.reporting.rollups import contributions

    record_columns = ("id", "assessment_ref", "period", "channel", "locality", "simd_quintile",
                      "age_band", "answering_for", "content_version", "rule_ids", "services",
                      "equipment", "urgent", "referral_offered", "referral_made",
                      "feedback_helpful", "feedback_next", "equipment_requested",
                      "unmet_needs", "referral_status", "referral_accepted",
                      "first_action_days")
    json_columns = {"rule_ids", "services", "equipment", "feedback_next",
                    "equipment_requested", "unmet_needs"}
    module_rows = []
    with connection.cursor() as cursor:
        with cursor.copy(f"COPY outcome_record ({', '.join(record_columns)}) FROM STDIN") as copy:
            for record in records:
                copy.write_row([_json(getattr(record, c)) if c in json_columns
                                else getattr(record, c) for c in record_columns])
                module_rows += [(record.id, m.module, m.level) for m in record.modules]
                record_rollup, record_tally = contributions(record)
                for key, measures in record_rollup.items():
                    rollup.setdefault(key, Counter()).update(measures)
                tally.update(record_tally)
        with cursor.copy("COPY outcome_module (record_id, module, level) FROM STDIN") as copy:
            for row in module_rows:
                copy.write_row(row)
    connection.commit()


def write_rollups(connection, rollup: dict, tally: Counter) -> int:
    from mle.models.rollup import DIMENSIONS, MEASURES

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM outcome_rollup")
        cursor.execute("DELETE FROM outcome_tally")
        with cursor.copy(f"COPY outcome_rollup ({', '.join(DIMENSIONS + MEASURES)}) "
                         "FROM STDIN") as copy:
            for key, measures in rollup.items():
                copy.write_row([*key, *[measures.get(m, 0) for m in MEASURES]])
        with cursor.copy("COPY outcome_tally (period, locality, kind, key, count) "
                         "FROM STDIN") as copy:
            for key, count in tally.items():
                copy.write_row([*key, count])
        cursor.execute("ANALYZE")
    connection.commit()
    return len(rollup) + len(tally)


def released_rows(app) -> int:
    from sqlalchemy import func, select

    from mle.database import db
    from mle.models import ReleasedPeriod

    with app.app_context():
        return db.session.scalar(select(func.count(ReleasedPeriod.id)))


def unreleased(app) -> None:
    """Delete every release, as on a new installation (the rollups stay)."""
    from mle.database import db
    from mle.models import ReleasedPeriod, ReportRelease

    with app.app_context():
        db.session.query(ReleasedPeriod).delete()
        db.session.query(ReportRelease).delete()
        db.session.commit()


def time_page_before_release(app, client) -> float:
    """The dashboard while every month is due and none released: it only reads, releases
    nothing and says what is due."""
    started = time.perf_counter()
    page = client.get("/staff/reports/")
    seconds = time.perf_counter() - started
    assert released_rows(app) == 0, "a page released something"
    assert page.soup.select_one("#due"), "the page does not say which months are due"
    return seconds


def time_release(app) -> tuple[float, str]:
    """`flask mle release-reports`, run once: the seconds it took and what it released."""
    from mle.cli import mle_cli

    started = time.perf_counter()
    result = app.test_cli_runner().invoke(mle_cli, ["release-reports"])
    seconds = time.perf_counter() - started
    assert result.exit_code == 0, result.output
    return seconds, result.output.strip()


def time_nights(app) -> dict[str, float]:
    """Release the year month by month, each on its own release day: seconds per month."""
    from mle.reporting.area_reports import _groups, national_outcomes
    from mle.reporting.releases import release_date, release_due
    from mle.site import site

    unreleased(app)
    nights = {}
    with app.test_request_context():
        day = app.config["MLE_REPORT_RELEASE_DAY"]
        for month in MONTHS:
            started = time.perf_counter()
            done = release_due(tuple(site().area.localities), _groups(), national_outcomes(),
                               today=release_date(month, day))
            nights[month] = time.perf_counter() - started
            assert done == [month], done
    return nights


def time_dashboard(client, repeat: int) -> tuple[float, str]:
    """The median of `repeat` requests for the year's dashboard, reading its release."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        page = client.get(f"/staff/reports/?period={FINANCIAL_YEAR}")
        times.append(time.perf_counter() - started)
    funnel = " ".join(page.soup.select_one("#table-funnel").get_text(" ").split())
    return statistics.median(times), funnel


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--database-url",
                        default="postgresql://postgres@127.0.0.1:5432/bench_reporting")
    args = parser.parse_args()

    import psycopg

    base, name = args.database_url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        figures = run(args, args.database_url)
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    write_results(args, figures)


def run(args, url: str) -> dict:
    import psycopg
    from flask_migrate import upgrade

    from mle import create_app
    from tests.pages import CheckedClient
    from tests.staff import make_staff, sign_in

    app = create_app({"SQLALCHEMY_DATABASE_URI": url.replace(
        "postgresql://", "postgresql+psycopg://", 1), "TESTING": True})
    with app.app_context():
        upgrade()
    client = CheckedClient(app.test_client())
    sign_in(client, app, make_staff(app, ["manager"]))
    rng = random.Random(20251)
    rollup: dict = {}
    tally: Counter = Counter()
    figures = {}
    with psycopg.connect(url) as connection:
        written = 0
        for size in (args.small, args.large):
            started = time.perf_counter()
            for start in range(written, size, 100_000):
                batch = generate(min(100_000, size - start), start + 1, rng)
                write_records(connection, batch, rollup, tally)
            written = size
            rows = write_rollups(connection, rollup, tally)
            load_seconds = time.perf_counter() - started
            unreleased(app)
            before = time_page_before_release(app, client)
            release, output = time_release(app)
            periods = released_rows(app)
            median, funnel = time_dashboard(client, args.repeat)
            figures[size] = {"median": median, "before": before, "release": release,
                             "released": output, "periods": periods, "rollup_rows": rows,
                             "load": load_seconds, "funnel": funnel, "nights": time_nights(app)}
            print(f"{size:>9,} records: release {release:.1f} s ({output}), dashboard "
                  f"median {median * 1000:.0f} ms, before release {before * 1000:.0f} ms, "
                  f"{rows:,} rollup and tally rows, written in {load_seconds:.0f} s")
    return figures


def write_results(args, figures: dict) -> None:
    small, large = figures[args.small], figures[args.large]
    ratio = large["median"] / small["median"]
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True, cwd=ROOT).stdout.strip()
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H%M")
    lines = [
        f"# Reporting benchmark, {stamp} UTC", "",
        f"- command: `.venv/bin/python bench/reporting_bench.py --small {args.small} "
        f"--large {args.large} --repeat {args.repeat}`",
        f"- commit: {commit}",
        f"- machine: {platform.machine()}, {os.cpu_count()} CPUs (shared), Python "
        f"{platform.python_version()}, PostgreSQL on loopback", "",
        "Release: `flask mle release-reports` (the nightly job, run through the CLI runner) "
        "on a database with no release yet, so it releases every month that is due: the "
        f"records' financial year {FINANCIAL_YEAR} (12 months, 4 quarters and the year) and "
        "the months after it up to the last month whose release day has come. Pages: the "
        "dashboard for the year, signed in as a manager; before release: the first request "
        "while everything is due (it releases nothing, checked, and says what is due); "
        f"median: of {args.repeat} requests after the release, each reading the stored "
        "release.", "",
        "| outcome records | release command | periods released | page before release | "
        "dashboard median | rollup + tally rows | records and rollups written in |",
        "|---|---|---|---|---|---|---|",
    ]
    for size in (args.small, args.large):
        f = figures[size]
        lines.append(f"| {size:,} | {f['release']:.1f} s | {f['periods']} | "
                     f"{f['before'] * 1000:.0f} ms | {f['median'] * 1000:.0f} ms "
                     f"| {f['rollup_rows']:,} | {f['load']:.0f} s |")
    quarter_ends = [m for m in MONTHS if int(m[5:]) in (6, 9, 12)]
    lines += ["", "Nightly releases, one night at a time over the year (seconds): a month "
              "alone (median of the 8), a month that ends a quarter (the slowest of June, "
              "September and December), and March (its quarter and the year):", "",
              "| outcome records | a month | a quarter's last month | March |",
              "|---|---|---|---|"]
    for size in (args.small, args.large):
        nights = figures[size]["nights"]
        alone = [v for m, v in nights.items() if m not in quarter_ends and m != MONTHS[-1]]
        lines.append(f"| {size:,} | {statistics.median(alone):.2f} s | "
                     f"{max(nights[m] for m in quarter_ends):.2f} s | "
                     f"{nights[MONTHS[-1]]:.2f} s |")
    lines += ["", f"Dashboard ratio (large / small), median: **{ratio:.2f}** (target at most "
              f"2: {'met' if ratio <= 2 else 'NOT met'}).", "",
              f"Release command output, {args.large:,} records: `{large['released']}`", "",
              f"Funnel shown with {args.large:,} records: {large['funnel']}", ""]
    out = ROOT / "bench" / "results" / f"reporting_bench_{stamp}.md"
    out.write_text("\n".join(lines))
    print(f"ratio {ratio:.2f}; results in {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
