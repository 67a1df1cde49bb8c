"""A spawn task brief with no instruction to write the results to a file.

## What it finds

A `sessions_spawn` whose `task` brief has no sentence telling the worker to write (save, store,
put, record) its results to a path or file (`checkpoints/subagent-r6.md`, `out/report.json`).
Template briefs (`task="..."`) and briefs written as code are not judged.

## Why it matters

Agent call misuse: a worker's answer otherwise lives only in its transcript. When the run times out
or the spawning agent's context is compacted, the work is lost; a file on disk survives both and is
what the spawning agent verifies before it updates the tracker.

## Example

```
sessions_spawn(agentId="research", task="Compare the Discogs and MusicBrainz rate limits.",
               label="r6-discogs", runTimeoutSeconds=600, cleanup="keep")
```

## Fix

End every brief with the output instruction: `Write results to
~/.openclaw/workspace/checkpoints/subagent-<label>.md`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from generator.analysis import Context
from generator.model import Severity
from generator.rules.base import Hit, Rule
from generator.textutil import clip
from generator.tracking import call_label, judged_calls

_SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n+")
_VERB = re.compile(
    r"\b(?:write|writes|written|save|store|put|dump|record|append|output|persist|leave)\b", re.I
)
_PATH = re.compile(
    r"(?:~|\$\w+|\.{1,2})?/?[\w.{}<>@$-]+/[\w./{}<>@$-]*[\w}>]"
    r"|\b[\w{}<>@-]+\.(?:md|markdown|json|jsonl|txt|csv|tsv|ya?ml|log|html|xml)\b",
    re.I,
)
_TEMPLATE = re.compile(r"^\s*(?:\.\.\.|…|<[^>]*>|\{[^}]*\}|TODO)?\s*$", re.I)


def has_output_instruction(brief: str) -> bool:
    """A sentence with a write verb followed by a path or a file name."""
    for sentence in _SENTENCE.split(brief):
        verb = _VERB.search(sentence)
        if verb is not None and _PATH.search(sentence, verb.end()):
            return True
    return False


def check(ctx: Context) -> Iterable[Hit]:
    for call in judged_calls(ctx.board, "sessions_spawn"):
        brief = call.arg("task")
        if not call.known("task") or not isinstance(brief, str):
            continue
        if brief.strip() and _TEMPLATE.match(brief):
            continue
        label = call.arg("label")
        named = f" ({label})" if isinstance(label, str) and label else ""
        if not brief.strip():
            yield Hit.at(call.source, f"{call_label(call)}{named} has an empty task brief")
        elif not has_output_instruction(brief):
            yield Hit.at(
                call.source,
                f"{call_label(call)}{named}: the brief `{clip(brief, 50)}` never says which file "
                "to write the results to",
            )


RULE = Rule(
    name="spawn-brief-no-output-path",
    code="SB707",
    severity=Severity.WARNING,
    failure_mode="agent-call-misuse",
    doc=__doc__ or "",
    check=check,
)
