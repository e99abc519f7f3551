"""The one place that reads the analyzed project's files.

Only regular files inside the project are opened (a FIFO would block forever, a device could be
endless), reads are capped, and Python sources are decoded the way the interpreter would (BOM,
PEP 263 coding cookie). Nothing here imports or runs project code: `ast.parse` only builds a tree.
"""

from __future__ import annotations

import ast
import io
import os
import stat
import tokenize
from dataclasses import dataclass, field
from pathlib import Path

#: Files larger than this are not read (a finding says so). Django's largest module is ~100 KiB.
MAX_FILE_BYTES = 2 * 1024 * 1024


class UnreadableFile(Exception):
    """A file that exists but cannot be read as a regular file; the message says why."""


def read_bytes(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """Read a regular file, refusing anything else and anything larger than `limit`."""
    try:
        st = os.stat(path)
    except OSError as exc:
        raise UnreadableFile(exc.strerror or str(exc)) from None
    if stat.S_ISDIR(st.st_mode):
        raise UnreadableFile("it is a directory, not a file")
    if not stat.S_ISREG(st.st_mode):
        raise UnreadableFile("it is not a regular file (a FIFO, socket or device)")
    if st.st_size > limit:
        raise UnreadableFile(f"it is {st.st_size:,} bytes, over lean-lint's {limit:,}-byte limit")
    try:
        # O_NONBLOCK: should the file be swapped for a FIFO after the stat, open does not block.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise UnreadableFile(exc.strerror or str(exc)) from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise UnreadableFile("it is not a regular file")
        return handle.read(limit + 1)[: limit + 1]


def decode_text(data: bytes) -> str:
    """Decode a non-Python text file: UTF-8 (a BOM is kept as U+FEFF so rules can see it), else
    latin-1, which never fails. Newlines are normalized to \\n."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    return text.replace("\r\n", "\n").replace("\r", "\n")


@dataclass
class PythonSource:
    """A Python file, read and checked by the cheap pass (stdlib `ast`, no libcst)."""

    path: str
    text: str | None = None
    #: Why the file cannot be analyzed: (line, column, message). Set for LE001 / LE003 findings.
    syntax_error: tuple[int, int, str] | None = None
    unreadable: str | None = None
    tree: ast.Module | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return self.text is not None and self.syntax_error is None and self.unreadable is None


def decode_python(data: bytes) -> str:
    """Decode like the interpreter: BOM, then a PEP 263 cookie, else UTF-8. Raises SyntaxError."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        raise SyntaxError(f"cannot decode: {exc.msg if hasattr(exc, 'msg') else exc}") from None
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        line = data[: getattr(exc, "start", 0)].count(b"\n") + 1
        err = SyntaxError(f"cannot decode the file as {encoding}: {exc.reason if hasattr(exc, 'reason') else exc}")
        err.lineno, err.offset = line, 1
        raise err from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def load_python(path: str, abspath: Path) -> PythonSource:
    """Read, decode and `ast`-parse one Python file. Never raises for bad content."""
    src = PythonSource(path)
    try:
        data = read_bytes(abspath)
    except UnreadableFile as exc:
        src.unreadable = str(exc)
        return src
    try:
        src.text = decode_python(data)
    except SyntaxError as exc:
        src.syntax_error = (exc.lineno or 1, exc.offset or 1, str(exc.msg) if hasattr(exc, "msg") else str(exc))
        return src
    if "\0" in src.text:
        line = src.text.count("\n", 0, src.text.index("\0")) + 1
        src.syntax_error = (line, 1, "the file contains a NUL byte")
        return src
    try:
        src.tree = ast.parse(src.text, filename=path)
    except SyntaxError as exc:
        if "too many" not in exc.msg and "nested" not in exc.msg and _parses_with_libcst(src.text):
            # Newer syntax than the running interpreter knows: not an error on the platform.
            src.tree = ast.Module(body=[], type_ignores=[])
        else:
            src.syntax_error = (exc.lineno or 1, max(exc.offset or 1, 1), exc.msg)
    except (ValueError, MemoryError, RecursionError) as exc:
        src.syntax_error = (1, 1, f"the file cannot be parsed: {type(exc).__name__}: {exc}")
    return src


def _parses_with_libcst(text: str) -> bool:
    import libcst

    try:
        libcst.parse_module(text)
    except Exception:
        return False
    return True
