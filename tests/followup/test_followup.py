"""Follow-up on a history: each rule on the day it applies and not the day before."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from backspasm.engine.knowledge_base import KnowledgeBase
from backspasm.followup.rules import DiaryDay, FollowUp, History, check_in_days, follow_up
from tests.support.people import LIFTED_BOXES, interviewed

START = date(2026, 11, 2)  # LIFTED_BOXES began 2 days before: onset 2026-10-31


def run(
    kb: KnowledgeBase,
    pains: list[int],
    today_offset: int | None = None,
    symptoms: dict[int, tuple[str, ...]] | None = None,
    facts: dict[str, object] | None = None,
) -> FollowUp:
    answers = interviewed(kb, facts or LIFTED_BOXES)
    entries = [
        DiaryDay(START + timedelta(days=i), pain, (symptoms or {}).get(i, ()))
        for i, pain in enumerate(pains)
    ]
    offset = len(pains) - 1 if today_offset is None else today_offset
    return follow_up(kb, History(START, answers, entries), START + timedelta(days=offset))


def fired(result: FollowUp) -> list[str]:
    return [advice.rule for advice in result.advice]


def test_first_assessment_is_self_care(kb: KnowledgeBase) -> None:
    result = run(kb, [])
    assert result.retriage.disposition.id == "self_care"
    assert result.level == "self_care" and fired(result) == []
    assert result.onset == date(2026, 10, 31)


def test_no_improvement_is_flagged_on_day_7_and_not_day_6(kb: KnowledgeBase) -> None:
    week = [7, 7, 6, 7, 6, 6]  # days 2..7 since onset; a 1-point wobble is not improvement
    day6 = run(kb, week[:5])
    assert "no_improvement_7_days" not in fired(day6)
    day7 = run(kb, week)
    advice = next(a for a in day7.advice if a.rule == "no_improvement_7_days")
    assert day7.measures["days_since_onset"] == 7
    assert advice.level == "consultation" and advice.due == START + timedelta(days=5 + 3)
    assert (
        advice.because[0]
        == "day 7 since the pain began; pain 1 point lower than at the first assessment"
    )
    assert any(source.id == "ostelo_2008" for source in advice.sources)
    assert day7.level == "consultation"


def test_improvement_of_two_points_is_not_no_improvement(kb: KnowledgeBase) -> None:
    result = run(kb, [7, 6, 6, 6, 5, 5])
    assert result.measures["pain_improvement"] == 2
    assert "no_improvement_7_days" not in fired(result)


def test_worsening_by_two_within_three_days(kb: KnowledgeBase) -> None:
    assert "worsening_3_days" not in fired(run(kb, [6, 6, 7]))
    result = run(kb, [6, 5, 7])
    assert result.measures["pain_rise_3_days"] == 2
    advice = next(a for a in result.advice if a.rule == "worsening_3_days")
    assert advice.due == START + timedelta(days=2 + 2)
    # a low point more than 3 days back does not count
    assert "worsening_3_days" not in fired(run(kb, [4, 6, 6, 6, 6, 6]))


def test_pain_still_present_at_four_weeks(kb: KnowledgeBase) -> None:
    pains = [7, 5, 4, 3]  # then entries stop; today moves on
    day27 = run(kb, pains, today_offset=25)  # 27 days since onset
    assert "still_painful_4_weeks" not in fired(day27)
    day28 = run(kb, pains, today_offset=26)
    advice = next(a for a in day28.advice if a.rule == "still_painful_4_weeks")
    assert advice.due == date(2026, 10, 31) + timedelta(days=42)  # by the 6-week mark
    pain_free = run(kb, [7, 5, 3, 0], today_offset=26)
    assert "still_painful_4_weeks" not in fired(pain_free)


def test_new_red_flag_retriages_with_the_engine_at_once(kb: KnowledgeBase) -> None:
    result = run(kb, [6, 6], symptoms={1: ("saddle_numbness",)})
    assert result.measures["new_red_flag"] is True
    advice = result.advice[0]
    assert advice.rule == "new_warning_sign"
    assert advice.level == result.retriage.disposition.id
    assert result.retriage.disposition.emergency and advice.due == START + timedelta(days=1)
    assert result.retriage.answers["saddle_numbness"] is True
    assert any("cauda equina" in line for line in advice.because)
    assert fired(result).count("reassessment_raised") == 0  # one retriage message only


def test_a_red_flag_already_known_is_not_new(kb: KnowledgeBase) -> None:
    facts = {**LIFTED_BOXES, "pain_at_rest_and_night": True}
    result = run(kb, [6, 6], symptoms={1: ("pain_at_rest_and_night",)}, facts=facts)
    assert result.measures["new_red_flag"] is False
    assert "new_warning_sign" not in fired(result)


def test_non_red_flag_symptom_is_retriaged(kb: KnowledgeBase) -> None:
    result = run(kb, [6] * 6, symptoms={5: ("leg_numbness_tingling",)})
    assert result.retriage.answers["leg_numbness_tingling"] is True
    assert "numbness_over_a_week" in [reason.rule for reason in result.retriage.reasons]


def test_two_point_fall_says_so_and_steps_the_plan_on(kb: KnowledgeBase) -> None:
    one_point = run(kb, [6])
    assert "meaningful_improvement" not in fired(one_point)
    assert one_point.stage.id == "relief"
    result = run(kb, [5])
    assert "meaningful_improvement" in fired(result)
    assert result.stage.id == "mobility" and result.stage.since == START
    assert "Use heat" not in result.stage.items and "Keep moving gently" in result.stage.items


def test_plan_walks_all_stages_and_steps_back_on_a_flare(kb: KnowledgeBase) -> None:
    result = run(kb, [5, 5, 3, 3, 1])
    assert [c.stage for c in result.stage_changes] == ["mobility", "strength", "return"]
    assert result.stage.number == 4 and result.stage.next_title == ""
    flare = run(kb, [5, 5, 3, 3, 1, 3])
    assert flare.stage.id == "strength"
    assert "goes back a step" in flare.stage_changes[-1].because
    assert "worsening_3_days" in fired(flare)


def test_later_entries_are_ignored_when_replaying_a_past_day(kb: KnowledgeBase) -> None:
    full = run(kb, [7, 7, 7, 7, 7, 7, 2])
    past = run(kb, [7, 7, 7, 7, 7, 7, 2], today_offset=5)
    assert full.measures["pain_now"] == 2 and past.measures["pain_now"] == 7


def test_measures_are_exactly_the_declared_ones(kb: KnowledgeBase) -> None:
    result = run(kb, [7, 6, 6, 5])
    assert set(result.measures) == set(kb.followup.measures)
    assert set(run(kb, []).measures) < set(kb.followup.measures)


@pytest.mark.parametrize(
    ("pains", "course"),
    [
        ([7, 7, 5], "improving"),
        ([7, 7, 7], "unchanged"),
        ([5, 5, 7], "worsening"),
    ],
)
def test_diary_sets_pain_course_for_retriage(
    kb: KnowledgeBase, pains: list[int], course: str
) -> None:
    result = run(kb, pains)
    assert result.retriage.answers["pain_course"] == course
    assert result.retriage.answers["pain_severity"] == pains[-1]
    assert result.retriage.answers["pain_duration_days"] == 2 + len(pains) - 1


def test_check_in_days_count_from_onset_or_start(kb: KnowledgeBase) -> None:
    history = History(START, interviewed(kb, LIFTED_BOXES))
    days = [(day, check.id) for day, check in check_in_days(kb, history, START)]
    assert days[:2] == [(START + timedelta(days=3), "day_3"), (date(2026, 11, 7), "week_1")]
    later = check_in_days(kb, history, date(2026, 11, 29))
    assert [check.id for _, check in later] == ["week_6"]


def test_plan_holds_and_no_praise_after_a_new_warning_sign(kb: KnowledgeBase) -> None:
    result = run(kb, [5, 3], symptoms={0: ("fever",)})
    assert result.stage.id == "relief" and result.stage_changes == []
    assert "meaningful_improvement" not in fired(result)
    assert fired(result)[0] == "new_warning_sign"


def test_a_symptom_the_knowledge_no_longer_has_is_ignored(kb: KnowledgeBase) -> None:
    result = run(kb, [6, 6], symptoms={1: ("retired_finding", "fever")})
    assert result.measures["new_red_flag"] is True
    assert "retired_finding" not in result.retriage.answers
