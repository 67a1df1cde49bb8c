"""Credentials are found and redacted before parsing; ordinary text is left alone."""

from __future__ import annotations

import pytest

from generator.readers.secrets import (
    _KEYWORDS,
    REDACTED,
    find_secrets,
    may_hold_secret,
    redact_source,
    redact_text,
)

# Fake credentials of the right shapes, assembled so that no scanner mistakes this file for a leak.
GHP = "ghp_" + "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A"
GITHUB_PAT = (
    "github_pat_" + "11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRS"
)
AWS = "AKIA" + "Z3XK5QW7RT2MN4PB"
SLACK = "xoxb-" + "123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"
OPENAI = "sk-" + "proj-Ab3dEfGhIjKlMnOpQrStUvWx9z"
ANTHROPIC = "sk-" + "ant-api03-Ab3dEfGhIjKlMnOpQrStUvWx9z"
TELEGRAM = "123456789:" + "AAHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0"


@pytest.mark.parametrize(
    ("line", "secret", "message"),
    [
        (f"token {GHP} here", GHP, "GitHub token `ghp_…`"),
        (f"GITHUB_TOKEN={GHP}", GHP, "GitHub token `ghp_…`"),
        (f"pat: {GITHUB_PAT}", GITHUB_PAT, "GitHub token `github_pat_…`"),
        (f"aws {AWS}.", AWS, "AWS access key `AKIA…`"),
        (f"slack {SLACK}", SLACK, "Slack token `xoxb-…`"),
        (f"key {OPENAI}", OPENAI, "OpenAI API key `sk-…`"),
        (f"key {ANTHROPIC}", ANTHROPIC, "Anthropic API key `sk-ant-…`"),
        (f"the bot is {TELEGRAM}", TELEGRAM, "Telegram bot token `…:AA…`"),
        (
            "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.sig42",
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.sig42",
            "JSON web token `eyJ…`",  # the more specific kind wins over `Bearer`
        ),
        (
            "Authorization: Bearer 9f8e7d6c5b4a3f2e1d0c",
            "9f8e7d6c5b4a3f2e1d0c",
            "bearer token `Bearer …`",
        ),
        ("Authorization: Basic dXNlcjpwYXNzd29yZA==", "dXNlcjpwYXNzd29yZA==", "basic-auth"),
        (
            "BASS_API_KEY=bass_live_9f8e7d6c5b4a",
            "bass_live_9f8e7d6c5b4a",
            "API key `BASS_API_KEY=…`",
        ),
        ("export OPENAI_API_KEY='abc123def456ghi'", "abc123def456ghi", "`OPENAI_API_KEY=…`"),
        ('{"api_key": "k-9f8e7d6c5b4a"}', "k-9f8e7d6c5b4a", "API key `api_key: …`"),
        ("api_key=9f8e7d6c5b4a3f2e", "9f8e7d6c5b4a3f2e", "API key `api_key=…`"),
        ("x-api-key: 9f8e7d6c5b4a3f2e", "9f8e7d6c5b4a3f2e", "API key `x-api-key: …`"),
        ("token: 0a1b2c3d4e5f6a7b8c9d0e1f", "0a1b2c3d4e5f6a7b8c9d0e1f", "token `token: …`"),
        ("password: hunter22", "hunter22", "password `password: …`"),
        ("clone https://deploy:s3cr3tpass@github.com/o/r", "s3cr3tpass", "password in a URL"),
    ],
)
def test_secret_is_redacted_and_reported(line: str, secret: str, message: str) -> None:
    text, problems = redact_source("docs/x.md", f"first line\n{line}\nlast")
    assert secret not in text
    assert REDACTED in text.split("\n")[1]
    assert text.split("\n")[0] == "first line" and text.split("\n")[2] == "last"
    assert len(problems) == 1
    problem = problems[0]
    assert (problem.rule, problem.source.path, problem.source.line) == (
        "secret-in-board",
        "docs/x.md",
        2,
    )
    assert message in problem.message
    assert problem.message.endswith("(redacted from the site and every output)")
    assert secret not in problem.message


def test_name_stays_visible() -> None:
    assert redact_text("BASS_API_KEY=bass_live_9f8e7d6c5b4a") == f"BASS_API_KEY={REDACTED}"
    assert redact_text(f'token = "{GHP}"') == f'token = "{REDACTED}"'


