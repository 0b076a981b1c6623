"""The command line, run as a real process: exit codes, messages naming fields, JSON shapes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.paths import CASES, ROOT
from tests.support.people import SPASM


def backspasm(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "backspasm", *args], capture_output=True, text=True, cwd=ROOT
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


@pytest.fixture()
def answers_file(tmp_path: Path):
    def write(data: object, name: str = "answers.json") -> Path:
        path = tmp_path / name
        path.write_text(json.dumps(data))
        return path

    return write


def test_assess_json_is_the_full_result(answers_file):
    path = answers_file(
        {
            "age": 40,
            "sex": "female",
            "pain_duration_days": 2,
            "pain_severity": 7,
            "bladder_retention": True,
        }
    )
    result = json.loads(backspasm("assess", "--answers", str(path), "--json").stdout)
    assert result["disposition"]["id"] == "emergency"
    assert result["reasons"][0]["rule"] == "cauda_equina_signs"
    assert result["knowledge"]["hash"]
    assert {"causes", "plan", "withheld", "safety_net", "check_in"} <= set(result)


def test_assess_text_leads_with_the_care_level(answers_file):
    path = answers_file(
        {"age": 40, "sex": "male", "pain_duration_days": 2, "pain_severity": 7, "chest_pain": True}
    )
    out = backspasm("assess", "--answers", str(path)).stdout
    assert out.index("Call an ambulance now") < out.index("Why")
    assert "Sources" not in out
    assert "Sources" in backspasm("assess", "--answers", str(path), "--full").stdout


def test_emergency_panel_shows_the_number_to_call(answers_file):
    path = answers_file(
        {"age": 40, "sex": "male", "pain_duration_days": 2, "pain_severity": 7, "chest_pain": True}
    )
    out = backspasm("assess", "--answers", str(path)).stdout
    panel = out.split("Why")[0]
    assert "CALL 999 NOW" in panel
    assert "Do not drive yourself" in panel
    assert "likely" not in out.lower()


def _interviewed(facts: dict[str, object]) -> dict[str, object]:
    from tests.support.knowledge import knowledge
    from tests.support.people import interviewed

    return dict(interviewed(knowledge(), facts))


def test_default_result_fits_a_40_row_screen_and_offers_more_and_a_copy(answers_file, tmp_path):
    path = answers_file(_interviewed(SPASM))
    result = subprocess.run(
        [sys.executable, "-m", "backspasm", "assess", "--answers", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "COLUMNS": "80", "LINES": "40"},
        check=True,
    )
    lines = result.stdout.splitlines()
    assert len(lines) <= 40, "\n".join(lines)
    assert max(len(line) for line in lines) <= 80
    assert "Look after it at home" in lines[0]
    assert "--full" in result.stdout and "--save" in result.stdout
    saved = tmp_path / "plan.txt"
    backspasm("assess", "--answers", str(path), "--save", str(saved))
    text = saved.read_text()
    assert "Look after it at home" in text
    assert "Sources for this advice" in text and "The next 48 hours" in text


def test_not_sure_reasons_name_only_what_was_answered_not_sure(answers_file):
    path = answers_file(_interviewed({**SPASM, "saddle_numbness": "unsure"}))
    out = " ".join(backspasm("assess", "--answers", str(path), "--full").stdout.split())
    assert out.count('You answered "not sure"') == 2  # under the level, and in "Why"
    why = out.split("Why this advice")[1].split("What may be contributing")[0]
    assert "thinner bones" not in why and "breathlessness" not in why


def test_assess_accepts_yaml(tmp_path):
    path = tmp_path / "answers.yaml"
    path.write_text("age: 30\nsex: male\npain_duration_days: 1\npain_severity: 3\nfever: unsure\n")
    result = json.loads(backspasm("assess", "--answers", str(path), "--json").stdout)
    assert "fever" in result["unknown_red_flags"]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"age": 30, "saddle_numb": True}, "saddle_numb: is not a finding"),
        ({"age": "thirty"}, "age: expected a number"),
        ({"pain_severity": 11}, "pain_severity: expected a number from 0 to 10"),
        ({"sex": "other"}, "sex: expected one of female, male"),
        ({"chest_pain": "yes"}, "chest_pain: expected true or false"),
        ({"age": "unsure"}, "age: cannot be answered 'unsure'"),
    ],
)
def test_bad_answers_exit_nonzero_naming_field_and_reason(answers_file, data, expected):
    result = backspasm("assess", "--answers", str(answers_file(data)), check=False)
    assert result.returncode == 2
    assert expected in result.stderr
    assert result.stdout == ""


def test_unreadable_answers_file(tmp_path):
    result = backspasm("assess", "--answers", str(tmp_path / "missing.json"), check=False)
    assert result.returncode == 2 and "cannot read answers" in result.stderr
    path = tmp_path / "list.json"
    path.write_text("[1, 2]")
    result = backspasm("assess", "--answers", str(path), check=False)
    assert result.returncode == 2 and "expected a mapping" in result.stderr


SPEC_KEYS = {
    "cases",
    "exact",
    "under_triage",
    "over_triage",
    "emergency_missed",
    "safe",
    "causes_top3",
    "median_findings_asked",
    "median_screens",
    "per_case",
}
LIFTING = """\
id: lifting-strain-01
narrative: >
  I'm 38. Two weeks ago I lifted boxes and my lower back seized up on the left. It comes in
  spasms. No pain down my legs. Ibuprofen helps a bit. I've had this before and it went away.
