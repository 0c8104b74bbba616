"""Whether this instance can serve requests now: what /readyz answers a load balancer.

Each check is cheap and asks again on every call, so an instance that lost its database or
Redis is taken out of the pool and comes back by itself once they return, without a restart.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from flask import Flask, current_app
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from mle.database import db

OK = "ok"
# Rate-limit stores that are a Redis server: the one shared service besides the database.
REDIS_SCHEMES = ("redis", "rediss", "redis+sentinel", "redis+cluster")
# Seconds to wait for Redis before calling it unreachable: a probe must answer quickly.
REDIS_TIMEOUT = 2


@dataclass(frozen=True)
class Readiness:
    checks: dict[str, str]

    @property
    def ready(self) -> bool:
        return all(state == OK for state in self.checks.values())


def readiness() -> Readiness:
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    checks = {"database": database_state(app), "content": content_state(app)}
    if uses_redis(app.config["RATELIMIT_STORAGE_URI"]):
        checks["redis"] = redis_state(app)
    return Readiness(checks)


def database_state(app: Flask) -> str:
    """ok; or unreachable, not-configured (production on another database than DATABASE_URL,
    or not on PostgreSQL) or not-migrated (the schema is not the one this code expects)."""
    if app.config["MLE_ENV"] == "production" and not _is_configured_database(app):
        return "not-configured"
    try:
        revision = db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except SQLAlchemyError:
        db.session.rollback()
        return "unreachable" if not _answers() else "not-migrated"
    return OK if revision in _migration_heads(app) else "not-migrated"


def _answers() -> bool:
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return False
    return True


def _is_configured_database(app: Flask) -> bool:
    configured = os.environ.get("DATABASE_URL", "")
    if not configured:
        return False
    live = db.engine.url
    wanted = make_url(configured.replace("postgres://", "postgresql://", 1))
    return (live.get_backend_name() == "postgresql" == wanted.get_backend_name()
            and (live.host, live.port, live.database) == (wanted.host, wanted.port,
                                                          wanted.database))


def _migration_heads(app: Flask) -> frozenset[str]:
    heads = app.extensions.get("mle_migration_heads")
    if heads is None:
        from alembic.config import Config
        from alembic.script import ScriptDirectory

        config = Config()
        config.set_main_option("script_location", app.extensions["migrate"].directory)
        heads = frozenset(ScriptDirectory.from_config(config).get_heads())
        app.extensions["mle_migration_heads"] = heads
    return heads


def content_state(app: Flask) -> str:
    """The questionnaires were loaded at start; their folder must still be there for the next
    worker that starts."""
    site = app.extensions.get("mle_site")
    if site is None or not site.content.modules:
        return "not-loaded"
    if not os.access(app.config["MLE_QUESTIONNAIRES_DIR"], os.R_OK | os.X_OK):
        return "unreachable"
    return OK


def uses_redis(storage_uri: str) -> bool:
    return storage_uri.split("://", 1)[0] in REDIS_SCHEMES


def redis_state(app: Flask) -> str:
    storage = app.extensions.get("mle_readiness_redis")
    if storage is None:
        from limits.storage import storage_from_string

        storage = storage_from_string(app.config["RATELIMIT_STORAGE_URI"],
                                      socket_connect_timeout=REDIS_TIMEOUT,
                                      socket_timeout=REDIS_TIMEOUT)
        app.extensions["mle_readiness_redis"] = storage
    return OK if storage.check() else "unreachable"
