"""Fixtures every test folder may use, each defined once in tests/support/."""

pytest_plugins = [
    "tests.support.knowledge",  # the real knowledge base, and a copy to break
    "tests.support.db_fixtures",  # databases on SQLite and PostgreSQL
    "tests.support.chromium",  # one Chromium for every browser test
    "tests.support.web_fixtures",  # the real web app under uvicorn on a loopback port
]
