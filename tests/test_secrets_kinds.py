"""Every credential kind the reader redacts, with a real-shaped value and a near miss that it keeps.

The values are assembled from pieces so that this file holds no literal a scanner would flag.
"""

from __future__ import annotations

import pytest

from generator.readers.secrets import REDACTED, find_secrets, redact_path, redact_text

B62 = "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A7cE9gI1kM3oQ5sU7wY9"  # a varied base62 stretch
HEX = "9f8e7d6c5b4a39281706f5e4d3c2b1a0"


def b62(n: int) -> str:
    return (B62 * 4)[:n]


# kind -> a real-shaped value (what the whole of must disappear), the masked prefix reported
KINDS: dict[str, tuple[str, str]] = {
    "JSON web token": (
        "ey" + "JhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9." + "ey" + "JzdWIiOiIxMjM0NTY3ODkwIn0."
        "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
        "eyJ…",
    ),
    "Slack webhook URL": (
        "https://hooks." + "slack.com/services/T0" + "1ABCDEF2/B0" + "3GHIJKL4/" + b62(24),
        "hooks.slack.com/…",
    ),
    "Discord webhook URL": (
        "https://discord." + "com/api/webhooks/" + "123456789012345678/" + b62(68),
        "discord.com/api/webhooks/…",
    ),
    "Microsoft Teams webhook URL": (
        "https://contoso.webhook."
        + "office.com/webhookb2/"
        + "a1b2c3d4-e5f6-7a8b-9c0d-e1f2a3b4c5d6"
        "@f1e2d3c4-b5a6-7980-1a2b-3c4d5e6f7a8b/IncomingWebhook/"
        + HEX
        + "/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d",
        "webhook.office.com/…",
    ),
    "Teams workflow webhook URL": (
        "https://prod-12.westus.logic."
        + "azure.com:443/workflows/"
        + HEX
        + "/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun"
        "&sv=1.0&sig=" + b62(43),
        "logic.azure.com/…&sig=…",
    ),  # the workflow id is no secret: only what follows `sig=` is
    "Google Chat webhook URL": (
        "https://chat.googleapis."
        + "com/v1/spaces/AAAA"
        + "bCdEfGh/messages?key="
        + "AIza"
        + b62(35)
        + "&token="
        + b62(43)
        + "%3D",
        "chat.googleapis.com/…?…",
    ),
    "password in a URL": ("redis://:" + "Tr0ub4dor3x" + "@cache.internal:6379/0", "redis://…:…@"),
    "Stripe secret key": ("sk" + "_live_" + b62(24), "sk_live_…"),
    "Google API key": ("AIza" + b62(35), "AIza…"),
    "OpenAI API key": ("sk-" + "proj-" + b62(48), "sk-…"),
    "Anthropic API key": ("sk-" + "ant-api03-" + b62(93) + "AA", "sk-ant-…"),
    "npm token": ("npm" + "_" + b62(36), "npm_…"),
    "PyPI token": ("pypi-" + "AgEIcHlwaS5vcmc" + b62(60), "pypi-AgE…"),
    "GitHub token": ("gh" + "p_" + b62(36), "ghp_…"),
    "AWS access key": ("AK" + "IA" + "Z3XK5QW7RT2MN4PB", "AKIA…"),
    "Slack token": ("xo" + "xb-" + "123456789012-1234567890123-" + b62(24), "xoxb-…"),
    "GitLab token": ("gl" + "pat-" + b62(20), "glpat-…"),
    "Hugging Face token": ("hf" + "_" + "aBcDeFgHiJkLmNoPqRsTuVwXyZaBcDeFgH", "hf_…"),
    "SendGrid API key": ("SG" + "." + b62(22) + "." + b62(43), "SG.…"),
    # (hex values of their own: a middle shared with another kind's non-secret part proves nothing)
    "DigitalOcean token": ("do" + "p_v1_" + "7c1e" * 16, "dop_v1_…"),
    "Shopify token": ("sh" + "pat_" + "a5d2e8f1" * 4, "shpat_…"),
    "Telegram bot token": ("123456789:" + "AA" + b62(33), "…:AA…"),
}


