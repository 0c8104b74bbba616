"""The judged directory for bench/search_quality.py: the seed directory (with the Care
Inspectorate register's services) and the real Bristol ORUK feed, published, in a database of
its own (a SQLite file, or a database made on a PostgreSQL server and dropped after)."""

from __future__ import annotations

import gzip
import os
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from click.testing import CliRunner
from flask.cli import ScriptInfo

os.environ.setdefault("MLE_ENV", "testing")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BRISTOL = (ROOT / "tests" / "fixtures" / "oruk"
           / "bristol_council_oruk_v2_services_2024-12-18.json.gz")


def judged_app(workdir: Path | None = None, database_url: str | None = None):
    """A Flask app on a fresh database holding the judged directory: a SQLite file in
    workdir, or database_url (an empty database) when given."""
    from flask_migrate import upgrade

    from mle import create_app
    from mle.cli import mle_cli
    from mle.directory.geography import load_postcodes
    from mle.directory.seed import load_seed_services
    from mle.imports.seed_sources import load_seed_sources
    from mle.site import site

    workdir = workdir or Path(tempfile.mkdtemp(prefix="mle-search-"))
    app = create_app({"SQLALCHEMY_DATABASE_URI":
                      database_url or f"sqlite:///{workdir / 'judged.db'}",
                      "TESTING": True, "WTF_CSRF_ENABLED": True})
    with app.app_context():
        upgrade()
        load_postcodes(site().area)
        load_seed_services(ROOT / "directory" / "seed" / "services.yaml")
        load_seed_sources(ROOT / "directory")
    feed = workdir / "bristol.json"
    with gzip.open(BRISTOL) as source:
        feed.write_bytes(source.read())
    result = CliRunner().invoke(mle_cli, ["import-oruk", str(feed), "--publish"],
                                obj=ScriptInfo(create_app=lambda: app))
    if result.exit_code != 0:
        raise SystemExit(f"import failed: {result.output}")
    return app


@contextmanager
def postgresql_database(server_url: str, name: str = "bench_search_quality"):
    """The URL of an empty database made on the server, dropped on the way out."""
    import psycopg

    admin = server_url.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
