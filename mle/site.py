"""The area and content this instance serves, loaded once at start and read-only after."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app

from mle.area import Area, load_area
from mle.content import Content, References, load_content


@dataclass(frozen=True)
class Site:
    area: Area
    content: Content


def load_site(questionnaires_dir: str | Path, directory_dir: str | Path) -> Site:
    area = load_area(directory_dir)
    refs = References(urgent_contacts=frozenset(area.urgent_contacts),
                      teams=frozenset(area.teams), needs=frozenset(area.needs))
    return Site(area=area, content=load_content(questionnaires_dir, refs))


def init_site(app: Flask) -> None:
    site = load_site(app.config["MLE_QUESTIONNAIRES_DIR"], app.config["MLE_DIRECTORY_DIR"])
    app.extensions["mle_site"] = site

    @app.context_processor
    def site_globals():
        return {"area": site.area}


def site() -> Site:
    return current_app.extensions["mle_site"]
