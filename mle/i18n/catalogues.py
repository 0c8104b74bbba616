"""Catalogue upkeep: extract the template, and the checks CI runs on it and the catalogues.

The template (translations/messages.pot) is stale when extracting again would give other
entries; the header (creation date) is ignored. A catalogue misses strings when an entry of
the template has no translation in it, or only a fuzzy (unchecked) one.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from mle.config import PROJECT_ROOT

TRANSLATIONS = PROJECT_ROOT / "translations"
TEMPLATE = TRANSLATIONS / "messages.pot"

# One set of options for `make pot` and for the staleness check. No line numbers: the
# translator comment names the file and key, and the template does not churn on every edit.
EXTRACT_OPTIONS = ["-F", "babel.cfg", "-k", "_l", "-k", "N_", "-c", "TRANSLATORS:",
                   "--no-location", "--sort-output", "--project", "mle", "--no-wrap"]


def extract(output: Path, root: Path = PROJECT_ROOT) -> None:
    """Run pybabel extract over the code, templates and content YAML into output."""
    CommandLineInterface().run(["pybabel", "-q", "extract", *EXTRACT_OPTIONS,
                                "-o", str(output), str(root)])


def read_catalogue(path: Path) -> Catalog:
    with path.open("rb") as file:
        return read_po(file)


def _entry(message: Message) -> tuple:
    return (message.id, message.context, tuple(sorted(message.flags - {"fuzzy"})),
            tuple(message.auto_comments))


def entries(catalogue: Catalog) -> list[tuple]:
    return sorted((_entry(m) for m in catalogue if m.id), key=repr)


def template_differences(current: Catalog, fresh: Catalog) -> list[str]:
    """msgids added to or dropped from the template (or whose flags/comments changed)."""
    old, new = set(entries(current)), set(entries(fresh))
    added = sorted({e[0] if isinstance(e[0], str) else e[0][0] for e in new - old})
    dropped = sorted({e[0] if isinstance(e[0], str) else e[0][0] for e in old - new})
    return [f"not in the template: {m!r}" for m in added] + \
        [f"no longer in the code or content: {m!r}" for m in dropped]


def stale_template(template: Path = TEMPLATE, root: Path = PROJECT_ROOT) -> list[str]:
    """Differences between the committed template and a fresh extraction (empty if fresh)."""
    if not template.exists():
        return [f"{template} does not exist"]
    with tempfile.TemporaryDirectory() as folder:
        fresh = Path(folder) / "messages.pot"
        extract(fresh, root)
        return template_differences(read_catalogue(template), read_catalogue(fresh))


@dataclass(frozen=True)
class Missing:
    code: str
    untranslated: int
    fuzzy: int
    total: int

    @property
    def count(self) -> int:
        return self.untranslated + self.fuzzy


def _translated(message: Message) -> bool:
    strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
    return all(s for s in strings)


def missing_strings(code: str, template: Catalog, translations: Path = TRANSLATIONS) -> Missing:
    """How many template entries the language's catalogue lacks or has only fuzzily."""
    path = translations / code / "LC_MESSAGES" / "messages.po"
    catalogue = read_catalogue(path) if path.exists() else Catalog(locale=None)
    untranslated = fuzzy = total = 0
    for wanted in template:
        if not wanted.id:
            continue
        total += 1
        found = catalogue.get(wanted.id, wanted.context)
        if found is None or not _translated(found):
            untranslated += 1
        elif found.fuzzy:
            fuzzy += 1
    return Missing(code, untranslated, fuzzy, total)
