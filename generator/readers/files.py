"""Safe reading of one board file: links, size, NUL bytes and encoding are checked before parsing."""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

from generator.model import Problem, SourceRef
from generator.readers.secrets import redact_path, redact_text

RULE = "file-unreadable"
_BOM = b"\xef\xbb\xbf"


def escaping_link(repo: Path, rel: str) -> str | None:
    """Describe the symbolic link that takes `rel` outside `repo`, or None when it stays inside."""
    current = repo
    for part in PurePosixPath(rel).parts:
        current = current / part
        if not current.is_symlink():
            continue
        root = repo.resolve()  # only where there is a link: resolving costs a stat per folder
        target = current.resolve()
        if target != root and not target.is_relative_to(root):
            # Show the link as written (not the resolved absolute path) so no local path leaks.
            link = current.relative_to(repo).as_posix()
            return (
                f"`{link}` is a symbolic link to `{os.readlink(current)}`, outside the repository"
            )
    return None


def starts_with(repo: Path, rel: str, prefix: bytes) -> bool:
    """Whether the regular file `rel` of `repo` starts with `prefix` (after a UTF-8 byte-order
    mark), reading only its first bytes; False when `read_source` would not read it at all."""
    if escaping_link(repo, rel) is not None:
        return False
    path = repo / rel
    try:
        if not path.is_file():
            return False
        with path.open("rb") as fh:
            head = fh.read(len(_BOM) + len(prefix))
    except OSError:
        return False
    return head.removeprefix(_BOM).startswith(prefix)


def read_source(repo: Path, rel: str, max_bytes: int) -> tuple[str | None, list[Problem]]:
    """Read `rel` as UTF-8 text with `\\n` line ends; None and a `file-unreadable` problem if unsafe."""

    def fail(message: str, line: int | None = None) -> tuple[None, list[Problem]]:
        # The message may quote the name (an OS error, a link target): both shown redacted.
        text = redact_text(f"{message}; the file is not read")
        return None, [Problem(RULE, SourceRef(redact_path(rel), line), text)]

    escape = escaping_link(repo, rel)
    if escape is not None:
        return fail(escape)
    path = repo / rel
    try:
        if not path.is_file():
            if path.is_symlink() and not path.exists():
                return fail(f"the file is a dangling symbolic link to `{os.readlink(path)}`")
            return fail("the path is not a regular file")
        size = path.stat().st_size
        if size > max_bytes:
            return fail(
                f"the file is {size:,} bytes, over the limit of {max_bytes:,} "
                "(thresholds.max_file_bytes)"
            )
        data = path.read_bytes()
    except OSError as exc:
        return fail(f"cannot be read: {exc.strerror or exc}")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return fail("the file is UTF-16 (it starts with a UTF-16 byte-order mark), not UTF-8", 1)
    nul = data.find(b"\0")
    if nul >= 0:
        line, column = _position(data, nul)
        return fail(f"the file contains a NUL byte at line {line}, column {column}", line)
    body = data[len(_BOM) :] if data.startswith(_BOM) else data
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = exc.start + len(data) - len(body)
        line, column = _position(data, offset)
        bad = " ".join(f"0x{b:02X}" for b in data[offset : offset + min(exc.end - exc.start, 4)])
        return fail(
            f"the file is not UTF-8: byte {bad} at line {line}, column {column} "
            f"(byte offset {offset}) is not valid UTF-8",
            line,
        )
    # markdown-it treats a lone CR as a line end too; normalising both keeps our line numbers and
    # its source maps in step. (Most files have none: one scan for a CR instead of two.)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, []


def _position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and byte column of `offset` in `data`."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, offset - line_start + 1
