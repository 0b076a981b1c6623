"""What happens when a person starts an episode or writes in the diary: validate, store,
re-assess with the engine, follow up, and record where the care plan stands.

The CLI and the web call these; each takes a session (the caller's transaction), the knowledge
base and `now`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from backspasm.engine.answers import validate_answers
from backspasm.engine.assessment import Assessment, assess
from backspasm.engine.knowledge_base import KnowledgeBase
from backspasm.followup.calendar import Reminder
from backspasm.followup.diary import DiaryInput, ExerciseReport, check_entry
from backspasm.followup.programme import Programme, programme
from backspasm.followup.rules import DiaryDay, FollowUp, History, check_in_days, follow_up
from backspasm.store import repository as repo
from backspasm.store.tables import DiaryEntry, Episode


@dataclass(frozen=True)
class Started:
    episode_id: int
    token: str
    assessment_id: int
    result: Assessment


def start(
    session: Session, kb: KnowledgeBase, raw_answers: dict[str, Any], now: datetime
) -> Started:
    """Assess the answers and open an episode with them; raises AnswerError on bad answers."""
    answers = validate_answers(kb, raw_answers)
    result = assess(kb, answers)
    episode, token = repo.create_episode(session, answers, now.date(), now)
    row = repo.add_assessment(session, episode.id, "first", result, now)
    first = kb.followup.stages[0]
    repo.add_plan_stage(session, episode.id, first.id, now.date(), "the plan starts here")
    return Started(episode.id, token, row.id, result)


def history(session: Session, episode: Episode) -> History:
    entries = repo.diary_of(session, episode.id)
    return History(
        started=episode.started_on,
        answers=episode.answers,
        entries=tuple(DiaryDay(e.day, e.pain, tuple(e.new_symptoms)) for e in entries),
    )


def current(session: Session, kb: KnowledgeBase, episode: Episode, today: date) -> FollowUp:
    return follow_up(kb, history(session, episode), today)


def add_entry(
    session: Session, kb: KnowledgeBase, episode: Episode, entry: DiaryInput, now: datetime
) -> tuple[int, FollowUp]:
    """Store the entry, re-assess, and record a change of plan stage; raises DiaryError.

    The episode's row is locked first, so two entries written at once see each other's plan
    stage and record a change once."""
    today = now.date()
    check_entry(kb, entry, episode.started_on, today)
    repo.lock_episode(session, episode.id)
    row = repo.add_diary_entry(
        session,
        episode.id,
        now,
        day=entry.day,
        pain=entry.pain,
        function=entry.function,
        spasms=entry.spasms,
        tried=[tried.model_dump() for tried in entry.tried],
        new_symptoms=list(entry.new_symptoms),
        exercise=entry.exercise.model_dump(mode="json") if entry.exercise else None,
    )
    result = current(session, kb, episode, today)
    repo.add_assessment(session, episode.id, "diary", result.retriage, now)
    stages = repo.plan_stages_of(session, episode.id)
    if not stages or stages[-1].stage != result.stage.id:
        because = result.stage_changes[-1].because if result.stage_changes else ""
        repo.add_plan_stage(session, episode.id, result.stage.id, result.stage.since, because)
    return row.id, result


def _recorded(entry: DiaryEntry) -> dict[str, Any]:
    """What a person recorded in one diary entry (its day apart)."""
    return {
        "pain": entry.pain,
        "function": entry.function,
        "spasms": entry.spasms,
        "tried": entry.tried,
        "new_symptoms": entry.new_symptoms,
        "exercise": entry.exercise,
    }


def diary_inputs(session: Session, episode: Episode) -> list[DiaryInput]:
    return [
        DiaryInput.model_validate({"day": e.day, **_recorded(e)})
        for e in repo.diary_of(session, episode.id)
    ]


def programme_now(session: Session, kb: KnowledgeBase, episode: Episode, today: date) -> Programme:
    """Today's exercise programme, walked from the diary's exercise reports."""
    past = history(session, episode)
    reports = [
        (e.day, ExerciseReport.model_validate(e.exercise) if e.exercise else None)
        for e in repo.diary_of(session, episode.id)
    ]
    return programme(kb, past, reports, follow_up(kb, past, today))


def summary_values(
    session: Session, kb: KnowledgeBase, episode: Episode, today: date
) -> dict[str, Any]:
    """The clinician summary's values (render with `summary.render_html`)."""
    from backspasm.followup.summary import SummaryInput, context

    first = Assessment.model_validate(repo.assessments_of(session, episode.id)[0].result)
    past = history(session, episode)
    data = SummaryInput(
        past, diary_inputs(session, episode), first, follow_up(kb, past, today), today
    )
    return context(kb, data)


def reminders(kb: KnowledgeBase, episode: Episode, today: date) -> list[Reminder]:
    """The check-ins still to come, as calendar reminders with stable UIDs and no personal data."""
    past = History(episode.started_on, episode.answers)
    key = hashlib.sha256(f"ics:{episode.token_hash}".encode()).hexdigest()[:20]
    return [
        Reminder(
            uid=f"{check_in.id}-{key}@backspasm",
            day=day,
            summary=check_in.title,
            description=check_in.text,
        )
        for day, check_in in check_in_days(kb, past, today)
    ]


def export(session: Session, episode: Episode) -> dict[str, Any]:
    """Everything stored about the episode, as JSON-ready data (the person's own copy)."""
    return {
        "episode": {
            "created_at": episode.created_at.isoformat(),
            "started_on": episode.started_on.isoformat(),
            "answers": episode.answers,
        },
        "assessments": [
            {
                "id": row.id,
                "created_at": row.created_at.isoformat(),
                "reason": row.reason,
                "answers": row.answers,
                "result": row.result,
                "knowledge": {"version": row.knowledge_version, "hash": row.knowledge_hash},
            }
            for row in repo.assessments_of(session, episode.id)
        ],
        "diary": [
            {
                "id": e.id,
                "day": e.day.isoformat(),
                "recorded_at": e.recorded_at.isoformat(),
                **_recorded(e),
            }
            for e in repo.diary_of(session, episode.id)
        ],
        "plan_stages": [
            {"stage": s.stage, "entered_on": s.entered_on.isoformat(), "because": s.because}
            for s in repo.plan_stages_of(session, episode.id)
        ],
    }
