"""What the words around a mention do to it: negated, uncertain, hypothetical or someone else's.

The scoping is NegEx as implemented by negspacy, run on `spacy.blank("en")` with a sentencizer
(no downloaded model). Each kind of context is one negex pipe whose termset comes from the
lexicon (`context:`), so the cues stay reviewable data. Mentions become spans; their words are
masked first so that a cue inside a mention ("can't stand up straight") never counts.

spaCy is imported only when the first text is parsed; the pipeline is built then, once per
lexicon, and held by the reader (`reading.Reader`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Literal

from backspasm.text.lexicon import CATEGORIES, Lexicon
from backspasm.text.mentions import Mention

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language

Label = Literal["", "negated", "uncertain", "hypothetical", "family"]
# Other people and what-ifs say nothing about the person; then doubt said first ("not sure if
# I have a temperature"); then negation; then doubt added after ("no fever, not sure about
# the numbness" keeps "no fever").
PRECEDENCE: tuple[tuple[str, Label], ...] = (
    ("family_before", "family"),
    ("family_after", "family"),
    ("hypothetical_before", "hypothetical"),
    ("hypothetical_after", "hypothetical"),
    ("uncertain_before", "uncertain"),
    ("negated_before", "negated"),
    ("negated_after", "negated"),
    ("uncertain_after", "uncertain"),
)
SPAN_KEY = "backspasm_findings"


_WORD = re.compile(r"\S")


def build_pipeline(lexicon: Lexicon) -> Language:
    """The spaCy pipeline for this lexicon's context cues (a second or two: build it once)."""
    import negspacy.negation  # noqa: F401  (registers the "negex" factory)
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    breaks = lexicon.context.clause_breaks
    for category in CATEGORIES:
        cues = lexicon.context.cues(category)
        for side, forward, backward in (("before", cues.forward, []), ("after", [], cues.backward)):
            termset = {
                "pseudo_negations": cues.pseudo,
                "preceding_negations": forward,
                "following_negations": backward,
                "termination": [*breaks, *cues.termination],
            }
            nlp.add_pipe(
                "negex",
                name=f"context_{category}_{side}",
                config={
                    "neg_termset": termset,
                    "span_keys": [SPAN_KEY],
                    "extension_name": f"backspasm_{category}_{side}",
                },
            )
    return nlp


def contexts(nlp: Language, text: str, mentions: Sequence[Mention]) -> list[Label]:
    """One label per mention: the context that applies, by PRECEDENCE, or "".

    A cue before a mention reaches it to the end of the sentence or clause ("no fever, weight
    loss or numbness"); a cue after a mention reaches back only as far as the mention before it
    ("lifted a box, no fever, not sure about numbness" leaves the lifting alone).
    """
    if not mentions:
        return []
    masked = _masked(text, mentions)
    found: list[set[str]] = [set() for _ in mentions]
    _run(nlp, masked, mentions, range(len(mentions)), "_before", found)
    for index, mention in enumerate(mentions):
        later = [m.start for m in mentions if m.start >= mention.end]
        cut = min(later) if later else len(masked)
        _run(nlp, masked[:cut], mentions, [index], "_after", found)
    labels: list[Label] = []
    for extensions in found:
        matching = [label for extension, label in PRECEDENCE if extension in extensions]
        labels.append(matching[0] if matching else "")
    return labels


def _run(
    nlp: Language,
    text: str,
    mentions: Sequence[Mention],
    which: Iterable[int],
    side: str,
    found: list[set[str]],
) -> None:
    doc = nlp.make_doc(text)
    spans = []
    for index in which:
        mention = mentions[index]
        span = doc.char_span(mention.start, mention.end, label=str(index), alignment_mode="expand")
        if span is not None:
            spans.append(span)
    doc.spans[SPAN_KEY] = spans
    for name, component in nlp.pipeline:
        if name == "sentencizer" or name.endswith(side):
            doc = component(doc)
    for span in doc.spans[SPAN_KEY]:
        for extension, _ in PRECEDENCE:
            if extension.endswith(side) and span._.get(f"backspasm_{extension}"):
                found[int(span.label_)].add(extension)


def _masked(text: str, mentions: Sequence[Mention]) -> str:
    """Hide the words of each mention from the cue matcher, except `absent` and `general`
    phrases: their negation carries on down a list ("I don't drink or smoke")."""
    chars = list(text)
    for mention in mentions:
        if mention.kind in ("absent", "general"):
            continue
        for position in range(mention.start, mention.end):
            if _WORD.match(chars[position]):
                chars[position] = "x"
    return "".join(chars)
