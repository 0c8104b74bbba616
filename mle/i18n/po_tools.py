"""Tools for translators' catalogues: start a draft catalogue, split one into chunks that
several translators can work on at once, and merge the translated chunks back.

    python -m mle.i18n.po_tools init-draft pl
    python -m mle.i18n.po_tools split translations/pl/LC_MESSAGES/messages.po 4 work/pl
    python -m mle.i18n.po_tools merge translations/pl/LC_MESSAGES/messages.po work/pl/*.po

Splitting keeps each entry whole (msgid, plural forms, translator comments, flags) and puts
untranslated and fuzzy entries only into the chunks, in template order, in nearly equal parts.
Merging copies each translated entry of a chunk into the catalogue by msgid and context; an
entry a chunk leaves empty changes nothing, and a msgid the catalogue does not have is an error
(the chunk came from an older template: split again).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from mle.i18n.catalogues import TEMPLATE, TRANSLATIONS, read_catalogue

DRAFT_HEADER = """DRAFT {language} translation of Making Life Easier (mle): interface and content.
Machine-assisted and NOT YET REVIEWED by a qualified translator. Do not treat it as
approved until a qualified translator has checked every entry and this note is removed.
See docs/translation.md."""


def write_catalogue(catalogue: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as file:
        write_po(file, catalogue, width=0)


def init_draft(code: str, language_name: str, template: Path = TEMPLATE,
               translations: Path = TRANSLATIONS) -> Path:
    """A new catalogue for code from the template, its header marking it a draft."""
    source = read_catalogue(template)
    catalogue = Catalog(locale=code, project="mle", fuzzy=False,
                        header_comment="# " + DRAFT_HEADER.format(language=language_name)
                        .replace("\n", "\n# "))
    catalogue.language_team = f"{language_name} - DRAFT, awaiting review by a qualified translator"
    empty_plural = ("",) * catalogue.num_plurals
    for message in source:
        if message.id:
            catalogue.add(message.id, "" if isinstance(message.id, str) else empty_plural,
                          auto_comments=message.auto_comments, flags=message.flags,
                          context=message.context)
    path = translations / code / "LC_MESSAGES" / "messages.po"
    write_catalogue(catalogue, path)
    return path


def _needs_work(message) -> bool:
    strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
    return message.fuzzy or not all(strings)


def split(catalogue_path: Path, parts: int, folder: Path) -> list[Path]:
    """Write the entries still to translate into `parts` chunk files in folder."""
    catalogue = read_catalogue(catalogue_path)
    todo = [m for m in catalogue if m.id and _needs_work(m)]
    size, extra = divmod(len(todo), parts)
    paths, start = [], 0
    for index in range(parts):
        end = start + size + (1 if index < extra else 0)
        chunk = Catalog(locale=catalogue.locale, project="mle", fuzzy=False,
                        header_comment=catalogue.header_comment)
        for message in todo[start:end]:
            chunk[message.id] = message
        path = folder / f"{catalogue_path.parent.parent.name}-{index + 1:02d}-of-{parts:02d}.po"
        write_catalogue(chunk, path)
        paths.append(path)
        start = end
    return paths


class MergeError(ValueError):
    pass


def merge(catalogue_path: Path, chunk_paths: Sequence[Path]) -> int:
    """Copy the translated entries of the chunks into the catalogue; return how many."""
    catalogue = read_catalogue(catalogue_path)
    merged = 0
    for chunk_path in chunk_paths:
        with Path(chunk_path).open("rb") as file:
            chunk = read_po(file)
        for message in chunk:
            if not message.id:
                continue
            target = catalogue.get(message.id, message.context)
            if target is None:
                raise MergeError(f"{chunk_path}: {message.id!r} is not in {catalogue_path}")
            strings = message.string if isinstance(message.string, tuple) else [message.string]
            if not any(strings):
                continue
            target.string = message.string
            target.flags = set(message.flags)
            merged += 1
    write_catalogue(catalogue, catalogue_path)
    return merged


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mle.i18n.po_tools", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    init = commands.add_parser("init-draft", help="start a draft catalogue for a language")
    init.add_argument("code")
    init.add_argument("--name", help="the language's name in English, for the header")
    splitting = commands.add_parser("split", help="split a catalogue's untranslated entries")
    splitting.add_argument("catalogue", type=Path)
    splitting.add_argument("parts", type=int)
    splitting.add_argument("folder", type=Path)
    merging = commands.add_parser("merge", help="merge translated chunks into a catalogue")
    merging.add_argument("catalogue", type=Path)
    merging.add_argument("chunks", type=Path, nargs="+")
    args = parser.parse_args(argv)
    if args.command == "init-draft":
        print(init_draft(args.code, args.name or args.code))
    elif args.command == "split":
        for path in split(args.catalogue, args.parts, args.folder):
            print(path)
    else:
        try:
            print(f"{merge(args.catalogue, args.chunks)} entries merged")
        except MergeError as error:
            print(error, file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
