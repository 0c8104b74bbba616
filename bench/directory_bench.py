"""How matching time grows with the size of the directory, on PostgreSQL (or SQLite).

Creates a database of its own, fills it with generated services (1,000, then 100,000, with
the same spread), and times the real matching function (mle.directory.matching.match_services)
on a fixed mix of realistic queries: the results page (a module's one to three needs, the
person's locality, age band, carer or not; top 5) and the topic page (one need, everyone's
criteria, top 50), each with and without a postcode. Reports medians per size, the ratio
(100k / 1k; target at most 2), the database's version and the query plans of one query of
each kind.

The spread: 80% of services cover one locality (a tenth two), 15% the whole area, 5% are
national; each carries one to three of the area's needs, the commoner needs more often; most
have a location at a real postcode in their locality (area-wide ones anywhere in the area,
a third of national ones somewhere in Scotland); 10% are stale, 10% have a minimum age, 5% a
maximum age, 5% are for carers only; 7% are drafts or archived and 3% temporarily closed.

    .venv/bin/python bench/directory_bench.py [--url postgresql://postgres@127.0.0.1:5432/postgres]
        [--sqlite] [--sizes 1000 100000] [--repeat 15]

One database per size (bench_directory_1000, bench_directory_100000) is created at the start
and dropped at the end (with --sqlite, one file per size in a temporary directory); the sizes
are timed interleaved, query by query, so that load from elsewhere on a shared machine falls
on both alike.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["MLE_ENV"] = "testing"

DATABASE = "bench_directory"
TODAY = datetime.date(2026, 11, 22)
AGE_BANDS = ("18_24", "25_49", "50_64", "65_74", "75_84", "85_plus")
WORDS = ("Community", "Support", "Carers", "Health", "Advice", "Friends", "Centre", "Network",
         "Care", "Help", "Link", "Hub", "Project", "Group", "Trust", "Action", "Forum", "Club")
TABLES = ("attribute", "service_area", "service_at_location", "location", "service",
          "organization")


def generate(size: int, area, postcodes: dict[str, list[tuple[float, float]]], seed: int):
    """Rows for each table, as lists of tuples, with the spread described above."""
    rng = random.Random(seed)
    needs = list(area.needs)
    weights = [1 / (1 + 0.15 * i) for i in range(len(needs))]
    localities = list(area.localities)
    everywhere = [p for points in postcodes.values() for p in points]
    rows = {table: [] for table in TABLES}
    for n in range(max(1, size // 10)):
        rows["organization"].append((f"bench-org-{n}", f"Organisation {n}", ""))

    def place(service_id, point, jitter=0.002):
        location_id = f"{service_id}-loc{len(rows['location'])}"
        rows["location"].append((location_id, "physical", point[0] + rng.uniform(-jitter, jitter),
                                 point[1] + rng.uniform(-jitter, jitter)))
        rows["service_at_location"].append((f"{location_id}-at", service_id, location_id))

    for n in range(size):
        service_id = f"bench-{n:06d}"
        roll = rng.random()
        coverage = "locality" if roll < 0.80 else "area" if roll < 0.95 else "national"
        publication = rng.choices(("published", "draft", "archived"), (93, 5, 2))[0]
        status = "active" if rng.random() < 0.97 else "temporarily closed"
        due = TODAY + datetime.timedelta(days=rng.randint(-200, -1) if rng.random() < 0.10
                                         else rng.randint(0, 365))
        minimum = rng.choice((16, 18, 50, 60, 65)) if rng.random() < 0.10 else None
        maximum = rng.choice((18, 25, 64)) if rng.random() < 0.05 else None
        name = " ".join(rng.sample(WORDS, 3)) + f" {n}"
        rows["service"].append((service_id, f"bench-org-{n % len(rows['organization'])}", name,
                                "", status, minimum, maximum, publication, coverage,
                                rng.random() < 0.05, due, True))
        for need in set(rng.choices(needs, weights, k=rng.randint(1, 3))):
            rows["attribute"].append((f"{service_id}-{need}", service_id, "service", need))
        if rng.random() < 0.05:
            rows["attribute"].append((f"{service_id}-carers", service_id, "service",
                                      "eligibility-carers"))
        if coverage == "locality":
            served = rng.sample(localities, 2 if rng.random() < 0.1 else 1)
            for locality in served:
                rows["service_area"].append((f"{service_id}-{locality}", service_id, locality))
            if rng.random() < 0.9:
                place(service_id, rng.choice(postcodes[served[0]]))
                if rng.random() < 0.2:
                    place(service_id, rng.choice(postcodes[served[-1]]))
        elif coverage == "area":
            for _ in range(rng.randint(1, 3)):
                place(service_id, rng.choice(everywhere))
        elif rng.random() < 0.33:
            place(service_id, (rng.uniform(55.0, 57.5), rng.uniform(-5.5, -2.0)), jitter=0)
    return rows


COLUMNS = {
    "organization": "id, name, description",
    "service": "id, organization_id, name, description, status, minimum_age, maximum_age, "
               "publication_status, coverage, needs_editor, review_due, reachable",
    "attribute": "id, link_id, link_entity, taxonomy_term_id",
    "service_area": "id, service_id, locality",
    "location": "id, location_type, latitude, longitude",
    "service_at_location": "id, service_id, location_id",
}


def load(engine, rows) -> None:
    """Replace the directory with these rows, by COPY (on SQLite, by plain inserts), and
    refresh the planner's statistics."""
    from mle.directory.match_keys import INSERT_KEYS, INSERT_LOCATIONS
    from mle.directory.search_index import refresh_search_index

    sqlite = engine.dialect.name == "sqlite"
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        # Table and column names below are this module's constants.
        if sqlite:
            for table in TABLES:
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608
        else:
            cursor.execute("TRUNCATE " + ", ".join(TABLES) + " CASCADE")
        for table in reversed(TABLES):
            if sqlite:
                marks = ", ".join("?" * len(COLUMNS[table].split(",")))
                insert = f"INSERT INTO {table} ({COLUMNS[table]}) VALUES ({marks})"  # noqa: S608
                cursor.executemany(insert, rows[table])
                continue
            with cursor.copy(f"COPY {table} ({COLUMNS[table]}) FROM STDIN") as copy:
                for row in rows[table]:
                    copy.write_row(row)
        # Written around the ORM, so the match keys are rebuilt as the migration does.
        cursor.execute(INSERT_KEYS)
        cursor.execute(INSERT_LOCATIONS)
        cursor.close()
        raw.commit()
    finally:
        raw.close()
    with engine.begin() as connection:  # and so are the search documents
        refresh_search_index(connection)
    raw = engine.raw_connection()
    try:
        if sqlite:
            raw.execute("ANALYZE")
            raw.commit()
            return
        raw.driver_connection.autocommit = True
        with raw.cursor() as cursor:
            for table in (*TABLES, "match_key", "match_location", "service_search"):
                cursor.execute(f"VACUUM ANALYZE {table}")
        raw.driver_connection.autocommit = False
    finally:
        raw.close()


