"""Descriptions from feeds arrive as HTML; we keep plain text, made safe by nh3 (decision 0015).

Block ends and line breaks become new lines first, so paragraphs stay apart; nh3 then removes
every tag (and the content of script and style), and the entities it leaves are decoded
(again, should decoding reveal markup).
Pages show the text escaped, as they do every other field.
"""

from __future__ import annotations

import html
import re

import nh3

_BLOCK_END = re.compile(r"<\s*(br\s*/?|/\s*(p|div|h[1-6]|li|ul|ol|tr|table|blockquote))\s*>",
                        re.IGNORECASE)
_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def html_to_text(value: str | None) -> str:
    if not value:
        return ""
    text = value
    for _ in range(3):  # escaped markup ('&lt;script&gt;') decodes to markup: clean it too
        cleaned = html.unescape(nh3.clean(_BLOCK_END.sub("\n", text), tags=set(),
                                          attributes={}))
        if cleaned == text:
            break
        text = cleaned
    lines = [_SPACES.sub(" ", line).strip() for line in text.splitlines()]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
