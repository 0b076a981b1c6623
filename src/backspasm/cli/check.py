"""`backspasm check`: the interview in a terminal.

It opens with "Tell me what's happening", shows what it understood from the description as a
numbered list to accept or correct, then asks only what remains, screen by screen, with the
engine's `next_screen`: a grid of related questions is a numbered list answered in one line
(`y n n ? n`, or `none` where the screen allows it), every question with its own answer.
Typing `b` goes back one screen; "I'm not sure" (`?`) is offered where the question allows
it. The result screen is `render_text.render_assessment`.

Input and output are a Rich console and a line reader, so the same code serves a person at a
terminal and a test driving it in a pseudo-terminal. Nothing is stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape

from backspasm.engine import wording
from backspasm.engine.answers import UNSURE, Answers, AnswerValue
from backspasm.engine.interview import Question, question_for
from backspasm.engine.knowledge_base import KnowledgeBase
from backspasm.engine.screens import Screen, next_screen
from backspasm.messages import message

if TYPE_CHECKING:  # pragma: no cover
    from backspasm.text.reading import Reader

BACK = object()  # the person asked to go back one question
YES = {"y", "yes", "yeah", "yep"}
NO = {"n", "no", "nope"}
NOT_SURE = {"?", "u", "unsure", "not sure", "i'm not sure", "dont know", "don't know"}
BACK_WORDS = {"b", "back", "undo"}
NONE_WORDS = {"none", "none of these"}

ReadLine = Callable[[str], str]


class TerminalInterview:
    """One interview: the answers so far and the order they were given in (for going back)."""

    def __init__(self, kb: KnowledgeBase, console: Console, read: ReadLine) -> None:
        self.kb = kb
        self.out = console
        self.read = read
        self.answers: Answers = {}
        self.history: list[list[str]] = []  # the findings each screen answered, in order
        self.about = ""  # "he", "she" or "they" when the description is about someone else

    # --- the description ------------------------------------------------------------------
    def take_description(self, text: str, today: dt.date, reader: Reader, confirm: bool) -> None:
        from backspasm.text.reading import parse_text

        if confirm:
            self.out.print(f"[dim]{message('terminal', 'reading')}[/dim]")
        parsed = parse_text(text, today, reader)
        if parsed.subject.other:
            self.about = parsed.subject.pronoun or "they"
        understood = parsed.answers(self.kb)
        # a red flag the text denied is asked again on its own, never taken as read
        doubtful = [
            self.kb.findings[n].means for n in [*parsed.uncertain, *parsed.to_confirm(self.kb)]
        ]
        if not understood:
            self.out.print(message("terminal", "nothing_understood"))
            return
        self.answers.update(understood)
        self.show_understood()
        if doubtful:
            checks = message("understood", "check_with_you", what="; ".join(doubtful))
            self.out.print(f"[dim]{escape(checks)}[/dim]")
        if confirm:
            self.confirm()

    def show_understood(self) -> None:
        from backspasm.cli.render_parse import value_label

        self.out.print(f"\n[bold]{message('terminal', 'understood')}[/bold]")
        for number, (name, value) in enumerate(self.answers.items(), start=1):
            finding = self.kb.findings[name]
            self.out.print(
                f"  {number}. {escape(finding.means.capitalize())}: "
                f"[bold]{escape(_label(self.kb, name, value, value_label))}[/bold]"
            )

    def confirm(self) -> None:
        while True:
            reply = self.read(message("terminal", "confirm") + " ").strip()
            if not reply:
                return
            names = list(self.answers)
            picked = [int(part) for part in reply.replace(",", " ").split() if part.isdigit()]
            if not picked or any(not 1 <= number <= len(names) for number in picked):
                self.out.print(
                    f"[red]{message('terminal', 'confirm_again', count=len(names))}[/red]"
                )
                continue
            for number in picked:
                name = names[number - 1]
                answer = self.ask(question_for(self.kb, name, "about_you"), allow_back=False)
                if answer is None or answer is BACK:
                    continue
                assert isinstance(answer, bool | int | float | str)
                self.answers[name] = answer
            self.show_understood()

    # --- the questions ------------------------------------------------------------------
    def ask_the_rest(self) -> None:
        """Screen after screen: a grid is a numbered list answered in one line."""
        while True:
            step = next_screen(self.kb, self.answers, len(self.history))
            if step.screen is None:
                return
            progress = message("interview", "progress", number=step.number, total=step.estimate)
            self.out.print(f"\n[dim]{progress}[/dim]")
            reply = self.ask_screen(step.screen, allow_back=True)
            if reply is BACK:
                if not self.history:
                    self.out.print(f"[yellow]{message('terminal', 'no_earlier_step')}[/yellow]")
                    continue
                for name in self.history.pop():
                    del self.answers[name]
                continue
            assert isinstance(reply, dict)
            self.answers.update(reply)
            self.history.append(list(reply))

    def ask_screen(self, screen: Screen, allow_back: bool) -> Answers | object:
        """Every row of the screen, answered by the person; or BACK."""
        if not screen.grid:
            (question,) = screen.questions
            answer = self.ask(question, allow_back)
            if answer is BACK:
                return BACK
            assert isinstance(answer, bool | int | float | str)
            return {question.id: answer}
        self.out.print(
            f"[bold]{escape(wording.heading(self.kb, screen.heading, self.about))}[/bold]"
        )
        self.out.print(f"[dim]{escape(wording.heading(self.kb, screen.why, self.about))}[/dim]")
        for number, question in enumerate(screen.questions, start=1):
            self.out.print(
                f"  {number}. {escape(self.worded(question))} {escape(_row_hint(question))}"
            )
        prompt = _grid_prompt(screen, allow_back)
        while True:
            reply = self.read(prompt).strip().lower()
            if allow_back and reply in BACK_WORDS:
                return BACK
            answers, problem = _read_grid(screen, reply)
            if problem:
                self.out.print(f"[red]{escape(problem)}[/red]")
                continue
            return answers

    def worded(self, question: Question) -> str:
        """The question as this person reads it: about them, or about someone else."""
        return wording.about(self.kb, question.id, self.about) if self.about else question.text

    def ask(self, question: Question, allow_back: bool) -> AnswerValue | object | None:
        """Ask until the reply fits; returns the value, UNSURE, or BACK."""
        self.out.print(f"[bold]{escape(self.worded(question))}[/bold]")
        if question.help:
            self.out.print(f"[dim]{escape(question.help)}[/dim]")
        hints = _hints(question, allow_back)
        for number, option in enumerate(question.options, start=1):
            self.out.print(f"  {number}. {escape(option.label)}")
        while True:
            reply = self.read(f"{hints} > ").strip().lower()
            if allow_back and reply in BACK_WORDS:
                return BACK
            if question.unsure_allowed and reply in NOT_SURE:
                return UNSURE
            value, problem = _read_answer(question, reply)
            if problem:
                self.out.print(f"[red]{problem}[/red]")
                continue
            return value


def _row_hint(question: Question) -> str:
    """What a row accepts, after its question: [y/n/?], [1 = Female, 2 = Male], [0-120 years]."""
    unsure = "/?" if question.unsure_allowed else ""
    if question.type == "bool":
        return f"[y/n{unsure}]"
    if question.type == "choice":
        options = ", ".join(f"{n} = {o.label}" for n, o in enumerate(question.options, start=1))
        if unsure:
            label = (question.unsure_label or message("answer_words", "not_sure")).lower()
            options += ", " + message("terminal", "key_unsure", label=label)
        return f"[{options}]"
    unit = f" {question.unit}" if question.unit else ""
    return f"[{question.min:g}-{question.max:g}{unit}]"


def _grid_prompt(screen: Screen, allow_back: bool) -> str:
    parts = [message("terminal", "grid_answers", count=len(screen.questions))]
    if all(question.type == "bool" for question in screen.questions):
        parts[0] += ", " + message(
            "terminal", "grid_example", example=" ".join(_example(screen.questions))
        )
    if screen.none_of_these:
        parts.append(message("terminal", "key_none"))
    if allow_back:
        parts.append(message("terminal", "key_back"))
    return "(" + "; ".join(parts) + ") > "


def _example(questions: tuple[Question, ...]) -> list[str]:
    """An example line: yes to the first, "?" to the last that offers it, no to the rest."""
    tokens = ["y"] + ["n"] * (len(questions) - 1)
    unsure = [index for index, question in enumerate(questions) if question.unsure_allowed]
    if unsure and unsure[-1] > 0:
        tokens[unsure[-1]] = "?"
    return tokens


def _read_grid(screen: Screen, reply: str) -> tuple[Answers, str]:
    """One line of answers for a grid: a token per row, in order; or "none" where allowed."""
    questions = screen.questions
    if reply in NONE_WORDS:
        if not screen.none_of_these:
            return {}, message("terminal", "grid_no_none")
        return {question.id: False for question in questions}, ""
    tokens = reply.replace(",", " ").split()
    if (
        len(tokens) == 1
        and len(tokens[0]) == len(questions)
        and all(question.type == "bool" for question in questions)
    ):
        tokens = list(tokens[0])  # "ynn?n" for five yes/no questions
    if len(tokens) != len(questions):
        return {}, message("terminal", "grid_count", count=len(questions), given=len(tokens))
    answers: Answers = {}
    for number, (question, token) in enumerate(zip(questions, tokens, strict=True), start=1):
        if token in NOT_SURE:
            if not question.unsure_allowed:
                return {}, message("terminal", "grid_unsure_not_offered", number=number)
            answers[question.id] = UNSURE
            continue
        value, problem = _read_answer(question, token)
        if problem:
            return {}, message("terminal", "grid_row_problem", number=number, problem=problem)
        assert value is not None
        answers[question.id] = value
    return answers, ""


def _label(
    kb: KnowledgeBase,
    name: str,
    value: AnswerValue,
    value_label: Callable[[KnowledgeBase, str, AnswerValue], str],
) -> str:
    if value == UNSURE:
        return kb.findings[name].unsure_label or message("interview", "not_sure")
    return value_label(kb, name, value)


def _hints(question: Question, allow_back: bool) -> str:
    if question.type == "bool":
        parts = [message("terminal", "key_yes"), message("terminal", "key_no")]
    elif question.type == "choice":
        parts = [f"1-{len(question.options)}"]
    else:
        unit = f" {question.unit}" if question.unit else ""
        parts = [
            message("terminal", "key_number", range=f"{question.min:g}-{question.max:g}{unit}")
        ]
    if question.unsure_allowed:
        label = question.unsure_label or message("terminal", "im_not_sure")
        parts.append(message("terminal", "key_unsure", label=label))
    if allow_back:
        parts.append(message("terminal", "key_back"))
    return "(" + ", ".join(parts) + ")"


def _read_answer(question: Question, reply: str) -> tuple[AnswerValue | None, str]:
    if question.type == "bool":
        if reply in YES:
            return True, ""
        if reply in NO:
            return False, ""
        if question.unsure_allowed:
            return None, message("terminal", "yes_no_or_unsure")
        return None, message("terminal", "yes_no")
    if question.type == "choice":
        if reply.isdigit() and 1 <= int(reply) <= len(question.options):
            return question.options[int(reply) - 1].value, ""
        for option in question.options:
            if reply in (option.value.replace("_", " "), option.label.lower()):
                return option.value, ""
        return None, message("terminal", "number_range", low=1, high=len(question.options))
    try:
        number = float(reply)
    except ValueError:
        return None, message("terminal", "a_number")
    assert question.min is not None and question.max is not None
    if not question.min <= number <= question.max:
        return None, message(
            "terminal", "number_range", low=f"{question.min:g}", high=f"{question.max:g}"
        )
    if question.type == "int":
        if not number.is_integer():
            return None, message("terminal", "whole_number")
        return int(number), ""
    return (int(number) if number.is_integer() else number), ""