def queries(area, postcodes, content, seed: int = 7):
    """(kind, call arguments) for the mix: results-page and topic-page calls, with and
    without a postcode."""
    rng = random.Random(seed)
    module_needs = [sorted({n for outcome in module.rules.outcomes for n in outcome.needs})
                    for module in content.modules.values()]
    module_needs = [needs for needs in module_needs if needs] or [[n] for n in area.needs]
    everyone = ["eligibility-carers"]
    mix = []
    for n in range(24):
        locality = rng.choice(list(area.localities))
        near = rng.choice(postcodes[locality]) if n % 2 else None
        needs = rng.choice(module_needs)
        needs = rng.sample(needs, k=min(len(needs), rng.randint(1, 3)))
        mix.append(("results page" + (", postcode" if near else ""), dict(
            needs=needs, locality=locality, in_area=True,
            age_band=rng.choice(AGE_BANDS), is_carer=rng.random() < 0.3, near=near, limit=5)))
        mix.append(("topic page" + (", postcode" if near else ""), dict(
            needs=[rng.choice(list(area.needs))], locality=locality, in_area=True,
            age_band=None, criteria=everyone, near=near, limit=50)))
    return mix


PLANNED_SEARCH = "carers network"  # the search whose query plans the report shows
SEARCHES = ("carers", "dementia", "dementai", "community support", "advice hub",
            "friends club", "hearing", "money advice", "carers network", "health forum",
            "support", "unknownword")


