"""What handlers read from the app (`app.state`, set once by `create_app`), typed, in one place."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from fastapi import Request

if TYPE_CHECKING:  # pragma: no cover
    from sqlalchemy.orm import Session, sessionmaker

    from backspasm.engine.knowledge_base import KnowledgeBase
    from backspasm.text.reading import Reader
    from backspasm.web.settings import Settings


def knowledge(request: Request) -> KnowledgeBase:
    """The knowledge base the app loaded once."""
    kb: KnowledgeBase = request.app.state.kb
    return kb


def reader(request: Request) -> Reader:
    """The reader for a person's own words, over the app's knowledge base."""
    words: Reader = request.app.state.reader
    return words


def settings(request: Request) -> Settings:
    values: Settings = request.app.state.settings
    return values


def sessions(request: Request) -> sessionmaker[Session]:
    factory: sessionmaker[Session] = request.app.state.sessions
    return factory


def reads(request: Request) -> sessionmaker[Session]:
    """Sessions for handlers that only read: on SQLite they take no write lock."""
    factory: sessionmaker[Session] = getattr(request.app.state, "reads", request.app.state.sessions)
    return factory


def now(request: Request) -> datetime:
    """The app's clock (`app.state.clock`): the only place "now" comes from."""
    moment: datetime = request.app.state.clock()
    return moment