facts: {age: 38, sex: male, pain_duration_days: 14, pain_severity: 5, pain_course: improving,
        trigger_lifting: true, muscle_spasms: true, previous_episodes: true}
expected: {disposition: self_care, causes_include: [muscle_strain]}
"""


def eval_json(*args: str) -> dict:
    return json.loads(backspasm("eval", *args, "--json").stdout)


@pytest.mark.parametrize("flags", [(), ("--interview-only",)])
def test_eval_json_follows_the_case_format(flags):
    out = eval_json(str(CASES / "kidney.yaml"), *flags)
    assert set(out) == SPEC_KEYS
    assert set(out["per_case"][0]) == {
        "id",
        "expected",
        "got",
        "findings_asked",
        "screens",
        "findings_volunteered",
        "top_causes",
    }
    assert len(out["per_case"][0]["top_causes"]) == 3


def test_eval_opens_with_the_narrative_by_default(tmp_path):
    case = tmp_path / "lifting.yaml"
    case.write_text(LIFTING)
    [told] = eval_json(str(case))["per_case"]
    [asked] = eval_json(str(case), "--interview-only")["per_case"]
    assert told["got"] == asked["got"] == "self_care"
    assert told["findings_volunteered"] >= 3  # age, duration, lifting, spasms, ...
    assert told["findings_asked"] < asked["findings_asked"]
    assert asked["findings_volunteered"] == 0


def test_eval_interview_only_volunteers_nothing():
    out = eval_json(str(CASES), "--interview-only")
    assert out["cases"] == len(out["per_case"]) > 100
    assert {case["findings_volunteered"] for case in out["per_case"]} == {0}


def test_eval_table_names_its_opening(tmp_path):
    case = tmp_path / "lifting.yaml"
    case.write_text(LIFTING)
    assert "Opening: the case's narrative" in backspasm("eval", str(case)).stdout
    assert "Opening: interview only" in backspasm("eval", str(case), "--interview-only").stdout


def test_eval_can_let_the_reading_stand_uncorrected(tmp_path):
    """--reading-stands takes what the reader makes of the narrative as answered."""
    case = tmp_path / "lifting.yaml"
    case.write_text(LIFTING)
    [stands] = eval_json(str(case), "--reading-stands")["per_case"]
    assert stands["got"] == "self_care"
    assert stands["findings_volunteered"] >= 3
    assert "stands uncorrected" in backspasm("eval", str(case), "--reading-stands").stdout


def test_eval_interview_only_never_loads_the_parser(tmp_path):
    """--interview-only measures the interview alone: spaCy is never imported (made
    unimportable here), and no narrative finding is counted."""
    case = tmp_path / "lifting.yaml"
    case.write_text(LIFTING)
    code = (
        "import sys; sys.modules['spacy'] = None; from backspasm.cli.main import main; "
        f"sys.argv = ['backspasm', 'eval', {str(case)!r}, '--json', '--interview-only']; main()"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["per_case"][0]["findings_volunteered"] == 0


def test_eval_stops_on_a_bad_case(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: bad-01\nfacts: {age: 30}\nexpected: {disposition: self_care}\n")
    result = backspasm("eval", str(bad), check=False)
    assert result.returncode == 2 and "bad-01" in result.stderr and "required" in result.stderr


def test_kb_lint_and_explain():
    assert "clean" in backspasm("kb", "lint").stdout
    out = backspasm("kb", "explain", "cauda_equina_signs").stdout
    assert "fires when: (saddle_numbness or bladder_retention" in out
    assert "Finucane" not in out or "International Framework" in out
    missing = backspasm("kb", "explain", "cauda", check=False)
    assert missing.returncode == 2 and "no rule 'cauda'" in missing.stderr


def test_help_lists_every_command():
    out = backspasm("--help").stdout
    for command in ("assess", "eval", "kb"):
        assert command in out


def _calm(**given: object) -> dict[str, object]:
    from tests.support.knowledge import knowledge

    findings = knowledge().findings
    calm: dict[str, object] = {n: False for n, f in findings.items() if f.type == "bool"}
    return {**calm, "sex": "male", "pain_duration_days": 3, "pain_severity": 4, **given}


def test_assess_for_a_child_says_the_check_is_for_adults_and_gives_no_plan(answers_file):
    out = backspasm("assess", "--answers", str(answers_file(_calm(age=8)))).stdout
    assert "This check is for adults" in out
    assert "child's GP" in out and "111" in out and "Call 999 straight away" in out
    assert "Paracetamol." not in out and "Ibuprofen" not in out and "Not suggested" not in out
    adult = backspasm("assess", "--answers", str(answers_file(_calm(age=30)))).stdout
    assert "This check is for adults" not in adult


def test_assess_for_a_child_with_a_red_flag_leads_with_the_emergency(answers_file):
    out = backspasm(
        "assess", "--answers", str(answers_file(_calm(age=8, bladder_retention=True)))
    ).stdout
    assert out.index("Go to an emergency department now") < out.index("This check is for adults")


def test_a_pregnant_child_sent_for_care_today_is_not_told_to_book_the_gp_in_days(answers_file):
    """Pregnancy review PR-12: two opposite timings on one screen are unsafe."""
    facts = _calm(age=15, sex="female", pregnant=True, abdominal_pain=True)
    out = backspasm("assess", "--answers", str(answers_file(facts))).stdout
    assert "This check is for adults" in out and "Follow the advice above first" in out
    assert "in the next few days" not in out


def test_possible_labour_in_the_terminal_is_one_message_ring_the_maternity_unit(answers_file):
    path = answers_file(
        {
            "age": 30,
            "sex": "female",
            "pain_duration_days": 0.1,
            "pain_severity": 6,
            "pregnant": True,
            "pregnancy_weeks": "20_weeks_or_more",  # labour is a later-pregnancy rule (PR-11)
            "onset_sudden": True,
            "pregnancy_pain_waves": True,
        }
    )
    env = {**os.environ, "BACKSPASM_EMERGENCY_NUMBER": "112", "COLUMNS": "80"}
    out = subprocess.run(
        [sys.executable, "-m", "backspasm", "assess", "--answers", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=True,
    ).stdout
    panel = out.split("Why")[0]
    assert "RING YOUR MATERNITY UNIT NOW" in panel
    assert "Call 112 instead if there is heavy bleeding" in " ".join(panel.replace("│", "").split())
    assert "Call 112" in panel and "CALL 112 NOW" not in panel  # the fallback, not the action
    assert "emergency department" not in out and "as well" not in out
    assert "999" not in out
    assert len(out.splitlines()) <= 40


def test_the_terminal_never_says_999_where_the_number_is_112():
    import io
    import re

    from rich.console import Console

    from backspasm.cli.render_assessment import render_assessment
    from backspasm.engine.answers import validate_answers
    from backspasm.engine.assessment import assess
    from backspasm.evaluation import load_cases
    from backspasm.web.settings import load_settings
    from tests.support.knowledge import knowledge

    kb = knowledge()
    abroad = load_settings({}, emergency_number="112", urgent_number="116117")
    for case in load_cases(kb, sorted(CASES.glob("*.yaml"))):
        result = assess(kb, validate_answers(kb, case.facts))
        console = Console(record=True, width=80, file=io.StringIO())
        render_assessment(kb, result, console, full=True, settings=abroad)
        words = console.export_text().split("Sources for this advice")[0]  # sources may quote
        assert not re.search(r"\b(999|111)\b", words), case.id
        assert "_number}" not in words, case.id


def _calm(**given: object) -> dict[str, object]:
    """A 30-year-old woman who answered every yes/no question no, and the given answers."""
    from tests.support.knowledge import knowledge

    calm: dict[str, object] = {
        n: False for n, f in knowledge().findings.items() if f.type == "bool"
    }
    calm.update(age=30, sex="female", pain_duration_days=2, pain_severity=5)
    calm.update(pain_course="improving", pain_region="lower_back")
    return {**calm, **given}


def test_assess_text_says_why_ibuprofen_is_left_out_when_not_sure_if_pregnant(answers_file):
    """PR-13 on the terminal: the left-out item with the reason for a 'not sure' answer."""
    path = answers_file(_calm(pregnant="unsure"))
    out = " ".join(backspasm("assess", "--answers", str(path), "--full").stdout.split())
    left_out = out.split("Left out of your plan, and why")[1]
    assert (
        "An anti-inflammatory painkiller may help: You are not sure whether you are pregnant"
        in left_out
    )


def test_assess_text_gives_the_maternity_warning_line_whole(answers_file):
    """RR-04 on the terminal: the maternity unit first, the emergency number as its fallback."""
    later = _calm(pregnant=True, pregnancy_weeks="20_weeks_or_more")
    out = " ".join(backspasm("assess", "--answers", str(answers_file(later))).stdout.split())
    line = out.split("baby moving less")[1].split("•")[0]
    assert "Ring your maternity unit now; they will tell you where to go." in line
    assert "If you cannot get through, call 999." in line
    assert "emergency department" not in line