def search_mix(area, postcodes, seed: int = 11):
    """(kind, arguments) for residents' search (mle/directory/search.py): the words above,
    half with a place (a locality and a postcode's centre), first page of 20."""
    rng = random.Random(seed)
    mix = []
    for n, words in enumerate(SEARCHES):
        locality = rng.choice(list(area.localities))
        near = rng.choice(postcodes[locality]) if n % 2 else None
        mix.append(("search" + (", place" if near else ""), dict(
            words=words, locality=locality if near else None, near=near)))
    return mix


def _call(kind: str, kwargs: dict):
    from mle.directory.browse import visible
    from mle.directory.matching import match_services
    from mle.directory.search import parse_query, search

    if kind.startswith("search"):
        return search(parse_query(kwargs["words"]), visible(), locality=kwargs["locality"],
                      near=kwargs["near"], today=TODAY)
    return match_services(**kwargs, today=TODAY)


def time_mix(apps: dict, mix, repeat: int) -> tuple[dict, dict]:
    """Times every query of the mix at every size, interleaved (query by query, size by
    size), so that load from elsewhere on a shared machine falls on all sizes alike.
    "all" is matching only (the target); searches are reported on their own, and one by one
    with how many services each found ({size: {search: total}})."""
    from mle.database import db

    times: dict[int, dict[str, list[float]]] = {size: {} for size in apps}
    found_by_search: dict[int, dict[str, int]] = {size: {} for size in apps}
    for app in apps.values():  # warm up
        with app.app_context():
            for kind, kwargs in mix:
                _call(kind, kwargs)
    for _ in range(repeat):
        for kind, kwargs in mix:
            for size, app in apps.items():
                with app.app_context():
                    start = time.perf_counter()
                    found = _call(kind, kwargs)
                    elapsed = time.perf_counter() - start
                    assert found or "unknownword" in str(kwargs), f"nothing matched {kwargs}"
                    db.session.rollback()
                keys = (kind, kind.split(",")[0] + " (all)")
                if kind.startswith("search"):
                    one = _one_search(kwargs)
                    keys = (*keys, one)
                    found_by_search[size][one] = found.total
                for key in keys if kind.startswith("search") else (*keys, "all"):
                    times[size].setdefault(key, []).append(elapsed)
    return times, found_by_search


def _one_search(kwargs: dict) -> str:
    return f"\"{kwargs['words']}\"" + (", place" if kwargs["near"] else "")


