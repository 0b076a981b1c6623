"""A cited source as a result shows it: the source's details with the place cited in it."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from backspasm.engine.schema import Citation, Source


class SourceRef(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    title: str
    publisher: str
    year: int
    locator: str
    url: str


def source_ref(source: Source, citation: Citation) -> SourceRef:
    return SourceRef(
        id=citation.source,
        title=source.title,
        publisher=source.publisher,
        year=source.year,
        locator=citation.locator,
        url=source.url or (f"https://doi.org/{source.doi}" if source.doi else ""),
    )
