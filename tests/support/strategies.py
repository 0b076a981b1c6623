"""Hypothesis strategies that build valid answer sets from the real knowledge base."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from backspasm.engine.answers import UNSURE
from backspasm.engine.knowledge_base import KnowledgeBase


def value_for(kb: KnowledgeBase, name: str) -> st.SearchStrategy[Any]:
    finding = kb.findings[name]
    if finding.type == "bool":
        base: st.SearchStrategy[Any] = st.booleans()
    elif finding.type == "choice":
        base = st.sampled_from(finding.options)
    elif finding.type == "int":
        base = st.integers(int(finding.min or 0), int(finding.max or 0))
    else:
        base = st.floats(finding.min or 0, finding.max or 0, allow_nan=False)
    return st.one_of(base, st.just(UNSURE)) if finding.unsure else base


def answer_sets(kb: KnowledgeBase, required: bool = True) -> st.SearchStrategy[dict[str, Any]]:
    """Required findings always answered; every other finding absent, unsure or a value."""
    fixed = {name: value_for(kb, name) for name, f in kb.findings.items() if f.required}
    optional = {name: value_for(kb, name) for name, f in kb.findings.items() if not f.required}
    return st.fixed_dictionaries(fixed if required else {}, optional=optional)


def case_facts(kb: KnowledgeBase) -> st.SearchStrategy[dict[str, Any]]:
    """Facts as an evaluation case gives them: no "unsure", a sparse set of yes answers."""
    fixed = {
        name: value_for(kb, name).filter(lambda v: v != UNSURE)
        for name, f in kb.findings.items()
        if f.required
    }
    flags = [name for name, f in kb.findings.items() if f.type == "bool"]
    return st.tuples(
        st.fixed_dictionaries(fixed), st.lists(st.sampled_from(flags), max_size=6, unique=True)
    ).map(lambda pair: {**pair[0], **{name: True for name in pair[1]}})