def plans(app, kind: str, kwargs) -> list[str]:
    """EXPLAIN ANALYZE of every statement one call runs, shortened to its plan nodes (on
    SQLite, EXPLAIN QUERY PLAN)."""
    from sqlalchemy import event, text

    from mle.database import db

    statements = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters))

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", record)
        try:
            _call(kind, kwargs)
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
        db.session.rollback()
        sqlite = db.engine.dialect.name == "sqlite"
        out = []
        raw = db.engine.raw_connection()
        try:
            cursor = raw.cursor()
            for number, (statement, parameters) in enumerate(statements, 1):
                if not statement.lstrip().upper().startswith(("SELECT", "WITH")):
                    cursor.execute(statement, parameters)  # a setting: apply it too
                    out.append(f"statement {number}: {statement}")
                    continue
                out.append(f"statement {number}:")
                if sqlite:
                    cursor.execute("EXPLAIN QUERY PLAN " + statement, parameters)
                    out += ["    " + row[-1] for row in cursor.fetchall()][:14]
                    continue
                cursor.execute("EXPLAIN (ANALYZE, COSTS OFF) " + statement, parameters)
                lines = [r[0] for r in cursor.fetchall()]
                out += ["    " + line for line in lines if "->" in line or "Limit" in line
                        or "Execution" in line][:14]
            cursor.close()
            raw.rollback()
        finally:
            raw.close()
        db.session.execute(text("select 1"))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=os.environ.get(
        "BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
        help="a PostgreSQL server to create the bench database on")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 100_000])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument("--no-search", action="store_true",
                        help="time matching only, not residents' search")
    parser.add_argument("--sqlite", action="store_true",
                        help="on SQLite files in a temporary directory, not PostgreSQL")
    args = parser.parse_args()

    from flask_migrate import upgrade
    from sqlalchemy import text

    from mle import create_app
    from mle.database import db
    from mle.directory.geography import load_postcodes
    from mle.directory.taxonomy import sync_taxonomies
    from mle.models import Postcode
    from mle.site import site

    databases = SQLiteFiles(args.sizes) if args.sqlite else PostgreSQLDatabases(
        args.url, args.sizes)
    results, apps = {}, {}
    try:
        for size, url in databases.urls.items():
            started = time.perf_counter()
            app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
            with app.app_context():
                upgrade()
                area, content = site().area, site().content
                load_postcodes(area)
                sync_taxonomies({need.id: need.label for need in area.needs.values()})
                db.session.commit()
                postcodes: dict[str, list[tuple[float, float]]] = {}
                for locality, latitude, longitude in db.session.execute(
                        db.select(Postcode.locality, Postcode.latitude, Postcode.longitude)):
                    postcodes.setdefault(locality, []).append((latitude, longitude))
                version = ("SQLite " + db.session.scalar(text("select sqlite_version()"))
                           if args.sqlite else "PostgreSQL "
                           + db.session.scalar(text("show server_version")))
                rows = generate(size, area, postcodes, seed=size)
                load(db.engine, rows)
            apps[size] = app
            results[size] = {"loaded": time.perf_counter() - started,
                             "counts": {t: len(r) for t, r in rows.items()}}
            print(f"{size}: loaded in {results[size]['loaded']:.0f} s", flush=True)
        mix = queries(area, postcodes, content)
        times, found_by_search = time_mix(
            apps, mix + ([] if args.no_search else search_mix(area, postcodes)), args.repeat)
        sample = next(k for kind, k in mix if kind == "results page, postcode")
        searched = next(k for kind, k in search_mix(area, postcodes)
                        if k["words"] == PLANNED_SEARCH)
        for size, app in apps.items():
            results[size].update(times=times[size], found=found_by_search[size],
                                 plans=plans(app, "results", sample),
                                 plans_topic=plans(app, "topic", mix[1][1]))
            if not args.no_search:
                results[size]["plans_search"] = plans(app, "search", searched)
            with app.app_context():
                db.engine.dispose()
    finally:
        databases.drop()
    write_report(args, results, version)


class PostgreSQLDatabases:
    """One database per size on the server, made afresh and dropped after."""

    def __init__(self, url: str, sizes) -> None:
        import psycopg

        self.admin = url.replace("postgresql+psycopg://", "postgresql://", 1)
        self.urls = {size: self.admin.rsplit("/", 1)[0] + f"/{DATABASE}_{size}"
                     for size in sizes}
        with psycopg.connect(self.admin, autocommit=True) as connection:
            for size in sizes:
                connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE}_{size}" WITH (FORCE)')
                connection.execute(f'CREATE DATABASE "{DATABASE}_{size}"')
        self.sizes = sizes

    def drop(self) -> None:
        import psycopg

        with psycopg.connect(self.admin, autocommit=True) as connection:
            for size in self.sizes:
                connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE}_{size}" WITH (FORCE)')


class SQLiteFiles:
    """One SQLite file per size in a temporary directory, removed after."""

    def __init__(self, sizes) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="bench-directory-"))
        self.urls = {size: f"sqlite:///{self.directory / f'{DATABASE}_{size}.db'}"
                     for size in sizes}

    def drop(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)


