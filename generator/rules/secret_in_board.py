"""A credential written into a board source; the value is redacted everywhere the tool writes.

## What it finds

A credential in any board source — the scoreboard, a queue file (headings, fields, bodies, ack
lines), a tracker export, the roster, a transcript, a playbook, a chat export — in a file's *name*,
or in a commit's subject or author name. The reader finds and redacts each one before anything
parses the text, so the site, `status.json`, the lint outputs, the search index, the
`--mkdocs-project` export and every cache hold only `[redacted]`; this rule reports each one with
only a masked prefix of the value.

A credential that only an earlier version of the scoreboard or a queue file held (removed since,
or in a queue file deleted or renamed since) is still in git: it is reported once per value, at
the file, naming the commit that first wrote it. A credential in a commit's subject or author
name is reported at the blackboard file the commit changed (the scoreboard when it changed none).
The kinds:

- private-key blocks (`-----BEGIN … PRIVATE KEY-----` to `-----END …-----`, over many lines);
- JSON web tokens (`eyJ….eyJ….…`);
- webhook URLs: Slack (`hooks.slack.com/services/…`), Discord (`discord.com/api/webhooks/…`),
  Microsoft Teams (`….webhook.office.com/webhookb2/…`, and the `sig=` of a Power Automate
  workflow URL), Google Chat (the `key=` and `token=` of `chat.googleapis.com/v1/spaces/…`);
- a password in any URL (`postgres://user:pw@host`, `redis://:pw@host`, any scheme), unless it only
  names itself (`password`, `<password>`, `$PASS`, `***`);
- provider keys: GitHub (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`, `github_pat_`), GitLab (`glpat-`,
  `gldt-`, `glrt-`, …), AWS access keys (`AKIA`, `ASIA`, …), Google API keys (`AIza…`), Stripe secret
  and restricted keys (`sk_live_`, `rk_live_`, and `sk_test_`/`rk_test_`: a test key still opens the
  account's test mode; the public `pk_` keys are left alone), OpenAI (`sk-…`, `sk-proj-…`), Anthropic
  (`sk-ant-…`), Slack tokens (`xoxb-`, `xoxp-`, `xapp-`, …), npm (`npm_…`), PyPI (`pypi-AgE…`),
  Hugging Face (`hf_…`), SendGrid (`SG.….…`), DigitalOcean (`dop_v1_…`), Shopify (`shpat_…`),
  chat-bot tokens (`123456789:AA…`);
- `Authorization: Bearer …` and `Basic …` values, and assignments whose name ends in a credential
  word (`BASS_API_KEY=…`, `"token": "…"`, `password: …`, `client_secret=…`).

Near misses stay as written: git shas, UUIDs, `sk-` in prose (`sk-learn`), `https://user@host`
without a password, base64 that is not a JWT, placeholders (`<your key>`, `${TOKEN}`,
`xxxxxxxx`, `AKIA…EXAMPLE`).

## Why it matters

Leaked secret: the board is published as a static site and its files are in git, so a token pasted
into a message is readable by anyone who can read the site or the history.

## Example

```
## 2026-05-31T15:00Z · from:sB · to:sA · type:info · status:sent

The BASS key is BASS_API_KEY=sk_live_4f9a…, use it for the import.
```

## Fix

Revoke and rotate the credential first (it is in the git history), then remove it from the file
(rename the file, reword the commit where you can) and pass secrets through the environment or a
secret store, never through the board.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.analysis import Context
from generator.model import Severity, SourceRef
from generator.readers.secrets import REDACTED
from generator.rules._common import problem_hits
from generator.rules._history import blackboard_paths, on_blackboard
from generator.rules.base import Hit, Rule

NAME = "secret-in-board"


def check(ctx: Context) -> Iterable[Hit]:
    yield from problem_hits(ctx, NAME)
    history = ctx.board.history
    boundary = set(history.boundary)
    for secret in history.secrets:
        commit = secret.commit
        where = f"line {secret.line} of" if secret.line is not None else "the name of"
        added = (
            f"already there at the shallow clone's boundary {commit.label}"
            if commit.sha in boundary
            else f"added in {commit.label}"
        )
        yield Hit.at(
            SourceRef(secret.path),
            f"{secret.kind} `{secret.shown}` in the history ({where} the file then): {added}; "
            "no longer in the file but still in git history — rotate it",
            commit=commit.short,
        )
    # A commit's subject and author are redacted as git gives them (readers/history.py); the
    # value is gone by then, so the commit is named, not the kind.
    scoreboard = blackboard_paths(ctx)[0]
    for commit in history.commits:
        if REDACTED not in commit.subject and REDACTED not in commit.author:
            continue  # nearly every commit: no list built for it
        held = [
            f
            for f, text in (("subject", commit.subject), ("author", commit.author))
            if REDACTED in text
        ]
        if held:
            board = [p for p in commit.paths if on_blackboard(ctx, p)]
            yield Hit.at(
                SourceRef(board[0] if board else scoreboard),
                f"{commit.label} held a credential in its {' and '.join(held)} (redacted from "
                "the site and every output; the commit itself still holds it — rotate it)",
                commit=commit.short,
            )


RULE = Rule(
    name=NAME,
    code="SB901",
    severity=Severity.ERROR,
    failure_mode="leaked-secret",
    doc=__doc__ or "",
    check=check,
)
