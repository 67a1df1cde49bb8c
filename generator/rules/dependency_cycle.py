"""A cycle in the tracker's dependencies: tasks that wait on each other and can never finish.

## What it finds

Tasks whose `deps` (Riff, BASS) or `dependencies` (Backlog.md) lead back to themselves, directly or
through other tasks. Each cycle is reported once, at the first of its tasks in the file, with the
whole loop named. A Backlog.md or beads cycle whose tasks are all finished (completed, archived,
closed) is history and is not reported.

## Why it matters

Ownership ambiguity: `deps` is the handoff order. In a cycle every owner waits for another one, so
none of the tasks can start, and nobody is visibly responsible for breaking the loop.

## Example

```
{"id": "431", "deps": ["433"]}, {"id": "433", "deps": ["431"]}
```

## Fix

Decide which task really comes first and remove the dependency that points back.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.analysis import Context
from generator.model import Severity, Task
from generator.rules.base import Hit, Rule
from generator.tracking import category, task_label


def _cycles(graph: dict[str, list[str]]) -> list[list[str]]:
    """Strongly connected components with a cycle (Tarjan, iterative), in first-seen order."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            successors = graph.get(node, [])
            if i < len(successors):
                work.append((node, i + 1))
                nxt = successors[i]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in graph.get(node, []):
                    found.append(component)
    return found


def _loop(members: set[str], start: str, graph: dict[str, list[str]]) -> list[str]:
    """One walk around the cycle from `start`, for the message."""
    path = [start]
    current = start
    while True:
        nxt = next((n for n in graph.get(current, []) if n in members), None)
        if nxt is None or nxt in path:
            return [*path, nxt] if nxt is not None else path
        path.append(nxt)
        current = nxt


def check(ctx: Context) -> Iterable[Hit]:
    index = ctx.tasks
    tasks: dict[str, Task] = {}
    graph: dict[str, list[str]] = {}
    for task in ctx.board.tasks:
        if not task.id or task.key in tasks:
            continue
        tasks[task.key] = task
        targets: list[str] = []
        for dep in task.deps:
            target = index.dependency(task, dep)
            if target is not None and target.key not in targets:
                targets.append(target.key)
        graph[task.key] = targets
    for component in _cycles(graph):
        if all(
            tasks[k].tracker in ("backlog", "beads") and category(tasks[k]) == "done"
            for k in component
        ):
            continue  # finished (completed, archived, closed) work: history, nobody waits
        members = set(component)
        first = min(
            (tasks[k] for k in component), key=lambda t: (t.source.path, t.source.line or 0)
        )
        loop = _loop(members, first.key, graph)
        shown = " → ".join(task_label(tasks[k]) for k in loop)
        key = "dependencies" if first.tracker == "backlog" else "deps"
        yield Hit(
            first.source.path,
            first.line_of(key),
            f"dependency cycle: {shown}; none of these tasks can start",
        )


RULE = Rule(
    name="dependency-cycle",
    code="SB609",
    severity=Severity.ERROR,
    failure_mode="ownership-ambiguity",
    doc=__doc__ or "",
    check=check,
)
