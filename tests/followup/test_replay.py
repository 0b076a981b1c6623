"""Replay every stored assessment; a changed result or knowledge hash is reported plainly."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from backspasm.cli.main import app
from backspasm.engine.knowledge_base import KnowledgeBase
from backspasm.followup import episodes
from backspasm.followup.diary import DiaryInput
from backspasm.followup.replay import compare, replay
from backspasm.store import repository as repo
from tests.support.db_fixtures import NOW
from tests.support.people import DESK_WORKER, LIFTED_BOXES, interviewed


def fill(session_factory: sessionmaker[Session], kb: KnowledgeBase) -> None:
    """Two episodes with diaries, including a new red flag: several kinds of result."""
    with session_factory.begin() as session:
        for facts, pains, symptom in (
            (LIFTED_BOXES, [7, 6, 5], "fever"),
            (DESK_WORKER, [5, 5, 7], "leg_numbness_tingling"),
        ):
            started = episodes.start(session, kb, interviewed(kb, facts), NOW)
            episode = repo.episode_by_id(session, started.episode_id)
            assert episode is not None
            for offset, pain in enumerate(pains):
                now = NOW + timedelta(days=offset)
                entry = DiaryInput(
                    day=now.date(),
                    pain=pain,
                    function=5,
                    spasms="some",
                    new_symptoms=[symptom] if offset == 2 else [],
                )
                episodes.add_entry(session, kb, episode, entry, now)


def test_every_stored_assessment_replays_to_the_same_result(
    session_factory: sessionmaker[Session], kb: KnowledgeBase
) -> None:
    fill(session_factory, kb)
    with session_factory.begin() as session:
        ids = repo.all_assessment_ids(session)
        assert len(ids) == 8
        levels = set()
        for number in ids:
            row = repo.assessment_by_id(session, number)
            assert row is not None
            result = replay(kb, row)
            assert result.same_knowledge and result.same_result, result.differences
            levels.add(row.result["disposition"]["id"])
    assert len(levels) >= 2  # the replay covered more than one kind of result


def test_a_changed_result_and_knowledge_are_reported(
    session_factory: sessionmaker[Session], kb: KnowledgeBase, db_url: str
) -> None:
    fill(session_factory, kb)
    with session_factory.begin() as session:  # as if stored by an older knowledge base
        row = repo.assessment_by_id(session, repo.all_assessment_ids(session)[0])
        assert row is not None
        changed = dict(row.result)
        changed["disposition"] = {**changed["disposition"], "id": "emergency"}
        changed["causes"] = list(reversed(changed["causes"]))
        row.result = changed
        row.knowledge_hash = "0" * 64
    runner = CliRunner()
    output = runner.invoke(app, ["replay", str(row.id), "--database", db_url])
    assert output.exit_code == 1, output.output
    assert "the knowledge has changed since this assessment" in output.output
    assert "disposition.id: 'emergency' -> 'self_care'" in output.output
    assert "causes: order" in output.output
    everything = runner.invoke(app, ["replay", "--all", "--database", db_url])
    assert everything.exit_code == 1 and "8 replayed, 1 differ" in everything.output


def test_compare_names_each_difference() -> None:
    old = {"a": 1, "items": [{"id": "x", "v": 1}, {"id": "y", "v": 2}], "gone": True}
    new = {"a": 2, "items": [{"id": "x", "v": 1}, {"id": "y", "v": 3}], "new": [1]}
    assert compare(old, new) == [
        "a: 1 -> 2",
        "gone: removed (was True)",
        "items.[y].v: 2 -> 3",
        "new: added ([1])",
    ]
    assert compare(old, old) == []


def test_replay_prints_rule_ids_and_brackets_as_they_are(
    session_factory: sessionmaker[Session], kb: KnowledgeBase, db_url: str
) -> None:
    """A difference names list items as [rule_id]; Rich must not read it as markup (nor crash
    on a stored value like "[/x]")."""
    fill(session_factory, kb)
    with session_factory.begin() as session:
        row = repo.assessment_by_id(session, repo.all_assessment_ids(session)[0])
        assert row is not None
        changed = dict(row.result)
        causes = [{**cause, "name": "[/x] was [bold]"} for cause in changed["causes"]]
        changed["causes"] = causes
        row.result = changed
        cause = causes[0]["id"]
    output = CliRunner().invoke(app, ["replay", str(row.id), "--database", db_url])
    assert output.exit_code == 1, output.output
    assert f"causes.[{cause}].name: '[/x] was [bold]' ->" in output.output
