"""screens.yaml: which findings share a screen, in what order, with what heading.

The file model is strict like every knowledge file; `plan_problems` checks it against the
findings once all files are read (every finding on exactly one screen, "None of these" only
where every row is yes/no and none is an explicit-only finding), and `ScreenPlan` is the
loaded form with its lookup by finding, kept on the knowledge base.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from pydantic import Field

from backspasm.engine.logic import findings_in
from backspasm.engine.schema import (
    DISPOSITIONS,
    URGENCY,
    CareFile,
    Condition,
    Finding,
    Strict,
)

EMERGENCY = URGENCY["emergency"]


class ScreenSpec(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    heading: str
    why: str
    rows: list[str] = Field(min_length=1)
    opening: int | None = Field(default=None, ge=1)
    ask: Literal["every_row", "when_needed"]
    none_of_these: bool = False


class ScreensFile(Strict):
    explicit_only: list[str] = Field(default_factory=list)
    screens: list[ScreenSpec] = Field(min_length=1)


@dataclass(frozen=True)
class ScreenPlan:
    """The screens in file order, the opening ones in their order, each finding's screen, and
    what the progress estimate reads: by urgency, the findings the plan's safety checks read at
    it or at any less-than-emergency level above it (answers still unknown may raise the level
    the plan is written for); the contributors' evidence. (The findings that could raise each
    level are on the knowledge base's index.)"""

    screens: tuple[ScreenSpec, ...]
    opening: tuple[ScreenSpec, ...]
    screen_of: Mapping[str, ScreenSpec]
    explicit_only: frozenset[str]
    plan_checks_from: tuple[frozenset[str], ...]
    evidence: frozenset[str]

    @classmethod
    def build(
        cls, file: ScreensFile, conditions: Mapping[str, Condition], care: CareFile
    ) -> ScreenPlan:
        opening = sorted(
            (spec for spec in file.screens if spec.opening is not None),
            key=lambda spec: spec.opening or 0,
        )
        checks = tuple(
            frozenset(
                name
                for item in care.items
                if disposition in item.levels
                for contra in item.contraindicated_when
                for name in findings_in(contra.when)
            )
            for disposition in DISPOSITIONS
        )
        evidence = frozenset(
            name
            for condition in conditions.values()
            for item in condition.evidence
            for name in findings_in(item.when)
        )
        return cls(
            screens=tuple(file.screens),
            opening=tuple(opening),
            screen_of={row: spec for spec in file.screens for row in spec.rows},
            explicit_only=frozenset(file.explicit_only),
            plan_checks_from=tuple(
                frozenset().union(*checks[level:EMERGENCY]) for level in range(len(checks))
            ),
            evidence=evidence,
        )


def plan_problems(file: ScreensFile, findings: Mapping[str, Finding]) -> Iterable[str]:
    """Every problem of screens.yaml against the findings, as 'screens.yaml: item: message'."""
    name = "screens.yaml"
    placed: dict[str, str] = {}
    ids: set[str] = set()
    openings: dict[int, str] = {}
    for spec in file.screens:
        if spec.id in ids:
            yield f"{name}: {spec.id}: duplicate screen id"
        ids.add(spec.id)
        if spec.opening is not None:
            if spec.opening in openings:
                yield f"{name}: {spec.id}: opening {spec.opening} is also {openings[spec.opening]}"
            openings[spec.opening] = spec.id
        for row in spec.rows:
            if row not in findings:
                yield f"{name}: {spec.id}: unknown finding {row!r}"
            elif row in placed:
                yield f"{name}: {spec.id}: {row} is already on screen {placed[row]}"
            else:
                placed[row] = spec.id
        if spec.none_of_these:
            for row in spec.rows:
                if row in file.explicit_only:
                    yield (
                        f"{name}: {spec.id}: 'None of these' cannot answer {row}, which "
                        "must be answered on its own (explicit_only)"
                    )
                elif row in findings and findings[row].type != "bool":
                    yield f"{name}: {spec.id}: 'None of these' needs yes/no rows; {row} is not"
    for row in file.explicit_only:
        if row not in findings:
            yield f"{name}: explicit_only: unknown finding {row!r}"
    for finding in findings:
        if finding not in placed:
            yield f"{name}: {finding}: not on any screen (every finding belongs to one)"