def write_report(args, results, version) -> None:
    sizes = sorted(results)
    order = ["all", "results page (all)", "results page", "results page, postcode",
             "topic page (all)", "topic page", "topic page, postcode", "search (all)", "search",
             "search, place"]
    kinds = [k for k in order if all(k in results[s]["times"] for s in results)]
    small, large = sizes[0], sizes[-1]

    def median_ms(size, kind):
        return statistics.median(results[size]["times"][kind]) * 1e3

    now = datetime.datetime.now(datetime.UTC)
    lines = [
        f"# Directory matching benchmark, {now:%Y-%m-%d %H:%M} UTC",
        "",
        f"- Command: `.venv/bin/python bench/directory_bench.py --sizes "
        f"{' '.join(map(str, sizes))} --repeat {args.repeat}"
        f"{' --sqlite' if args.sqlite else ''}`",
        f"- Machine: {platform.machine()}, {os.cpu_count()} cores (shared), Python "
        f"{platform.python_version()}, {platform.platform()}",
        f"- {version}",
        f"- Commit: {_commit()}",
        "- Each size: the same 48 queries (24 results-page calls, top 5; 24 topic-page calls, "
        f"top 50; half with a postcode), each timed {args.repeat} times after one warm-up, "
        "the sizes interleaved query by query. Residents' search (12 queries, first page of 20, "
        "half with a place) is timed in the same way and reported apart from the target.",
        "",
        "| query kind | " + " | ".join(f"{s:,} services" for s in sizes)
        + f" | ratio {large:,} / {small:,} |",
        "|---|" + "---|" * len(sizes) + "---|",
    ]
    for kind in kinds:
        figures = " | ".join(f"{median_ms(s, kind):.2f} ms" for s in sizes)
        ratio = median_ms(large, kind) / median_ms(small, kind)
        label = "**all (the target)**" if kind == "all" else kind
        lines.append(f"| {label} | {figures} | {ratio:.2f} |")
    ratio = median_ms(large, "all") / median_ms(small, "all")
    lines += ["", f"- Ratio of medians, all queries: **{ratio:.2f}** (target at most 2: "
              f"{'met' if ratio <= 2 else 'NOT met'})"]
    if "search (all)" in kinds:
        ratio = median_ms(large, "search (all)") / median_ms(small, "search (all)")
        lines.append(f"- Ratio of medians, residents' search: **{ratio:.2f}** (bound 2: "
                     f"{'met' if ratio <= 2 else 'NOT met'})")
    searches = list(results[large].get("found", {}))
    if searches:
        lines += ["", "Residents' search, one by one (medians; how many services each found):",
                  "", "| search | " + " | ".join(f"{s:,} services" for s in sizes)
                  + " | ratio |", "|---|" + "---|" * len(sizes) + "---|"]
        for one in searches:
            figures = " | ".join(f"{median_ms(s, one):.2f} ms ({results[s]['found'][one]:,})"
                                 for s in sizes)
            lines.append(f"| {one} | {figures} | "
                         f"{median_ms(large, one) / median_ms(small, one):.2f} |")
    lines.append("")
    for size in sizes:
        counts = results[size]["counts"]
        lines.append(f"- {size:,} services: " + ", ".join(f"{n:,} {t}" for t, n in counts.items())
                     + f"; generated and loaded in {results[size]['loaded']:.0f} s")
    for size in sizes:
        lines += ["", f"## Query plans, {size:,} services, a results-page call with a postcode",
                  "", "```", *results[size]["plans"], "```",
                  "", f"## Query plans, {size:,} services, a topic-page call", "", "```",
                  *results[size]["plans_topic"], "```"]
        if "plans_search" in results[size]:
            lines += ["", f"## Query plans, {size:,} services, a search for "
                      f"\"{PLANNED_SEARCH}\"", "", "```", *results[size]["plans_search"], "```"]
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"directory_bench{'_sqlite' if args.sqlite else ''}_{now:%Y-%m-%dT%H%M}.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines[:40]))
    print(f"written to {path}")


def _commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                              capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


if __name__ == "__main__":
    main()
