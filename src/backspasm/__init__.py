"""backspasm: triage and a cited care plan for back spasm. This is not a diagnosis tool."""

from backspasm.version import __version__

__all__ = ["__version__"]
