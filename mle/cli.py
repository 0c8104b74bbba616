"""`flask mle ...` commands."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import delete

from mle.config import directory_dir, questionnaires_dir
from mle.content import ContentErrors, References, load_content
from mle.directory.area import load_area
from mle.extensions import db

mle_cli = AppGroup("mle", help="Making Life Easier commands.")


# Runs without the app, which refuses to start with bad content: this command must still
# report what is wrong.
@mle_cli.command("check-content", with_appcontext=False)
def check_content() -> None:
    """Validate every module and the equipment catalogue and run every module's tests."""
    area = load_area(directory_dir())
    refs = References(frozenset(area.urgent_contacts), frozenset(area.teams),
                      frozenset(area.needs))
    try:
        content = load_content(questionnaires_dir(), refs)
    except ContentErrors as errors:
        click.echo(str(errors), err=True)
        sys.exit(1)
    for module in content.modules.values():
        click.echo(f"{module.source}: {len(module.questions)} questions, "
                   f"{len(module.rules.outcomes)} outcome rules, {len(module.rules.urgent)} "
                   f"urgent flags, {len(module.tests)} test cases passed")
    click.echo(f"equipment.yaml: {len(content.equipment)} items")
    click.echo(f"Content {content.version}: all checks passed.")


@mle_cli.command("seed")
def seed() -> None:
    """Load the area's postcodes and the seed directory (safe to run again)."""
    from mle.directory.geography import load_postcodes
    from mle.directory.seed import load_seed_services
    from mle.site import site

    area = site().area
    click.echo(f"postcodes: {load_postcodes(area)} loaded")
    seed_file = Path(current_app.config["MLE_DIRECTORY_DIR"]) / "seed" / "services.yaml"
    click.echo(f"services: {load_seed_services(seed_file)} loaded")


@mle_cli.command("purge")
def purge() -> None:
    """Delete anonymous assessments past their retention date."""
    from mle.models import Assessment

    result = db.session.execute(
        delete(Assessment).where(Assessment.expires_at < datetime.now(UTC)))
    db.session.commit()
    click.echo(f"assessments purged: {result.rowcount}")


@mle_cli.command("brand-scss")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
def brand_scss(target: Path) -> None:
    """Write the area's brand colour as a Sass module for the stylesheet build."""
    from mle.site import site

    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(f"$colour: {site().area.brand_colour};\n")
    click.echo(f"wrote {target}")
