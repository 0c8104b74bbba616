"""The app as the test suite runs it: migrated, with the area's postcodes, the seed directory
and its sources, and the teams of area.yaml. The browser benchmarks build the same app."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def prepared_app(database_url: str):
    from flask_migrate import upgrade

    from mle import create_app
    from mle.accounts.teams import sync_teams_from_area
    from mle.directory.geography import load_postcodes
    from mle.directory.seed import load_seed_services
    from mle.imports.seed_sources import load_seed_sources
    from mle.site import site

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True,
                      "BABEL_TRANSLATION_DIRECTORIES": str(ROOT / "translations")})
    with app.app_context():
        upgrade()
        load_postcodes(site().area)
        load_seed_services(ROOT / "directory" / "seed" / "services.yaml")
        load_seed_sources(ROOT / "directory")
        sync_teams_from_area(site().area)
    return app
