"""Settings from the environment.

MLE_ENV chooses the profile: `production` (the default, strict), `development` (`make run`) or
`testing`. Production refuses to start without the secrets it needs, its database, a shared
rate-limit store and its public address.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class ConfigurationError(RuntimeError):
    """The environment lacks something the service cannot run safely without."""


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        number = -1
    if number < 0:
        raise ConfigurationError(f"{name} is '{value}': give a whole number of 0 or more "
                                 f"(or leave it unset for {default}).")
    return number


def _development_key(instance_path: Path, name: str, make) -> str:
    """A per-checkout key for development, kept in instance/ and never used in production."""
    path = instance_path / name
    if not path.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        path.write_text(make())
        path.chmod(0o600)
    return path.read_text().strip()


def questionnaires_dir() -> str:
    return os.environ.get("MLE_QUESTIONNAIRES_DIR") or str(PROJECT_ROOT / "questionnaires")


def directory_dir() -> str:
    return os.environ.get("MLE_DIRECTORY_DIR") or str(PROJECT_ROOT / "directory")


def _require_production_settings() -> None:
    """Production runs as several workers and instances sharing one database and one count of
    rate limits, and builds its links from its public address alone: without these it would
    quietly keep a file of its own, count each limit per worker, or link to the wrong site."""
    if not os.environ.get("DATABASE_URL"):
        raise ConfigurationError(
            "DATABASE_URL is not set. In production the service keeps its data in PostgreSQL, "
            "never in a local file: set DATABASE_URL to its address (for example "
            "postgresql://mle:...@db.internal:5432/mle).")
    store = os.environ.get("RATELIMIT_STORAGE_URI", "")
    if not store or store.startswith("memory://"):
        raise ConfigurationError(
            "RATELIMIT_STORAGE_URI is not set to a shared store. Rate limits must count across "
            "every worker and instance: set RATELIMIT_STORAGE_URI to a Redis address (for "
            "example redis://redis.internal:6379/0); memory:// counts per worker.")
    if not os.environ.get("MLE_BASE_URL"):
        raise ConfigurationError(
            "MLE_BASE_URL is not set. Links and the API's addresses are built from it, never "
            "from the request: set MLE_BASE_URL to the service's public address (for example "
            "https://mle.example.gov.uk).")


def _public_host(base_url: str) -> str:
    """The host name of MLE_BASE_URL, the one name production answers to."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigurationError(
            f"MLE_BASE_URL is '{base_url}': give the public address with its scheme, for "
            "example https://mle.example.gov.uk.")
    return parts.hostname


def _trusted_hosts(base_url: str) -> list[str]:
    """Host names a request may name: the public one, and any in MLE_TRUSTED_HOSTS (the
    address a load balancer's health checks use, say). Others get 400."""
    extra = os.environ.get("MLE_TRUSTED_HOSTS", "")
    return [_public_host(base_url), *(h.strip() for h in extra.split(",") if h.strip())]


def _sentry_dsn() -> str:
    """MLE_SENTRY_DSN, checked now: a mistyped one would only show when the first error
    went unreported."""
    dsn = os.environ.get("MLE_SENTRY_DSN", "").strip()
    if dsn:
        from sentry_sdk.utils import BadDsn, Dsn

        try:
            Dsn(dsn)
        except BadDsn:
            raise ConfigurationError(
                "MLE_SENTRY_DSN is not a valid address for error reports: give the DSN the "
                "error-reporting service shows (https://<key>@<host>/<project>), or leave it "
                "unset to send none.") from None
    return dsn


