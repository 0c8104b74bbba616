"""Descriptions of services as sanitised HTML (nh3, docs/decisions/0014).

Editors may use paragraphs, lists, emphasis and links. Text is cleaned on the way in, and again
on the way out, because entries also arrive from imported feeds.
"""

from __future__ import annotations

import re

import nh3
from markupsafe import Markup

ALLOWED_TAGS = {"p", "br", "ul", "ol", "li", "strong", "em", "b", "i", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
_BLOCK = re.compile(r"<(p|ul|ol)\b", re.I)


def sanitise_html(text: str) -> str:
    """Keep simple formatting and safe links; drop every other tag, attribute and script."""
    return nh3.clean(text or "", tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes=URL_SCHEMES, link_rel="noopener noreferrer").strip()


def description_html(text: str | None) -> Markup:
    """A description for a service's page: plain text becomes paragraphs."""
    clean = sanitise_html(text or "")
    if not _BLOCK.search(clean):
        clean = "".join(f"<p>{part}</p>" for part in re.split(r"\n\s*\n", clean) if part)
    return Markup(clean)  # noqa: S704 - cleaned by nh3 just above


def description_text(text: str | None) -> Markup:
    """A description without any markup, for cards and summaries."""
    return Markup(nh3.clean(text or "", tags=set()).strip())  # noqa: S704 - nh3 escapes it