@pytest.mark.parametrize(
    "line",
    [
        "BASS_API_KEY=<your key>",
        "export BASS_API_KEY=$BASS_API_KEY",
        "BASS_API_KEY=${BASS_API_KEY}",
        "api_key=os.environ['BASS_API_KEY']",
        "token: ${{ secrets.GITHUB_TOKEN }}",
        "token: secrets.GITHUB_TOKEN",
        "api_key=xxxxxxxxxxxxxxxx",
        "api_key=your-api-key-1",
        "AKIAIOSFODNN7EXAMPLE is the documentation key",
        "commit 3f2a9c1e5b7d9f0a1c3e5b7d9f0a1c3e5b7d9f0a fixed it",
        "short 3f2a9c1 · presence 2026-05-31T11:40Z ·",
        "token: 2026-05-31T15:00Z",
        "- ack · 2026-05-31T15:20Z · sA · seen · token handed over",
        "The bearer of this note is sA.",
        "Authorization: Bearer <token>",
        "the tokenizer: bert-base-uncased-12345",
        "api_key_file=/etc/keys/k1.txt",
        "ghp_ is the prefix of a GitHub token",
        "sk-learn is not a key, nor is task-1234567890abcdefghijk",
        "Password: see the vault",
        "## 2026-05-31T15:00Z · from:sB · to:sA · type:handoff · ref:Riff#412 · status:sent",
        "| sA · Sintra | (Riff TBD) | worktree `session-sA` → direct-to-main, `[sA]` |",
        "git@github.com:owner/repo.git and https://github.com/owner/repo",
        "at 12:34:56 on 2026-05-31, 123456789:AB not a bot token",
        "uuid 123e4567-e89b-12d3-a456-426614174000",
    ],
)
def test_ordinary_text_is_untouched(line: str) -> None:
    assert find_secrets(line) == (line, [])


def test_two_secrets_on_one_line_give_two_problems() -> None:
    text, problems = redact_source("f.md", f"a {GHP} b {AWS} c")
    assert text == f"a {REDACTED} b {REDACTED} c"
    assert [p.message.split(" `")[0] for p in problems] == ["GitHub token", "AWS access key"]


def test_pem_block_keeps_every_line() -> None:
    body = ["MIIEpAIBAAKCAQEA7c9bq1XyZ", "aGVsbG8gd29ybGQ=", "Zm9vYmFy"]
    source = "\n".join(
        [
            "before",
            "-----BEGIN RSA PRIVATE KEY-----",
            *body,
            "-----END RSA PRIVATE KEY-----",
            "after",
        ]
    )
    text, problems = redact_source("k.md", source)
    lines = text.split("\n")
    assert len(lines) == len(source.split("\n"))
    assert lines[0] == "before" and lines[-1] == "after"
    assert lines[1] == "-----BEGIN RSA PRIVATE KEY-----"
    assert lines[2:5] == [REDACTED] * 3
    assert lines[5] == "-----END RSA PRIVATE KEY-----"
    assert not any(b in text for b in body)
    assert len(problems) == 1
    assert problems[0].source.line == 2
    assert "private key block `-----BEGIN RSA PRIVATE KEY-----` on lines 2–6" in problems[0].message


def test_pem_block_quoted_and_without_end() -> None:
    source = "> -----BEGIN PRIVATE KEY-----\n> MIIEvQIBADANBgkqhkiG9w0\n>\n> c2VjcmV0\nprose after"
    text, problems = redact_source("k.md", source)
    assert text.split("\n") == [
        "> -----BEGIN PRIVATE KEY-----",
        f"> {REDACTED}",
        ">",
        f"> {REDACTED}",
        "prose after",
    ]
    assert "on lines 1–4" in problems[0].message


def test_pem_block_on_one_line_as_in_json() -> None:
    source = '{"private_key": "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBg\\n-----END PRIVATE KEY-----\\n"}'
    text, problems = redact_source("k.json", source)
    assert "MIIEvQIBADANBg" not in text
    assert text.startswith('{"private_key": "-----BEGIN PRIVATE KEY-----[redacted]-----END')
    assert len(problems) == 1


def test_redaction_is_idempotent() -> None:
    once = redact_text(f"GITHUB_TOKEN={GHP} and {SLACK}")
    assert redact_text(once) == once
    assert find_secrets(once)[1] == []


@pytest.mark.parametrize("keyword", _KEYWORDS)
def test_every_keyword_triggers_a_closer_look(keyword: str) -> None:
    """The keywords' trie finds each of them, in any case, anywhere in a line, and nothing less."""
    assert may_hold_secret(f"prose {keyword.upper()}tail\nmore")
    assert may_hold_secret(f"x{keyword}")
    split = keyword[:-1] + "\n" + keyword[-1]  # a line break inside: no longer the keyword
    assert may_hold_secret(split) is any(k in split for k in _KEYWORDS)


def test_assignment_needs_a_separator() -> None:
    """Prose holding a keyword but no `:` or `=` holds no assignment; one with a `=` does."""
    assert find_secrets("the api key Abc123456Xyz rotates weekly")[1] == []
    assert len(find_secrets("the api_key=Abc123456Xyz rotates weekly")[1]) == 1
