"""Loading a source's mapping table (directory/sources/<source>.yaml): area data an editor
keeps, checked when it loads so a wrong need id or a misspelt key stops at once."""

from __future__ import annotations

from pathlib import Path

import yaml

DIRECTORY = Path(__file__).resolve().parents[2] / "directory"
SOURCES = DIRECTORY / "sources"


class MappingInvalid(ValueError):
    """A mapping table that cannot be used; the message names the file and the problem."""


def load_yaml(path: Path) -> dict:
    try:
        data = yaml.safe_load(Path(path).read_text("utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise MappingInvalid(f"{path}: cannot be read ({error})") from None
    if not isinstance(data, dict):
        raise MappingInvalid(f"{path}: expected a mapping of keys to values")
    return data


def known_needs(directory: Path = DIRECTORY) -> frozenset[str]:
    """The need ids of directory/needs.yaml."""
    return frozenset(need["id"] for need in load_yaml(directory / "needs.yaml")["needs"])


def checked_needs(value: object, known: frozenset[str], where: str) -> tuple[str, ...]:
    """A list of need ids, each one in directory/needs.yaml."""
    if not isinstance(value, list) or not all(isinstance(n, str) for n in value):
        raise MappingInvalid(f"{where}: needs must be a list of need ids")
    unknown = [n for n in value if n not in known]
    if unknown:
        raise MappingInvalid(f"{where}: unknown need ids {unknown} (not in directory/needs.yaml)")
    return tuple(value)
