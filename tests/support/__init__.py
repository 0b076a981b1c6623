"""Helpers and fixtures the test folders share (loaded by tests/conftest.py)."""
