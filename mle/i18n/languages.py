"""The languages a deployment offers, read from `languages:` in directory/area.yaml."""

from __future__ import annotations

from dataclasses import dataclass

SOURCE_LANGUAGE = "en"  # the language content and interface are written in; always offered


@dataclass(frozen=True)
class Language:
    code: str  # as used for the catalogue folder, the lang attribute and ?lang=
    name: str  # in the language itself, for the switcher
    direction: str = "ltr"  # or "rtl"
    draft: bool = False  # translation not yet reviewed by a qualified translator

    @property
    def rtl(self) -> bool:
        return self.direction == "rtl"


ENGLISH = Language(SOURCE_LANGUAGE, "English")


class LanguageError(ValueError):
    pass


def parse_languages(raw: list | None) -> tuple[Language, ...]:
    """English first, then each language the deployment enables, in the order given."""
    languages = [ENGLISH]
    for entry in raw or ():
        if not entry.get("enabled", True) or entry["code"] == SOURCE_LANGUAGE:
            continue
        direction = entry.get("direction", "ltr")
        if direction not in ("ltr", "rtl"):
            raise LanguageError(f"language {entry['code']}: direction must be ltr or rtl")
        if any(x.code == entry["code"] for x in languages):
            raise LanguageError(f"language {entry['code']} is listed twice")
        languages.append(Language(entry["code"], entry["name"], direction,
                                  bool(entry.get("draft", False))))
    return tuple(languages)
