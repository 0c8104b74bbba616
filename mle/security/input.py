"""Characters no person types never reach the service.

Control characters (other than tab and line breaks), lone surrogates and Unicode noncharacters
are removed from every query parameter and form value as the request is parsed, so a form
never shows them back (they make a page invalid HTML) and PostgreSQL never sees a NUL (it
refuses text with one, which would otherwise be a server error). Path segments with them do
not match any route, so they are a friendly 404.
"""

from __future__ import annotations

import re
from urllib.parse import quote_from_bytes

from flask import Flask, Request
from werkzeug.datastructures import FileStorage, ImmutableMultiDict
from werkzeug.datastructures.structures import iter_multi_items
from werkzeug.routing import UnicodeConverter

_UNWANTED = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    "\U0001fffe\U0001ffff\U0002fffe\U0002ffff\U0003fffe\U0003ffff\U0004fffe\U0004ffff"
    "\U0005fffe\U0005ffff\U0006fffe\U0006ffff\U0007fffe\U0007ffff\U0008fffe\U0008ffff"
    "\U0009fffe\U0009ffff\U000afffe\U000affff\U000bfffe\U000bffff\U000cfffe\U000cffff"
    "\U000dfffe\U000dffff\U000efffe\U000effff\U000ffffe\U000fffff\U0010fffe\U0010ffff]")


def clean_text(value: str) -> str:
    return _UNWANTED.sub("", value)


def _clean(value):
    return clean_text(value) if isinstance(value, str) and not isinstance(value, FileStorage) \
        else value


class CleanMultiDict(ImmutableMultiDict):
    """Query and form values as parsed, without the characters above."""

    def __init__(self, mapping=None):
        if mapping is not None:
            mapping = [(_clean(key), _clean(value)) for key, value in iter_multi_items(mapping)]
        super().__init__(mapping)


# Every printable ASCII character stays as it is, including existing %-escapes.
_QUERY_SAFE = bytes(range(0x21, 0x7F))


class CleanRequest(Request):
    parameter_storage_class = CleanMultiDict

    def __init__(self, environ, populate_request: bool = True, shallow: bool = False) -> None:
        super().__init__(environ, populate_request, shallow)
        # Browsers %-encode the query string, but a raw request line can carry any byte; the
        # server passes it on as is and decoding it as UTF-8 would fail. Encode what is not
        # printable ASCII, as a browser would, so it decodes (an invalid sequence then stays
        # as its %-escapes, as text).
        if not self.query_string.isascii() or any(b < 0x21 for b in self.query_string):
            self.query_string = quote_from_bytes(self.query_string, safe=_QUERY_SAFE).encode()


class PlainTextConverter(UnicodeConverter):
    """The default path converter, refusing segments with control characters."""

    def __init__(self, map, minlength: int = 1, maxlength: int | None = None,
                 length: int | None = None) -> None:
        super().__init__(map, minlength, maxlength, length)
        self.regex = self.regex.replace("[^/]", "[^/\\x00-\\x1f\\x7f]")


def init_input_cleaning(app: Flask) -> None:
    """Call before any route is added: converters are bound when a rule is made."""
    app.request_class = CleanRequest
    app.url_map.converters["default"] = PlainTextConverter
    app.url_map.converters["string"] = PlainTextConverter
