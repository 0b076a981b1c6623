"""`backspasm check`: the interview in a terminal.

It opens with "Tell me what's happening", shows what it understood from the description as a
numbered list to accept or correct, then asks only what remains, one question at a time, with
the engine's `next_questions`. Typing `b` goes back one question; "I'm not sure" is offered
where the question allows it. The result screen is `render_text.render_assessment`.

Input and output are a Rich console and a line reader, so the same code serves a person at a
terminal and a test driving it in a pseudo-terminal. Nothing is stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

from rich.console import Console
from rich.markup import escape

from backspasm.engine.answers import UNSURE, AnswerError, Answers, AnswerValue, validate_answers
from backspasm.engine.interview import Question, next_questions, question_for
from backspasm.engine.knowledge_base import KnowledgeBase

BACK = object()  # the person asked to go back one question
YES = {"y", "yes", "yeah", "yep"}
NO = {"n", "no", "nope"}
NOT_SURE = {"?", "u", "unsure", "not sure", "i'm not sure", "dont know", "don't know"}
BACK_WORDS = {"b", "back", "undo"}

ReadLine = Callable[[str], str]


class TerminalInterview:
    """One interview: the answers so far and the order they were given in (for going back)."""

    def __init__(self, kb: KnowledgeBase, console: Console, read: ReadLine) -> None:
        self.kb = kb
        self.out = console
        self.read = read
        self.answers: Answers = {}
        self.history: list[str] = []

    # --- the description ------------------------------------------------------------------
    def take_description(self, text: str, today: dt.date, confirm: bool) -> None:
        from backspasm.text.reading import parse_text

        if confirm:
            self.out.print("[dim]Reading your description...[/dim]")
        parsed = parse_text(text, today, self.kb)
        understood = _valid(self.kb, parsed.findings)
        doubtful = [self.kb.findings[name].means for name in parsed.uncertain]
        if not understood:
            self.out.print("I could not pick out any answers from that; I'll ask instead.")
            return
        self.answers.update(understood)
        self.show_understood()
        if doubtful:
            self.out.print(
                "[dim]You sounded unsure about: "
                f"{escape('; '.join(doubtful))}. I'll ask about that.[/dim]"
            )
        if confirm:
            self.confirm()

    def show_understood(self) -> None:
        from backspasm.cli.render_parse import value_label

        self.out.print("\n[bold]Here is what I understood:[/bold]")
        for number, (name, value) in enumerate(self.answers.items(), start=1):
            finding = self.kb.findings[name]
            self.out.print(
                f"  {number}. {escape(finding.means.capitalize())}: "
                f"[bold]{escape(_label(self.kb, name, value, value_label))}[/bold]"
            )

    def confirm(self) -> None:
        while True:
            reply = self.read(
                "Press Enter if that is right, or type the numbers to change (e.g. 2 5): "
            ).strip()
            if not reply:
                return
            names = list(self.answers)
            picked = [int(part) for part in reply.replace(",", " ").split() if part.isdigit()]
            if not picked or any(not 1 <= number <= len(names) for number in picked):
                self.out.print(
                    f"[red]Type numbers from 1 to {len(names)}, or just press Enter.[/red]"
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
        asked = 0
        while True:
            step = next_questions(self.kb, self.answers)
            if step.done:
                return
            question = step.questions[0]
            number = asked + 1
            self.out.print(
                f"\n[dim]Question {number} of about "
                f"{number + max(step.remaining_estimate - 1, 0)}[/dim]"
            )
            answer = self.ask(question, allow_back=True)
            if answer is BACK:
                if not self.history:
                    self.out.print("[yellow]There is no earlier question to go back to.[/yellow]")
                    continue
                previous = self.history.pop()
                del self.answers[previous]
                asked -= 1
                continue
            assert isinstance(answer, bool | int | float | str)
            self.answers[question.id] = answer
            self.history.append(question.id)
            asked += 1

    def ask(self, question: Question, allow_back: bool) -> AnswerValue | object | None:
        """Ask until the reply fits; returns the value, UNSURE, or BACK."""
        self.out.print(f"[bold]{escape(question.text)}[/bold]")
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


def _label(
    kb: KnowledgeBase,
    name: str,
    value: AnswerValue,
    value_label: Callable[[KnowledgeBase, str, AnswerValue], str],
) -> str:
    return "Not sure" if value == UNSURE else value_label(kb, name, value)


def _hints(question: Question, allow_back: bool) -> str:
    if question.type == "bool":
        parts = ["y = yes", "n = no"]
    elif question.type == "choice":
        parts = [f"1-{len(question.options)}"]
    else:
        unit = f" {question.unit}" if question.unit else ""
        parts = [f"a number {question.min:g}-{question.max:g}{unit}"]
    if question.unsure_allowed:
        parts.append("? = I'm not sure")
    if allow_back:
        parts.append("b = back")
    return "(" + ", ".join(parts) + ")"


def _read_answer(question: Question, reply: str) -> tuple[AnswerValue | None, str]:
    if question.type == "bool":
        if reply in YES:
            return True, ""
        if reply in NO:
            return False, ""
        return None, "Please answer y or n" + (
            ", or ? if you are not sure." if question.unsure_allowed else "."
        )
    if question.type == "choice":
        if reply.isdigit() and 1 <= int(reply) <= len(question.options):
            return question.options[int(reply) - 1].value, ""
        for option in question.options:
            if reply in (option.value.replace("_", " "), option.label.lower()):
                return option.value, ""
        return None, f"Please type a number from 1 to {len(question.options)}."
    try:
        number = float(reply)
    except ValueError:
        return None, "Please type a number."
    assert question.min is not None and question.max is not None
    if not question.min <= number <= question.max:
        return None, f"Please type a number from {question.min:g} to {question.max:g}."
    if question.type == "int":
        if not number.is_integer():
            return None, "Please type a whole number."
        return int(number), ""
    return (int(number) if number.is_integer() else number), ""


def _valid(kb: KnowledgeBase, findings: Mapping[str, object]) -> Answers:
    """Keep the parsed values the engine accepts (the parser keeps to the bounds already)."""
    clean: Answers = {}
    for name, value in findings.items():
        try:
            clean.update(validate_answers(kb, {name: value}))
        except AnswerError:
            continue
    return clean
