"""Reading the knowledge's YAML: safe loading that refuses a key written twice in one mapping.

Plain YAML keeps the last of two equal keys without a word, so a rule, finding or source
written twice would silently replace the first (it happened once in sources.yaml). Every
knowledge file is read through `load_yaml`, which stops with the key and both line numbers.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.nodes import MappingNode

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MERGE_TAG = "tag:yaml.org,2002:merge"


class DuplicateKeyError(yaml.YAMLError):
    """A mapping holds the same key twice; lines are counted from 1."""

    def __init__(self, key: object, line: int, first_line: int) -> None:
        self.key = key
        self.line = line
        self.first_line = first_line
        super().__init__(f"duplicate key {key!r} at line {line} (first at line {first_line})")


class _UniqueKeyLoader(_Base):  # type: ignore[misc]
    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        first_line: dict[Any, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == MERGE_TAG:
                continue  # "<<" merges may override on purpose
            key = self.construct_object(key_node, deep=True)
            try:
                earlier = first_line.get(key)
            except TypeError:  # an unhashable key: the base loader reports it
                continue
            line = key_node.start_mark.line + 1
            if earlier is not None:
                raise DuplicateKeyError(key, line, earlier)
            first_line[key] = line
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        return mapping


def load_yaml(text: str | bytes) -> Any:
    """Parse YAML safely; raise DuplicateKeyError for a key written twice in one mapping."""
    return yaml.load(text, Loader=_UniqueKeyLoader)  # a SafeLoader subclass


__all__ = ["DuplicateKeyError", "load_yaml"]
