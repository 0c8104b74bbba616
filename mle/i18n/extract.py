"""A Babel extractor for the content YAML (questionnaires/ and directory/).

It takes the human-readable text only - never ids, option values, rule expressions or
tests - and names the file and key of each string in a translator comment, so a translator
knows where it is shown. At run time the English text is the msgid (see mle.i18n.runtime).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import yaml

# Keys whose values (a string, or a list of strings) people read, by kind of file.
# `when` is a rule expression in a module, but the text saying when to call in area.yaml.
# Each text that speaks to the person has a version for someone answering for another.
SOMEONE_ELSE = "_for_someone_else"
MODULE_KEYS = frozenset(key + suffix
                        for key in ("title", "description", "text", "hint", "label", "unit",
                                    "guidance", "diagram_alt", "body", "because", "message",
                                    "steps")
                        for suffix in ("", SOMEONE_ELSE))
EQUIPMENT_KEYS = frozenset(key + suffix
                           for key in ("description", "fits_because", "not_without_advice",
                                       "because")
                           for suffix in ("", SOMEONE_ELSE)) | {"name"}
AREA_KEYS = frozenset({"partnership", "service_name", "short_name", "name", "when",
                       "how_to_get_assessment", "hours", "name" + SOMEONE_ELSE,
                       "when" + SOMEONE_ELSE, "how_to_get_assessment" + SOMEONE_ELSE})
NEEDS_KEYS = frozenset({"label"})

# Subtrees never shown to residents: the module's own tests and score tables (staff and
# content checks only), and area settings that are codes or file names.
SKIPPED_SUBTREES = frozenset({"tests", "scores", "geography", "brand", "languages"})

Message = tuple[int, str | None, str, list[str]]


def keys_for(filename: str) -> frozenset[str]:
    name = os.path.basename(filename)
    if name == "equipment.yaml":
        return EQUIPMENT_KEYS
    if name == "area.yaml":
        return AREA_KEYS
    if name == "needs.yaml":
        return NEEDS_KEYS
    if name == "referral-policy.yaml":
        return frozenset()  # read by content owners and staff, never shown to residents
    return MODULE_KEYS


def extract_content(fileobj, keywords, comment_tags, options) -> Iterator[Message]:
    """Babel extraction method: yields (line, funcname, message, comments)."""
    filename = getattr(fileobj, "name", "")
    if isinstance(filename, bytes):
        filename = filename.decode()
    text = fileobj.read()
    if isinstance(text, bytes):
        text = text.decode(options.get("encoding", "utf-8"))
    root = yaml.compose(text)
    if root is None:
        return
    where = _display_name(filename)
    for line, path, value in content_strings(root, keys_for(filename)):
        yield line, None, value, [f"{where}: {path}"]


def _display_name(filename: str) -> str:
    parts = os.path.normpath(filename).split(os.sep)
    return "/".join(parts[-2:]) if len(parts) >= 2 else filename


def content_strings(node: yaml.Node, keys: frozenset[str],
                    path: str = "") -> Iterator[tuple[int, str, str]]:
    """(1-based line, readable key path, text) for every translatable string under node."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value in node.value:
            key = key_node.value
            if key in SKIPPED_SUBTREES:
                continue
            here = f"{path}/{key}" if path else key
            if key in keys:
                yield from _texts(value, here)
            else:
                yield from content_strings(value, keys, here)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from content_strings(item, keys, f"{path}/{_item_name(item, index)}")


def _item_name(item: yaml.Node, index: int) -> str:
    """An item's id (or option value) reads better than its position."""
    if isinstance(item, yaml.MappingNode):
        for key_node, value in item.value:
            if key_node.value in ("id", "value") and isinstance(value, yaml.ScalarNode):
                return value.value
    return str(index)


def _texts(node: yaml.Node, path: str) -> Iterator[tuple[int, str, str]]:
    if isinstance(node, yaml.ScalarNode):
        if node.tag == "tag:yaml.org,2002:str" and node.value.strip():
            yield node.start_mark.line + 1, path, node.value
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _texts(item, f"{path}/{index + 1}")
