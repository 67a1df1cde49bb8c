"""The tool's own failures: each becomes exit status 2 and one clear line, never a traceback."""

from __future__ import annotations


class StatusboardError(Exception):
    """Base of every error the command reports as exit 2."""


class UsageError(StatusboardError):
    """A command-line argument that cannot be used (a bad `--now`, an unknown rule name)."""


class ConfigError(StatusboardError):
    """A configuration file that cannot be read or holds a bad value."""


class RepositoryError(StatusboardError):
    """The repository folder does not exist or cannot be read at all."""
