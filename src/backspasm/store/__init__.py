"""Storage of episodes, assessments and diaries: SQLite by default, PostgreSQL by URL."""
