"""Making Life Easier: self-assessment and signposting for a health and social care partnership.

Flask and the database are imported inside create_app(), so importing the pure packages
(mle.rules, mle.content) never pulls them in.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def create_app(config: dict | None = None) -> Flask:
    from flask import Flask

    from mle.config import PROJECT_ROOT, load_config
    from mle.database import db, migrate
    from mle.extensions import csrf, limiter, login_manager
    from mle.i18n.runtime import init_i18n
    from mle.logging_setup import init_logging, install_log_redaction
    from mle.security.headers import init_security_headers
    from mle.security.input import init_input_cleaning
    from mle.site import init_site
    from mle.web import register_blueprints
    from mle.web.errors import register_error_handlers

    app = Flask(__name__, instance_path=str(PROJECT_ROOT / "instance"),
                static_folder=str(PROJECT_ROOT / "static"), static_url_path="/static")
    app.config.update(load_config(Path(app.instance_path)))
    app.config.update(config or {})
    install_log_redaction(app.logger.name)
    init_input_cleaning(app)

    _templates(app)
    db.init_app(app)
    from mle.directory.match_keys import install as install_match_keys
    from mle.directory.search_index import install as install_search_index

    install_match_keys()  # the match keys follow every change to a service
    install_search_index()  # and so do the search documents
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"))
    csrf.init_app(app)
    init_i18n(app)
    limiter.init_app(app)
    login_manager.init_app(app)

    init_site(app)  # area and content: a content error stops the start here
    init_security_headers(app)
    register_blueprints(app)
    _load_users()
    register_error_handlers(app)
    _trusted_hosts(app)
    _proxies(app)
    init_logging(app)  # last: its request line wraps every other layer
    return app


def _trusted_hosts(app: Flask) -> None:
    """In production only the public host name (and MLE_TRUSTED_HOSTS) is answered."""
    trusted = app.config.get("MLE_TRUSTED_HOSTS")
    if trusted:
        from mle.security.trusted_hosts import RefuseForeignHosts

        app.wsgi_app = RefuseForeignHosts(app.wsgi_app, trusted)


def _proxies(app: Flask) -> None:
    """Behind a load balancer, the client's address and scheme come from its headers; rate
    limits count by that address. Trust exactly as many hops as there are proxies."""
    hops = app.config["MLE_PROXY_HOPS"]
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)


def _templates(app: Flask) -> None:
    from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

    from mle.security.web_address import is_safe_web_address
    from mle.templating import FastImportTemplate

    app.jinja_loader = ChoiceLoader([
        FileSystemLoader(str(Path(__file__).parent / "templates")),
        PrefixLoader({
            "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
            "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
        }),
    ])
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.template_class = FastImportTemplate
    # `{% if service.url is safe_web_address %}`: only http(s) addresses become links.
    app.jinja_env.tests["safe_web_address"] = is_safe_web_address


def _load_users() -> None:
    from mle.database import db
    from mle.extensions import login_manager
    from mle.models import StaffUser

    @login_manager.user_loader
    def load_user(user_id: str):
        # The id carries the account's session token, so a reset or deactivation signs out.
        number, _, token = user_id.partition(":")
        if not number.isdigit():
            return None
        user = db.session.get(StaffUser, int(number))
        if user is None or not user.active or user.session_token != token:
            return None
        return user
