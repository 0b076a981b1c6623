"""The knowledge a command works with, loaded once per command, and the text reader built on it.

The engine keeps no copy of the knowledge base (it is pure); the command line, like the web
app, loads it once and holds it here. Imports are deferred so that `--help` stays fast.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from backspasm.engine.knowledge_base import KnowledgeBase
    from backspasm.text.reading import Reader


@cache
def knowledge() -> KnowledgeBase:
    """The packaged knowledge base, read on first use in this command."""
    from backspasm.engine.knowledge_base import load_knowledge

    return load_knowledge()


@cache
def reader() -> Reader:
    """The reader for a person's own words, over `knowledge()`."""
    from backspasm.text.reading import Reader

    return Reader(knowledge())
