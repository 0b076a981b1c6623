"""The terminal face: `backspasm` commands (Typer) and their Rich rendering."""
