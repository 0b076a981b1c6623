"""Questions about someone else: "Have you had a fever?" asked as "Has he had a fever?".

The words come from the knowledge (`about_someone_else:` in findings.yaml, a table a reviewer
can read, and `question_about` on a finding the table cannot reword). Each rule replaces whole
words, in order, at most once per place in the text; pronouns are filled in last, so a rule's
output is never reworded again.
"""

from __future__ import annotations

import re
from typing import Literal

from backspasm.engine.knowledge_base import KnowledgeBase

Pronoun = Literal["he", "she", "they"]
FORMS: dict[str, dict[str, str]] = {
    "he": {"p": "he", "o": "him", "s": "his", "r": "himself"},
    "she": {"p": "she", "o": "her", "s": "her", "r": "herself"},
    "they": {"p": "they", "o": "them", "s": "their", "r": "themselves"},
}


def about(kb: KnowledgeBase, finding_id: str, pronoun: Pronoun | str) -> str:
    """The finding's question, asked about a person called `pronoun` ("" or "you": unchanged)."""
    finding = kb.findings[finding_id]
    if pronoun not in FORMS:
        return finding.question
    if finding.question_about:
        text = _fill(finding.question_about, pronoun)
        return text[:1].upper() + text[1:]
    return reword(kb, finding.question, pronoun)


def reword(kb: KnowledgeBase, text: str, pronoun: str) -> str:
    rules = kb.rewording
    if not rules:
        return text
    pattern = re.compile(
        "|".join(
            rf"(?<![\w'])(?P<r{i}>{re.escape(rule.you)})(?![\w'])" for i, rule in enumerate(rules)
        )
    )

    def replace(match: re.Match[str]) -> str:
        rule = rules[int(next(name for name, v in match.groupdict().items() if v)[1:])]
        out = _fill(rule.many if pronoun == "they" else rule.one, pronoun)
        return out[:1].upper() + out[1:] if match.group(0)[:1].isupper() else out

    return pattern.sub(replace, text)


def _fill(template: str, pronoun: str) -> str:
    forms = FORMS[pronoun]
    return re.sub(r"\{([posr])\}", lambda m: forms[m.group(1)], template)


def heading(kb: KnowledgeBase, text: str, pronoun: str) -> str:
    """A screen's heading or note about someone else, when the table rewords all of it; a
    half-reworded line ("Your belly and his pee") is worse than none, so it stays as written."""
    if pronoun not in FORMS:
        return text
    worded = reword(kb, text, pronoun)
    return (
        text if re.search(r"(?<![\w'])(you|your|yours|yourself)(?![\w'])", worded, re.I) else worded
    )