def load_config(instance_path: Path) -> dict:
    from cryptography.fernet import Fernet

    env = os.environ.get("MLE_ENV", "production")
    if env not in ("production", "development", "testing"):
        raise ConfigurationError(
            f"MLE_ENV is '{env}': use production, development or testing.")
    production = env == "production"

    secret_key = os.environ.get("SECRET_KEY")
    data_keys = os.environ.get("MLE_DATA_KEYS")
    if production and not secret_key:
        raise ConfigurationError(
            "SECRET_KEY is not set. The service will not start in production without it: set "
            "SECRET_KEY to a long random value (for example the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`).")
    if production and not data_keys:
        raise ConfigurationError(
            "MLE_DATA_KEYS is not set. Personal data is encrypted at rest: set MLE_DATA_KEYS to "
            "one or more Fernet keys, newest first, separated by commas (make one with "
            "`python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())'`).")
    if production:
        _require_production_settings()
    if env == "testing":
        import secrets

        secret_key = secret_key or secrets.token_urlsafe(48)
        data_keys = data_keys or Fernet.generate_key().decode()
    elif not production:
        import secrets

        secret_key = secret_key or _development_key(
            instance_path, "dev-secret-key", lambda: secrets.token_urlsafe(48))
        data_keys = data_keys or _development_key(
            instance_path, "dev-data-key", lambda: Fernet.generate_key().decode())

    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance_path / 'mle.db'}"
    if database_url.startswith("postgres://"):
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgres://")
    elif database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgresql://")

    base_url = os.environ.get("MLE_BASE_URL", "http://127.0.0.1:5000")
    assert data_keys is not None  # every profile above has refused or made one
    return {
        "MLE_ENV": env,
        "SECRET_KEY": secret_key,
        "MLE_DATA_KEYS": [k.strip() for k in data_keys.split(",") if k.strip()],
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SESSION_COOKIE_NAME": "mle_session",
        "SESSION_COOKIE_SECURE": production,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "PERMANENT_SESSION_LIFETIME": timedelta(minutes=_env_int("MLE_SESSION_MINUTES", 60)),
        # Warn this long before the session ends (WCAG 2.2.1 Timing Adjustable).
        "MLE_SESSION_WARNING_SECONDS": _env_int("MLE_SESSION_WARNING_SECONDS", 5 * 60),
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
        "WTF_CSRF_SSL_STRICT": production,
        "MAX_CONTENT_LENGTH": 64 * 1024,
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_TRANSLATION_DIRECTORIES": str(PROJECT_ROOT / "translations"),
        "MLE_QUESTIONNAIRES_DIR": questionnaires_dir(),
        "MLE_DIRECTORY_DIR": directory_dir(),
        "MLE_RESUME_DAYS": _env_int("MLE_RESUME_DAYS", 28),
        "MLE_ASSESSMENT_RETENTION_DAYS": _env_int("MLE_ASSESSMENT_RETENTION_DAYS", 90),
        # The public address: every absolute link is built from it, never from the Host header.
        "MLE_BASE_URL": base_url,
        "MLE_TRUSTED_HOSTS": _trusted_hosts(base_url) if production else None,
        "MLE_SMTP_HOST": os.environ.get("MLE_SMTP_HOST", "127.0.0.1"),
        "MLE_SMTP_PORT": _env_int("MLE_SMTP_PORT", 25),
        "MLE_SMTP_STARTTLS": os.environ.get("MLE_SMTP_STARTTLS", "") == "1",
        "MLE_SMTP_USER": os.environ.get("MLE_SMTP_USER", ""),
        "MLE_SMTP_PASSWORD": os.environ.get("MLE_SMTP_PASSWORD", ""),
        "MLE_SMTP_FROM": os.environ.get("MLE_SMTP_FROM", "Making Life Easier <noreply@localhost>"),
        "MLE_SMTP_FROM_DOMAIN": os.environ.get("MLE_SMTP_FROM_DOMAIN", "localhost"),
        "MLE_PERSONAL_DATA_DAYS": _env_int("MLE_PERSONAL_DATA_DAYS", 180),
        # Residents' problem reports about directory entries are deleted this long after an
        # editor closes them (what they wrote may be personal).
        "MLE_PROBLEM_REPORT_DAYS": _env_int("MLE_PROBLEM_REPORT_DAYS", 90),
        # Directory entries not reviewed for this long are stale and editors are reminded.
        "MLE_REVIEW_PERIOD_MONTHS": _env_int("MLE_REVIEW_PERIOD_MONTHS", 12),
        # Each month's reports are released once, on this day of the following month
        # (1 to 28), by the nightly `flask mle release-reports`; the report pages never release.
        "MLE_REPORT_RELEASE_DAY": min(28, max(1, _env_int("MLE_REPORT_RELEASE_DAY", 5))),
        # A worker reuses its protected year of report figures for this long before it looks
        # for newer figures: protecting a busy year takes seconds, and a manager's reports
        # need not follow each outcome to the second. 0 rebuilds whenever the figures change.
        "MLE_REPORTS_MAX_AGE_SECONDS": _env_int("MLE_REPORTS_MAX_AGE_SECONDS",
                                                300 if production else 0),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "PREFERRED_URL_SCHEME": "https" if production else "http",
        # How many proxies (load balancer, TLS terminator) stand in front of the service and
        # set X-Forwarded-For and X-Forwarded-Proto. 0 trusts no such header.
        "MLE_PROXY_HOPS": _env_int("MLE_PROXY_HOPS", 0),
        # Error reports go to Sentry only when this is set (mle/error_reporting.py).
        "MLE_SENTRY_DSN": _sentry_dsn(),
    }
