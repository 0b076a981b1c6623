"""Replay: run a stored assessment's answers through today's knowledge and compare.

A stored result is what a person was told. Replaying shows whether the same answers would be
told the same today, and exactly what would differ; a different knowledge hash is reported
first, since it explains most differences.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from backspasm.engine.answers import AnswerError, validate_answers
from backspasm.engine.assessment import assess
from backspasm.engine.knowledge_base import KnowledgeBase
from backspasm.store.tables import AssessmentRow

KEYS = ("id", "rule", "sign")  # how list items are matched up, in this order


@dataclass(frozen=True)
class Replay:
    assessment_id: int
    stored_version: str
    stored_hash: str
    current_version: str
    current_hash: str
    differences: tuple[str, ...]

    @property
    def same_knowledge(self) -> bool:
        return self.stored_hash == self.current_hash

    @property
    def same_result(self) -> bool:
        return not self.differences


def replay(kb: KnowledgeBase, row: AssessmentRow) -> Replay:
    try:
        answers = validate_answers(kb, row.answers)
    except AnswerError as error:
        differences: tuple[str, ...] = tuple(
            f"answers no longer valid: {problem}" for problem in error.problems
        )
    else:
        fresh = assess(kb, answers).model_dump(mode="json")
        stored = {k: v for k, v in row.result.items() if k != "knowledge"}
        fresh.pop("knowledge")
        differences = tuple(compare(stored, fresh))
    return Replay(
        row.id, row.knowledge_version, row.knowledge_hash, kb.version, kb.content_hash, differences
    )


def compare(old: Any, new: Any, path: str = "") -> list[str]:
    """Every difference between two JSON values, as 'path: old -> new' lines."""
    if isinstance(old, dict) and isinstance(new, dict):
        out = []
        for key in sorted(set(old) | set(new), key=str):
            where = f"{path}.{key}" if path else str(key)
            if key not in new:
                out.append(f"{where}: removed (was {old[key]!r})")
            elif key not in old:
                out.append(f"{where}: added ({new[key]!r})")
            else:
                out.extend(compare(old[key], new[key], where))
        return out
    if isinstance(old, list) and isinstance(new, list):
        key = _list_key(old + new)
        if key is None:
            return [] if old == new else [f"{path}: {old!r} -> {new!r}"]
        before, after = _by(old, key), _by(new, key)
        out = compare(before, after, path)
        shared = [k for k in before if k in after]
        if shared != [k for k in after if k in before]:
            out.append(f"{path}: order {list(before)} -> {list(after)}")
        return out
    return [] if old == new else [f"{path}: {old!r} -> {new!r}"]


def _list_key(items: list[Any]) -> str | None:
    if not items or not all(isinstance(item, dict) for item in items):
        return None
    return next((key for key in KEYS if all(key in item for item in items)), None)


def _by(items: list[dict[str, Any]], key: str) -> dict[str, Any]:
    return {f"[{item[key]}]": item for item in items}
