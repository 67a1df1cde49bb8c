"""The rule registry: a plain table of every rule, built once at import."""

from __future__ import annotations

from collections.abc import Iterable

from generator.exceptions import UsageError
from generator.rules.base import Rule

# One line per rule module, in catalogue order (the order of `statusboard rules`).
_MODULES: tuple[str, ...] = (
    # parsing
    "file_unreadable",
    "scoreboard_parse",
    "message_parse",
    "export_parse",
    "non_canonical_timestamp",
    "future_timestamp",
    # scoreboard and identity
    "bad_session_id",
    "bad_display_name",
    "duplicate_claim",
    "stale_claim",
    "missing_heartbeat",
    "task_placeholder",
    "scope_overlap",
    "claim_not_committed_atomically",
    # queues and the ack chain
    "misfiled_message",
    "unknown_recipient",
    "unacked_message",
    "broadcast_unacked",
    "illegal_ack_transition",
    "ack_status_mismatch",
    "ack_by_wrong_party",
    "message_rewritten",
    "message_deleted",
    "handoff_without_ref",
    "dangling_reply",
    "relay_without_source",
    # git discipline
    "commit_prefix_missing",
    "ghost_session_commit",
    "trespass",
    "mixed_session_commit",
    # the human bridge
    "telegram_as_bus",
    # task trackers
    "bass_illegal_transition",
    "bass_review_bypass",
    "bass_unauthorised_signoff",
    "subagent_updates_tracker",
    "blocked_without_note",
    "stale_in_progress",
    "handoff_without_assignee",
    "assignee_mismatch",
    "dependency_cycle",
    "dangling_dependency",
    "bridge_not_reconciled",
    # inter-agent calls
    "send_without_timeout_zero",
    "send_to_spawn_only",
    "send_to_unknown_session",
    "spawn_missing_label",
    "spawn_missing_timeout",
    "spawn_cleanup_not_keep",
    "spawn_brief_no_output_path",
    "busy_polling",
    "dnd_announcement",
    # safety of the published site
    "secret_in_board",
    "raw_html_in_message",
)


def _load() -> tuple[Rule, ...]:
    import importlib

    rules = tuple(importlib.import_module(f"generator.rules.{m}").RULE for m in _MODULES)
    names = [r.name for r in rules]
    codes = [r.code for r in rules]
    assert len(set(names)) == len(names), "duplicate rule name"
    assert len(set(codes)) == len(codes), "duplicate rule code"
    return rules


RULES: tuple[Rule, ...] = _load()
BY_NAME: dict[str, Rule] = {r.name: r for r in RULES}


def get(name: str) -> Rule:
    """The rule called `name` (or with code `name`); UsageError when there is none."""
    if name in BY_NAME:
        return BY_NAME[name]
    for rule in RULES:
        if rule.code.lower() == name.lower():
            return rule
    raise UsageError(f"unknown rule {name!r}; `statusboard rules` lists them")


def select(names: Iterable[str] | None) -> tuple[Rule, ...]:
    """The rules named (all when None), in registry order."""
    if names is None:
        return RULES
    wanted = {get(n).name for n in names}
    return tuple(r for r in RULES if r.name in wanted)
