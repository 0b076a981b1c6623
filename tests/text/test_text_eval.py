"""Scoring of the parser on annotated text, and the figures the project promises."""

from __future__ import annotations

from pathlib import Path

import pytest

from backspasm.text.scoring import (
    TextCase,
    TextCaseError,
    load_text_cases,
    score_text_cases,
)
from tests.support.knowledge import knowledge, reader

KB = knowledge()
CASES = Path(__file__).resolve().parents[2] / "cases" / "text"


def case(text: str, findings: dict[str, object], uncertain: list[str] | None = None) -> TextCase:
    return TextCase.model_validate(
        {"id": "t", "text": text, "findings": findings, "uncertain": uncertain or []}
    )


def test_exact_values_count_and_a_wrong_value_is_a_miss_and_an_extra() -> None:
    right = score_text_cases(reader(), "s", [case("I'm 38, no fever", {"age": 38, "fever": False})])
    assert right.overall.figures()["f1"] == 1.0
    wrong = score_text_cases(reader(), "s", [case("I'm 38, no fever", {"age": 39, "fever": False})])
    assert (wrong.overall.tp, wrong.overall.fp, wrong.overall.fn) == (1, 1, 1)
    assert wrong.groups["who"].figures()["recall"] == 0.0


def test_uncertain_is_scored_and_false_for_it_is_counted() -> None:
    report = score_text_cases(
        reader(), "s", [case("not sure if I have a temperature", {}, ["fever"])]
    )
    assert report.overall.figures()["f1"] == 1.0
    report = score_text_cases(reader(), "s", [case("no temperature", {}, ["fever"])])
    assert report.uncertain_as_false == 1
    assert report.red_flags.figures()["recall"] == 0.0


def test_raised_red_flags_are_scored_apart_from_denied_ones() -> None:
    texts = [
        case("I can't feel my bum when I wipe", {"saddle_numbness": True}),
        case("maybe a fever", {}, ["fever"]),
        case("I have never wet myself", {"bladder_incontinence": False}),
        case("my back hurts", {"bowel_incontinence": False}),  # a denial the text does not give
    ]
    report = score_text_cases(reader(), "s", texts)
    assert (report.raised.tp, report.raised.fn) == (2, 0)
    assert (report.red_flags.tp, report.red_flags.fn) == (3, 1)
    assert report.to_json()["raised_red_flag_recall"] == 1.0


def test_a_part_is_scored_as_the_spec_finding_it_belongs_to() -> None:
    """Annotations use the shared vocabulary, where feeling faint is part of fainting_or_collapse."""
    text = "I feel really light-headed and the pain is in my back"
    assert reader().kb.findings["feels_faint"].part_of == "fainting_or_collapse"
    report = score_text_cases(reader(), "s", [case(text, {"fainting_or_collapse": True})])
    assert (report.overall.tp, report.overall.fp, report.overall.fn) == (1, 0, 0)


def test_our_own_findings_count_only_in_a_set_that_names_them() -> None:
    """A set annotated in the shared vocabulary could not name `takes_steroids_or_ssri`."""
    text = "I've been on prednisolone for years"
    spec_words = [case(text, {"long_term_steroids": True})]
    report = score_text_cases(reader(), "s", spec_words)
    assert (report.overall.tp, report.overall.fp) == (1, 0)
    ours = [*spec_words, case("on sertraline", {"takes_steroids_or_ssri": True})]
    report = score_text_cases(reader(), "s", ours)
    assert (report.overall.tp, report.overall.fp) == (2, 1)  # the first now counts against


def test_a_bad_case_file_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("- {id: x, text: hi, findings: {fever: maybe}}\n")
    with pytest.raises(TextCaseError, match="fever"):
        load_text_cases(KB, [bad])
    bad.write_text("- {id: x, text: hi, findings: {}, surprise: 1}\n")
    with pytest.raises(TextCaseError, match="surprise"):
        load_text_cases(KB, [bad])


def test_enough_annotated_sentences_and_heldout_kept_apart() -> None:
    tuning = load_text_cases(KB, [p for p in CASES.glob("*.yaml") if p.name != "heldout.yaml"])
    heldout = load_text_cases(KB, [CASES / "heldout.yaml"])
    assert len(tuning) >= 170
    assert not {c.id for c in tuning} & {c.id for c in heldout}


# written by people who had not seen the lexicon (the second set, and the third set's three writers)
WRITTEN = "written-blind-tuning.yaml"
WRITTEN_THIRD = "written-blind-tuning-3.yaml"
WRITTEN_FOURTH = "written-blind-tuning-4.yaml"


@pytest.mark.parametrize(
    ("files", "min_f1", "min_red_flag_recall"),
    [
        ("tuning", 0.95, 0.95),
        ("heldout", 0.90, 0.90),
        # its writer reads "peeing fine" as denying loss of bladder control too, which the
        # clinical review (TR-05) does not: those pairs stay unknown by design
        ("written", 0.90, 0.85),
        ("written third", 0.90, 0.92),
        ("written fourth", 0.88, 0.84),
    ],
)
def test_figures_stay_at_the_targets(files: str, min_f1: float, min_red_flag_recall: float) -> None:
    paths = {
        "heldout": [CASES / "heldout.yaml"],
        "written": [CASES / WRITTEN],
        "written third": [CASES / WRITTEN_THIRD],
        "written fourth": [CASES / WRITTEN_FOURTH],
        "tuning": [
            p
            for p in CASES.glob("*.yaml")
            if p.name not in ("heldout.yaml", WRITTEN, WRITTEN_THIRD, WRITTEN_FOURTH)
        ],
    }[files]
    report = score_text_cases(reader(), files, load_text_cases(KB, paths))
    assert report.overall.figures()["f1"] >= min_f1
    assert report.red_flags.figures()["recall"] >= min_red_flag_recall
    assert report.uncertain_as_false == 0
