"""What a lint rule is: a name, a code, a default severity, its documentation and a check."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from generator.model import Severity, SourceRef

if TYPE_CHECKING:
    from generator.analysis import Context

# The failure modes of the protocol the rules guard against (the explanation pages list them).
FAILURE_MODES: dict[str, str] = {
    "shared-tree-race": "Shared-tree race: two sessions in one working tree or index overwrite "
    "each other's work.",
    "stale-claim": "Stale claim: a session stopped but its row still holds paths nobody may touch.",
    "identity-drift": "Identity drift: ids and names stop meaning one session each, so messages "
    "and claims reach the wrong one.",
    "ownership-ambiguity": "Ownership ambiguity: nobody can tell who holds a piece of work, so it "
    "is done twice or not at all.",
    "lossy-relay": "Lossy relay: a message or instruction is sent but never provably received "
    "or acted on.",
    "human-as-bus": "The person as the bus: coordination runs through the chat with the person "
    "instead of the durable channel.",
    "tracker-drift": "Tracker drift: the task tracker and the blackboard disagree about who does "
    "what and in which state.",
    "agent-call-misuse": "Agent call misuse: calls between agents that block, lose output or reach "
    "nobody.",
    "unreadable-board": "Unreadable board: a source the tool cannot read, so the board would "
    "silently show less than was written.",
    "leaked-secret": "Leaked secret: a credential written to a board file ends up on a public site.",
}

DOC_SECTIONS = ("What it finds", "Why it matters", "Example", "Fix")


@dataclass(frozen=True, slots=True)
class Hit:
    """What a check reports; the engine adds the rule's name and configured severity.

    `severity` lets one hit be milder than its rule (bad-session-id: an id after `sE` is only a
    warning); the engine takes the milder of it and the configured severity, so it never raises one.
    """

    path: str
    line: int | None
    message: str
    commit: str | None = None
    severity: Severity | None = None

    @classmethod
    def at(
        cls,
        source: SourceRef,
        message: str,
        commit: str | None = None,
        severity: Severity | None = None,
    ) -> Hit:
        return cls(source.path, source.line, message, commit, severity)


Check = Callable[["Context"], Iterable[Hit]]


@dataclass(frozen=True, slots=True)
class Rule:
    """One lint rule. `doc` is the module docstring: a summary line, then the four sections."""

    name: str
    code: str
    severity: Severity
    failure_mode: str
    doc: str
    check: Check

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0].strip()

    @property
    def body(self) -> str:
        """The documentation without its summary line."""
        lines = inspect.cleandoc(self.doc).splitlines()
        return "\n".join(lines[1:]).strip()

    def section(self, title: str) -> str:
        """The text of one `## title` section of the documentation ('' when absent).

        A `## ` line inside a fenced block (a queue heading in an example) is text, not a section.
        """
        lines: list[str] | None = None
        fence = ""
        for line in inspect.cleandoc(self.doc).splitlines():
            marker = re.match(r"^\s*(`{3,}|~{3,})", line)
            if marker and (not fence or marker.group(1).startswith(fence)):
                fence = "" if fence else marker.group(1)
            elif not fence and line.startswith("## "):
                if lines is not None:
                    break
                if line[3:].strip() == title:
                    lines = []
                continue
            if lines is not None:
                lines.append(line)
        return "\n".join(lines).strip() if lines is not None else ""
