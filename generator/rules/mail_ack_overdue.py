"""An Agent Mail message that asks for an ack and was not acked in time.

## What it finds

A message of the MCP Agent Mail archive with `ack_required: true` that a recipient has not acked
(`ack_ts` in Agent Mail's database) within `[thresholds] unacked_hours` of its `created` time.
Acks are not in the git archive: the rule runs only when `[sources] agent_mail_db` names the
database; without it the board says "ack state unknown" and this rule stays silent.

## Why it matters

Lossy relay: the sender asked for proof of receipt because the message matters (a review request,
a stop order); an unacked one may be unread, and the sender may be waiting on it.

## Example

```
#259 bp → bpc "REQUEST: Full PR #1 Review" (ack required), created 05:56; bpc: read, not acked
```

## Fix

The recipient acknowledges it (`acknowledge_message`), or the sender follows up in the thread.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from generator.analysis import Context
from generator.model import Severity
from generator.rules._common import ago, when
from generator.rules.base import Hit, Rule


def check(ctx: Context) -> Iterable[Hit]:
    mail = ctx.board.mail
    if mail is None or not mail.acks_known:
        return
    limit = timedelta(hours=ctx.config.thresholds.unacked_hours)
    for m in mail.messages:
        if not m.ack_required or m.at is None or ctx.now - m.at.value <= limit:
            continue
        for who, read, ack in m.receipts:
            if ack is not None and ack.value - m.at.value <= limit:
                continue
            state = "acked late" if ack is not None else ("read, not acked" if read else "unread")
            yield Hit.at(
                m.source,
                f"#{m.id} {m.sender} → {who} “{m.subject}” asks for an ack; sent "
                f"{when(m.at.value)} ({ago(ctx.now, m.at.value)}), {who}: {state}",
            )


RULE = Rule(
    name="mail-ack-overdue",
    code="SB711",
    severity=Severity.WARNING,
    failure_mode="lossy-relay",
    doc=__doc__ or "",
    check=check,
)
