"""`backspasm check` driven in a real pseudo-terminal: type, wait for the screen, assert on it.

Each test waits for a prompt before typing (no sleeps) and uses generous timeouts, since the
first parse builds the NLP pipeline. The screen text is read without colour codes.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

PROGRAM = shutil.which("backspasm") or str(Path(sys.executable).with_name("backspasm"))
TODAY = "2026-11-21"
TIMEOUT = 60
YES_NO = r"\(y = yes, n = no[^)]*\) > "
CHOICE = r"\(1-\d[^)]*\) > "
NUMBER = r"\(a number [^)]*\) > "
GRID = r"\((\d+) answers in one line[^)]*\) > "
ROW = re.compile(r"^\s+(\d+)\. (.*) \[([^\]]*)\]\s*$", re.M)
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def start(*args: str) -> pexpect.spawn:
    env = {**os.environ, "TERM": "dumb", "NO_COLOR": "1", "COLUMNS": "200"}
    return pexpect.spawn(
        PROGRAM,
        ["check", "--today", TODAY, *args],
        encoding="utf-8",
        timeout=TIMEOUT,
        dimensions=(60, 200),
        env=env,
    )


def describe(child: pexpect.spawn, text: str) -> str:
    child.expect("Tell me what's happening")
    child.expect("> ")
    child.sendline(text)
    child.expect(r"type the numbers to change \(e\.g\. 2 5\): ")
    return plain(child.before)


def plain(text: str | None) -> str:
    return ANSI.sub("", text or "")


def grid_rows(screen: str) -> list[tuple[str, str, str]]:
    """The numbered rows of a grid as (number, question, hint), long lines joined again."""
    return ROW.findall(re.sub(r"\n(?!\s+\d+\. |\n)", " ", screen))


def grid_reply(screen: str, numbers: dict[str, str]) -> str:
    """One line for a grid: "n" to yes/no rows, "1" to choices, `numbers` (matched on the
    question text, else 3) to numbers, in the order the rows are listed."""
    rows = grid_rows(screen)
    tokens = []
    for _, question, hint in rows:
        if hint.startswith("y/n"):
            tokens.append("n")
        elif hint.startswith("1 = "):
            tokens.append("1")
        else:
            tokens.append(next((v for k, v in numbers.items() if k in question), "3"))
    return " ".join(tokens)


def answer_until_result(
    child: pexpect.spawn, numbers: dict[str, str], limit: int = 30
) -> tuple[str, int]:
    """Answer every screen ('no' to yes/no, the first option to choices, `numbers` matched on
    the question text to numbers) until the program ends; return the screen and the count."""
    screens = 0
    while screens < limit:
        index = child.expect([YES_NO, CHOICE, NUMBER, GRID, pexpect.EOF])
        if index == 4:
            return plain(child.before), screens
        screens += 1
        if index == 0:
            child.sendline("n")
        elif index == 1:
            child.sendline("1")
        elif index == 2:
            question = plain(child.before)
            child.sendline(next((v for k, v in numbers.items() if k in question), "3"))
        else:
            reply = grid_reply(plain(child.before), numbers)
            assert len(reply.split()) == int(child.match.group(1)), plain(child.before)
            child.sendline(reply)
    raise AssertionError(f"still asking after {limit} screens")


def test_emergency_path_stops_early_with_a_red_panel() -> None:
    child = start()
    understood = describe(
        child, "I'm 45, since yesterday I can't feel my bum when I wipe and I'm struggling to pee"
    )
    assert "Numbness or altered feeling between the legs" in understood
    assert "Yes" in understood
    child.sendline("")
    screen, screens = answer_until_result(child, {})
    assert "EMERGENCY" in screen
    assert "Go to an emergency department now." in screen
    assert screen.index("EMERGENCY") < screen.index("Why")  # the care level comes first
    assert screens <= 4, f"an emergency should stop the interview early, took {screens}"
    child.close()
    assert child.exitstatus == 0


def test_self_care_path_asks_only_what_remains() -> None:
    child = start()
    understood = describe(
        child,
        "I'm 34, male, lifted boxes two days ago and my lower back went into spasm, "
        "about 5/10 and getting better. No pain down my legs, no numbness, "
        "no fever, bladder and bowels normal.",
    )
    assert "Age in whole years: 34 years" in understood
    child.sendline("")
    screen, screens = answer_until_result(child, {"How old": "34"})
    assert "How old are you?" not in screen  # already understood from the description
    assert screens <= 10
    assert "You can look after this at home" in screen
    assert "EMERGENCY" not in screen
    child.close()
    assert child.exitstatus == 0


def test_correcting_an_understood_finding() -> None:
    child = start()
    understood = describe(child, "I'm 41 and my back went into spasm on Tuesday")
    line = next(line for line in understood.splitlines() if "Age in whole years" in line)
    number = line.strip().split(".")[0]
    child.sendline(number)
    child.expect("How old are you?")
    child.expect(NUMBER)
    child.sendline("52")
    child.expect(r"type the numbers to change")
    assert "Age in whole years: 52 years" in plain(child.before)
    child.sendcontrol("c")
    child.expect(pexpect.EOF)


def test_a_grid_is_answered_in_one_line_with_back_none_and_not_sure() -> None:
    child = start()
    child.expect("Tell me what's happening")
    child.expect("> ")
    child.sendline("")  # skip the description: straight to the questions
    child.expect(r"Step 1 of about \d+")
    child.expect(GRID)
    first = plain(child.before)
    assert "Is any of this happening to you now?" in first
    assert [number for number, _, _ in grid_rows(first)] == ["1", "2", "3", "4", "5"]
    child.sendline("b")
    child.expect("There is no earlier step to go back to.")
    child.expect(GRID)
    child.sendline("n n")
    child.expect("Please give 5 answers")
    child.expect(GRID)
    child.sendline("none")  # this screen allows "None of these"
    child.expect(r"Step 2 of about \d+")
    child.expect(GRID)
    assert "How old are you?" in plain(child.before)
    child.sendline("b")  # back: the first screen again, whole
    child.expect(r"Step 1 of about \d+")
    child.expect(GRID)
    child.sendline("nnnnn")  # five yes/no answers may be typed without spaces
    child.expect(r"Step 2 of about \d+")
    child.expect(GRID)
    child.sendline("40 2 3 5 2 1 n")
    # keep answering until a grid offers "not sure", and use it on that row
    for _ in range(12):
        index = child.expect([GRID, YES_NO, CHOICE, NUMBER])
        screen = plain(child.before)
        if index == 0 and "y/n/?" in screen:
            rows = grid_rows(screen)
            tokens = grid_reply(screen, {}).split()
            unsure = next(i for i, (_, _, hint) in enumerate(rows) if hint == "y/n/?")
            tokens[unsure] = "?"
            if "Since the back pain started" in screen:
                child.sendline("none")  # never offered for the cauda equina questions
                child.expect("need their own answer")
                child.expect(GRID)
            child.sendline(" ".join(tokens))
            break
        child.sendline(grid_reply(screen, {}) if index == 0 else "n" if index == 1 else "1")
    else:
        raise AssertionError("no grid offered 'not sure'")
    index = child.expect([r"Step \d+ of about", pexpect.EOF])
    assert "Please give" not in plain(child.before)  # "?" was accepted as that row's answer
    child.sendcontrol("c")
    child.expect(pexpect.EOF)


def test_ctrl_c_leaves_cleanly_with_code_130() -> None:
    child = start()
    child.expect("Tell me what's happening")
    child.expect("> ")
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    screen = plain(child.before)
    child.close()
    assert "Stopped - nothing was saved." in screen
    assert "Traceback" not in screen
    assert child.exitstatus == 130


def test_text_and_answers_files_ask_nothing_and_print_json(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text("sex: male\npain_severity: 4\n")
    result = subprocess.run(
        [
            PROGRAM,
            "check",
            "--json",
            "--today",
            TODAY,
            "--answers",
            str(answers),
            "--text",
            "I'm 30 and my back went lifting a box yesterday, no numbness",
        ],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        stdin=subprocess.DEVNULL,
        check=True,
    )
    data = json.loads(result.stdout)
    assert data["answers"]["age"] == 30
    assert data["answers"]["trigger_lifting"] is True
    assert data["answers"]["pain_severity"] == 4
    # nothing was asked, so the red flags the text did not mention stay unknown
    assert data["unknown_red_flags"]
    assert "Tell me what's happening" not in result.stdout + result.stderr


@pytest.mark.parametrize("text", ["my mother had saddle numbness"])
def test_text_about_someone_else_is_not_taken_as_the_person(text: str) -> None:
    child = start("--text", text)
    child.expect(r"Step 1 of about \d+")
    assert "Here is what I understood" not in plain(child.before)
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