def secret_part(value: str) -> str:
    """What makes `value` a credential: a URL's key or password, not its host or path prefix."""
    for marker in ("sig=", "messages?", "webhookb2/", "webhooks/", "services/", ":/" + "/:"):
        if marker in value:
            return value.split(marker, 1)[1].split("@")[0]
    return value


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize(
    "template",
    [
        "{v}",
        "see {v} now",
        "`{v}`",
        '"{v}",',
        "({v})",
        "<{v}>",
        "· ref:{v} · to:sA",
        "x={v};",
        "'{v}'",
    ],
)
def test_every_kind_is_redacted_whole(kind: str, template: str) -> None:
    value, shown = KINDS[kind]
    line = template.format(v=value)
    text, found = find_secrets(f"before\n{line}\nafter")
    assert [(s.line, s.kind) for s in found] == [(2, kind)], found
    assert found[0].shown == shown
    assert REDACTED in text
    # Nothing distinctive of the value is left: neither the whole nor its middle.
    secret = secret_part(value)
    middle = secret[len(secret) // 3 : 2 * len(secret) // 3]
    assert value not in text and secret not in text and middle not in text
    assert text.startswith("before\n") and text.endswith("\nafter")


def test_url_password_any_scheme_and_empty_user() -> None:
    for url in (
        "postgres://app:" + "s3cr3t-Pw" + "@db:5432/x",
        "amqp://guest:" + "9xQ" + "@mq",
        "mongodb+srv://u:" + "p:w0rd" + "@c.example.net",
        "https://:" + "pw" + "@host/path",
    ):
        text, found = find_secrets(f"use {url} please")
        password = url.split("@")[0].split(":", 2)[-1]
        assert password not in text, url
        assert [s.kind for s in found] == ["password in a URL"]


def test_private_key_block_is_redacted() -> None:
    body = ["MIIEow" + b62(58), b62(64), "Zm9v" + "YmFy"]
    source = "\n".join(
        ["-----BEGIN " + "EC PRIVATE KEY-----", *body, "-----END " + "EC PRIVATE KEY-----"]
    )
    text, found = find_secrets(source)
    assert [s.kind for s in found] == ["private key block"]
    assert not any(b in text for b in body)


@pytest.mark.parametrize(
    "line",
    [
        # a git sha, a short one, a UUID
        "commit 3f2a9c1e5b7d9f0a1c3e5b7d9f0a1c3e5b7d9f0a fixed it",
        "uuid 123e4567-e89b-12d3-a456-426614174000 and 3f2a9c1",
        # `sk-` in prose and in names
        "sk-learn and sk-image are libraries; task-sk-1234 is a branch",
        "the sk-ant prefix is Anthropic's; sk_live_ is Stripe's",
        # a URL with a user and no password, scp-style git, a port
        "https://user@host.example.com/path and git@github.com:owner/repo.git",
        "http://localhost:8080/api and https://host.example.com:443/x@y",
        # documentation placeholders for a URL password
        "postgres://user:password@localhost/db or redis://:<password>@host or redis://:$PASS@h",
        # base64 that is not a JWT: no `eyJ` payload, or only one part
        "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk",
        "eyJhbGciOiJIUzI1NiJ9 is a header alone",
        "version 1.2.3.4 and a.b.c",
        # webhooks named but not given
        "post to the Slack webhook (hooks.slack.com/services/…) from CI",
        "https://discord.com/api/webhooks/ is the prefix",
        "https://chat.googleapis.com/v1/spaces/AAAA/messages is the endpoint",
        # prefixes alone, publishable keys, lookalike words
        "npm_config_cache=/tmp/npm and pypi-publish and AIza alone",
        "pk_live_" + b62(24) + " is a publishable Stripe key (public by design)",
        "hf_hub_download and SG.send and glpat- is the GitLab prefix",
        "shpat_ and dop_v1_ prefixes",
        "-----BEGIN PUBLIC KEY----- is not secret",
    ],
)
def test_near_misses_are_kept(line: str) -> None:
    assert find_secrets(line) == (line, [])


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("docs/ai/sessions/queue/to-sA.md", "docs/ai/sessions/queue/to-sA.md"),
        ("docs/ai/sessions/queue/to-" + "AK" + "IA" + "Z3XK5QW7RT2MN4PB.md", None),
        ("notes/" + "gh" + "p_" + b62(36) + "/x.md", None),
    ],
)
def test_paths_are_redacted(path: str, expected: str | None) -> None:
    shown = redact_path(path)
    if expected is not None:
        assert shown == expected
    else:
        assert REDACTED in shown and shown != path
        assert shown.endswith(".md") and "/" in shown
        assert redact_path(shown) == shown  # idempotent


FILE_NAME_KINDS = sorted(k for k, (v, _) in KINDS.items() if "/" not in v)


@pytest.mark.parametrize("kind", FILE_NAME_KINDS)
def test_queue_file_name_is_redacted(kind: str) -> None:
    # `to-` glues the value to the prefix: prose guards (`(?<![-\w])`) must not hide it here.
    value = KINDS[kind][0]
    for name in (f"to-{value}.md", f"to-x1-{value}.md", f"{value}_notes.md"):
        shown = redact_path(f"docs/ai/sessions/queue/{name}")
        assert value not in shown and REDACTED in shown, shown
        assert shown.startswith("docs/ai/sessions/queue/") and shown.endswith(".md")


def test_redact_text_is_idempotent() -> None:
    for value, _ in KINDS.values():
        once = redact_text(f"x {value} y")
        assert redact_text(once) == once
