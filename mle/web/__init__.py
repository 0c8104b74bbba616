"""Blueprints by audience."""

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from mle.web.admin import admin
    from mle.web.assisted import assisted
    from mle.web.directory import directory
    from mle.web.editor import editor
    from mle.web.health import health
    from mle.web.oruk import oruk_api
    from mle.web.public import public
    from mle.web.queue import queue
    from mle.web.reports import reports
    from mle.web.staff import staff
    from mle.web.template_helpers import init_template_helpers

    init_template_helpers(app)
    app.register_blueprint(public)
    app.register_blueprint(health)
    app.register_blueprint(staff)
    app.register_blueprint(admin)
    app.register_blueprint(queue)
    app.register_blueprint(assisted)
    app.register_blueprint(reports)
    app.register_blueprint(directory)
    app.register_blueprint(editor)
    app.register_blueprint(oruk_api)
