"""The demo board that ships with statusboard: a realistic git blackboard built relative to a now."""

from __future__ import annotations

from generator.demo.builder import (
    DEMO_SESSIONS,
    HUMAN,
    PLANTED_RULES,
    DemoFacts,
    DemoSession,
    Planted,
    build_demo_repo,
    demo_facts,
)

__all__ = [
    "DEMO_SESSIONS",
    "HUMAN",
    "PLANTED_RULES",
    "DemoFacts",
    "DemoSession",
    "Planted",
    "build_demo_repo",
    "demo_facts",
]
