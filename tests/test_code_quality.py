"""The code stays ruff- and mypy-clean: checked in the suite so CI enforces it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


# Only the folders that exist: a fresh clone has no empty ones.
SOURCES = [d for d in ("generator", "tests", "benchmarks") if (ROOT / d).is_dir()]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=False)


@pytest.mark.skipif(
    shutil.which("ruff") is None, reason="ruff is not installed (pip install -e '.[test]')"
)
def test_ruff_check() -> None:
    out = _run("ruff", "check", *SOURCES)
    assert out.returncode == 0, out.stdout + out.stderr


@pytest.mark.skipif(
    shutil.which("ruff") is None, reason="ruff is not installed (pip install -e '.[test]')"
)
def test_ruff_format() -> None:
    out = _run("ruff", "format", "--check", *SOURCES)
    assert out.returncode == 0, out.stdout + out.stderr


def test_mypy_strict() -> None:
    pytest.importorskip("mypy", reason="mypy is not installed (pip install -e '.[test]')")
    out = _run(sys.executable, "-m", "mypy", "generator")
    assert out.returncode == 0, out.stdout + out.stderr
