"""Secrets and postcodes taken out of request lines before they are logged.

Access logs keep addresses for months and are read by more people than the database, so a
link token in a path (set-password, short links, resume links) or a postcode in a query would
hand out what the service otherwise guards. Pure text handling: the logging configuration of
both werkzeug (development) and gunicorn (production) runs every line through redact_line().
"""

from __future__ import annotations

import re
from urllib.parse import quote, quote_plus, unquote, unquote_plus

REDACTED = "[redacted]"

# A path segment after one of these is a secret link token: /staff/set-password/<token>,
# /r/<token>, /resume/<token>.
_TOKEN_AFTER = re.compile(r"(?<=/)(set-password|r|resume)/[^/?#\s\"]+")
# The keyed reference naming a result in /result/<ref>/pdf and /result/<ref>/email.
_RESULT_REF = re.compile(r"(?<=/result/)[^/?#\s\"]+(?=/(?:pdf|email)(?:[/?#\s\"]|$))")

# Query parameters whose values are where someone lives or what they searched for.
SENSITIVE_PARAMETERS = frozenset({
    "postcode", "where", "near", "q", "search", "email", "token", "code",
})

# A full UK postcode, in any case, with or without the space (ML1 1AB, ml11ab).
_POSTCODE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{1,2}[0-9][A-Za-z0-9]?\s*[0-9][A-Za-z]{2}"
                       r"(?![A-Za-z0-9])")

# Request targets in a log line: a path after a space or quote, or the path of a full URL
# (a Referer header, say).
_URL_PATH = re.compile(r"(?<=[^/\s\"]://)([^/\s\"]+)(/[^\s\"]*)")
_BARE_PATH = re.compile(r"(?<![^\s\"'])/[^\s\"]*")


def redact_target(target: str) -> str:
    """A request path with its query, with tokens, result references and postcodes replaced."""
    path, mark, query = target.partition("?")
    path = _RESULT_REF.sub(REDACTED, _TOKEN_AFTER.sub(rf"\1/{REDACTED}", path))
    path = "/".join(_without_postcodes(segment, unquote, _quote_path)
                    for segment in path.split("/"))
    if not mark:
        return path
    return path + mark + "&".join(_redact_parameter(pair) for pair in query.split("&"))


def redact_line(line: str) -> str:
    """A log line with every request target in it redacted (request line, Referer, ...)."""
    line = _URL_PATH.sub(lambda m: m.group(1) + redact_target(m.group(2)), line)
    return _BARE_PATH.sub(lambda m: redact_target(m.group(0)), line)


def _redact_parameter(pair: str) -> str:
    name, equals, value = pair.partition("=")
    if not equals:
        return _without_postcodes(pair, unquote_plus, quote_plus)
    if unquote_plus(name).strip().lower() in SENSITIVE_PARAMETERS:
        return f"{name}={REDACTED}"
    return f"{name}={_without_postcodes(value, unquote_plus, quote_plus)}"


def _without_postcodes(raw: str, decode, encode) -> str:
    """raw unchanged, unless its decoded text holds a postcode: then that text, re-encoded."""
    text = decode(raw)
    if not _POSTCODE.search(text):
        return raw
    return encode(_POSTCODE.sub(REDACTED, text), safe="[]")


def _quote_path(text: str, safe: str) -> str:
    return quote(text, safe=safe + "/")
