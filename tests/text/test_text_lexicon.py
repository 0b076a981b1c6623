"""The lexicon loader is strict, and the phrase notation means what its docstring says."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import yaml

from backspasm.text.lexicon import LexiconError, lexicon_text, load_lexicon
from backspasm.text.mentions import find_mentions
from backspasm.text.patterns import PhraseError, compile_phrase
from tests.support.knowledge import knowledge

KB = knowledge()


def packaged() -> dict[str, object]:
    data = yaml.safe_load(lexicon_text())
    assert isinstance(data, dict)
    return data


def load(data: dict[str, object]) -> None:
    load_lexicon(KB.findings, yaml.safe_dump(data))


def test_the_packaged_lexicon_loads_and_covers_every_finding() -> None:
    lexicon = load_lexicon(KB.findings)
    assert set(lexicon.entries) == set(KB.findings)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda d: d["findings"].update(not_a_finding={"present": ["x"]}), "not a finding id"),
        (lambda d: d["findings"]["fever"].update(colour=["red"]), "colour"),
        (lambda d: d.update(extra={}), "extra"),
        (lambda d: d["findings"]["fever"].update(options={"yes": ["x"]}), "yes/no finding"),
        (lambda d: d["findings"]["sex"]["options"].update(other=["x"]), "'other' is not one of"),
        (lambda d: d["findings"]["age"].update(present=["old"]), "numeric finding"),
        (lambda d: d["findings"]["fever"].update(present=["(hot|cold"]), "unbalanced"),
        (lambda d: d["findings"]["fever"].update(present=["{nope} degrees"]), "unknown slot"),
        (lambda d: d["context"]["negated"]["forward"].append("(no|not)"), "plain lower-case"),
        (lambda d: d["findings"].update(fever={}), "needs present"),
        (lambda d: d["findings"]["fever"].update(only_with=["age"]), "only_with age"),
    ],
)
def test_a_bad_lexicon_is_refused_with_the_reason(change: object, problem: str) -> None:
    data = packaged()
    change(data)  # type: ignore[operator]
    with pytest.raises(LexiconError) as error:
        load(data)
    assert problem in str(error.value)


NOTATION = [
    ("numb between [my|the] legs", ["numb between legs", "numb between my legs"], ["numb legs"]),
    ("(can't|cannot) feel", ["can't feel", "cant feel", "CANNOT feel"], ["can feel"]),
    ("tingl*", ["tingling", "tingly"], ["atingle"]),
    ("pain ... leg", ["pain down my left leg", "pain leg"], ["pain is not in my leg"]),
    ("pins and needles", ["pins-and-needles", "pins, and needles"], ["pinsandneedles"]),
    ("non-smoker", ["nonsmoker", "non smoker", "non-smoker"], ["smoker"]),
]


@pytest.mark.parametrize(("phrase", "matches", "misses"), NOTATION)
def test_notation(phrase: str, matches: list[str], misses: list[str]) -> None:
    regex = re.compile(compile_phrase(phrase), re.IGNORECASE)
    for text in matches:
        assert regex.search(text), (phrase, text)
    for text in misses:
        assert not regex.search(text), (phrase, text)


def test_a_phrase_needs_a_required_word_and_gaps_between_words() -> None:
    with pytest.raises(PhraseError):
        compile_phrase("[only optional]")
    with pytest.raises(PhraseError):
        compile_phrase("... leading gap")


def test_a_finding_written_twice_in_the_lexicon_is_refused() -> None:
    text = lexicon_text()
    entry = text[text.index("\n  asthma:\n") :]
    with pytest.raises(LexiconError) as error:
        load_lexicon(KB.findings, text + entry)
    assert any("duplicate key 'asthma'" in problem for problem in error.value.problems)


def test_a_mention_runs_as_far_as_the_longest_phrase_that_matches_there() -> None:
    # written first, the longer pattern matches less: the union alone would stop at "no problems
    # with wee" and lose the words that name the bowels too
    data = packaged()
    data["findings"]["bladder_retention"] = {  # type: ignore[index]
        "present": ["retention"],
        "absent": [
            "no (problems|issues|trouble|difficulty|changes) (with wee|with pee)",
            "no problems with wee or poo",
        ],
    }
    lexicon = load_lexicon(KB.findings, yaml.safe_dump(data))
    text = "no problems with wee or poo, legs fine"
    words = [
        m.words
        for m in find_mentions(lexicon, text, dt.date(2026, 11, 30))
        if m.finding == "bladder_retention"
    ]
    assert words == ["no problems with wee or poo"]
