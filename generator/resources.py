"""Where the shipped templates and docs are: inside the wheel, or beside the package in a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    # An installed wheel carries them in generator/_data/ (see pyproject's force-include);
    # a source checkout or an editable install keeps them at the top of the repository.
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"statusboard is missing its {name}/ folder (broken install?)")


def templates_dir() -> Path:
    """The Jinja2 templates (`templates/`)."""
    return _find("templates")


def docs_dir() -> Path:
    """The shipped documentation (`docs/`)."""
    return _find("docs")
