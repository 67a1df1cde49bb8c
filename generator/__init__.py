"""statusboard: a status site and an anti-pattern lint for the git blackboard of parallel AI sessions."""

from __future__ import annotations

__version__ = "0.1.0"
