"""Shared by the python_version rules (LE601, LE602, LE603, LE604)."""

from __future__ import annotations

from analyzer.model.target import VersionFile, read_version_file
from analyzer.platform.python_target import (
    EMBEDDED_VERSION_RE,
    LANGUAGE_VERSION_RE,
    OTHER_IMPLEMENTATIONS,
    PYTHON_VERSION,
    other_implementation,
)
from analyzer.readers.python import decode_text
from analyzer.types import Edit, Fix, Span

__all__ = [
    "EMBEDDED_VERSION_RE",
    "LANGUAGE_VERSION_RE",
    "OTHER_IMPLEMENTATIONS",
    "PYTHON_VERSION",
    "VersionFile",
    "other_implementation",
    "read_version_file",
]

RUNTIME_TXT = "runtime.txt"


EXAMPLE_VERSION = "3.12"


def _strip_fix(path: str, data: bytes) -> Fix | None:
    """LE602's fix: delete the BOM and blanks before the version, when a `2.`/`3.` version follows.
    None for a UTF-16 or UTF-32 file: a fix keeps the file's encoding, and lean-cli reads bytes, so
    no edit of its text can make it start with `3.` (the file has to be saved as UTF-8)."""

    if data.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        return None
    text = decode_text(data)
    start = len(text) - len(text.lstrip("\ufeff \t\n"))
    if start == 0 or not text[start:].startswith(("2.", "3.")):
        return None
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    return Fix("Remove what comes before the version", (Edit(path, Span(1, 1, line, column), ""),))
