"""The rule registry: a plain table of every rule, built once at import."""

from __future__ import annotations

from collections.abc import Iterable

from generator.exceptions import UsageError
from generator.rules.base import Rule
from generator.suggest import did_you_mean

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
    "claimed_task_closed",
    "task_claimed_twice",
    "tracker_state_mismatch",
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
    # Claude Code transcripts and MCP Agent Mail archives
    "subagent_without_description",
    "mail_ack_overdue",
    "reservation_overlap",
    "reservation_not_released",
    "reserved_path_commit",
    "transcript_claim_mismatch",
    # safety of the published site
    "secret_in_board",
    "raw_html_in_message",
    "markdown_not_rendered",
)


class RegistryError(ValueError):
    """The rule table is broken: a module without a `RULE`, or a name or code used twice."""


def _load(modules: Iterable[str] = _MODULES) -> tuple[Rule, ...]:
    import importlib

    rules: list[Rule] = []
    by_name: dict[str, str] = {}
    by_code: dict[str, str] = {}
    for module in modules:
        rule = getattr(importlib.import_module(f"generator.rules.{module}"), "RULE", None)
        if not isinstance(rule, Rule):
            raise RegistryError(f"generator.rules.{module} defines no `RULE = Rule(...)`")
        for key, seen in ((rule.name, by_name), (rule.code, by_code)):
            if key in seen:
                raise RegistryError(
                    f"rule {key!r} of generator.rules.{module} is also that of "
                    f"generator.rules.{seen[key]}: names and codes must be unique"
                )
            seen[key] = module
        rules.append(rule)
    return tuple(rules)


RULES: tuple[Rule, ...] = _load()
BY_NAME: dict[str, Rule] = {r.name: r for r in RULES}


def get(name: str) -> Rule:
    """The rule called `name` (or with code `name`); UsageError when there is none."""
    if name in BY_NAME:
        return BY_NAME[name]
    for rule in RULES:
        if rule.code.lower() == name.lower():
            return rule
    hint = did_you_mean(name, BY_NAME) or "; `statusboard rules` lists them"
    raise UsageError(f"unknown rule {name!r}{hint}")


def select(names: Iterable[str] | None) -> tuple[Rule, ...]:
    """The rules named (all when None), in registry order."""
    if names is None:
        return RULES
    wanted = {get(n).name for n in names}
    return tuple(r for r in RULES if r.name in wanted)
