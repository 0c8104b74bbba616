"""`flask mle import-...`: keep the directory in step with the sources partnerships use."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from mle.cli import mle_cli

_PUBLISH = click.option(
    "--publish", is_flag=True,
    help="Publish new entries at once, instead of leaving them as drafts for an editor "
         "(entries without a known area stay drafts).")
_DRY_RUN = click.option("--dry-run", is_flag=True,
                        help="Show what would change, and change nothing.")
_PATH = click.argument("path", type=click.Path(dir_okay=False, exists=True, path_type=Path))


def _run(source: str, path: Path, publish: bool, dry_run: bool, feed: str | None = None) -> None:
    from mle.imports.readers import read_source
    from mle.imports.sync import sync
    from mle.oruk.import_result import ImportFailed

    try:
        found = read_source(source, path, feed)
        with click.progressbar(length=len(found.records), label=f"{path.name}",
                               file=sys.stderr) as bar:
            result = sync(found, publish=publish, dry_run=dry_run, progress=bar.update)
    except ImportFailed as error:
        raise click.ClickException(f"{error}. The directory was not changed.") from None
    for entry in result.entries:
        if entry.outcome == "rejected":
            click.echo(f"rejected {entry.name} ({entry.record_key}): {entry.details['reason']} "
                       f"- {entry.details['how_to_fix']}")
    warned = sum(1 for e in result.entries if e.details.get("warnings"))
    kept = sum(1 for e in result.entries if e.details.get("kept"))
    counts = ", ".join(f"{outcome} {result.count(outcome)}" for outcome in
                       ("added", "changed", "unchanged", "archived", "rejected"))
    skipped = f", {result.skipped} out of scope" if result.skipped else ""
    click.echo(f"{path.name} ({found.label}): {len(found.records)} records{skipped}: {counts}")
    click.echo(f"{warned} with repairs or warnings, {kept} where an editor's values were kept, "
               f"{len(result.duplicates)} likely duplicates")
    if dry_run:
        click.echo("Dry run: nothing was changed.")
    else:
        click.echo(f"Stored as import run {result.import_id}: editors can read it at "
                   f"/staff/directory/imports/{result.import_id}")


@mle_cli.command("import-oruk")
@_PATH
@_PUBLISH
@_DRY_RUN
@click.option("--feed", help="The feed's name, for entries that leave it to be archived "
                             "(default: the file's name without a trailing date).")
def import_oruk(path: Path, publish: bool, dry_run: bool, feed: str | None) -> None:
    """Take in an Open Referral UK feed (ORUK 3.0, or v1-style list records)."""
    _run("oruk", path, publish, dry_run, feed)


@mle_cli.command("import-care-inspectorate")
@_PATH
@_PUBLISH
@_DRY_RUN
def import_care_inspectorate(path: Path, publish: bool, dry_run: bool) -> None:
    """Take in the Care Inspectorate register's datastore file (adult services only)."""
    _run("care-inspectorate", path, publish, dry_run)


@mle_cli.command("import-aliss")
@_PATH
@_PUBLISH
@_DRY_RUN
def import_aliss(path: Path, publish: bool, dry_run: bool) -> None:
    """Take in services from ALISS (API v4 JSON, or its CSV export)."""
    _run("aliss", path, publish, dry_run)
