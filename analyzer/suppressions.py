"""Inline suppressions: `# lean-lint: ignore`, `# lean-lint: ignore[LE401,LE5]` at the end of a
line, and `# lean-lint: ignore-file[LE501]` anywhere in a file. The same comment works in Python
files, requirements files and leanengine.yaml (all use `#` comments)."""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass, field

MARKER = "lean-lint:"
_RE = re.compile(r"#\s*lean-lint:\s*ignore(?P<file>-file)?(?:\[(?P<codes>[^\]]*)\])?", re.IGNORECASE)


@dataclass
class Suppression:
    line: int
    codes: tuple[str, ...] | None  # None: every rule
    whole_file: bool
    used: bool = False

    def covers(self, code: str) -> bool:
        return self.codes is None or any(code.startswith(c) for c in self.codes)


@dataclass
class FileSuppressions:
    items: list[Suppression] = field(default_factory=list)

    def match(self, code: str, lines: tuple[int, ...]) -> Suppression | None:
        for item in self.items:
            if (item.whole_file or item.line in lines) and item.covers(code):
                item.used = True
                return item
        return None


def _comment_lines(text: str, is_python: bool) -> list[tuple[int, str]]:
    if not is_python:
        return [(i, line) for i, line in enumerate(text.splitlines(), 1) if MARKER in line]
    out = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type == tokenize.COMMENT and MARKER in tok.string:
                out.append((tok.start[0], tok.string))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return [(i, line) for i, line in enumerate(text.splitlines(), 1) if MARKER in line]
    return out


def parse_suppressions(text: str, is_python: bool) -> FileSuppressions:
    result = FileSuppressions()
    if MARKER not in text:
        return result
    for line_no, comment in _comment_lines(text, is_python):
        for m in _RE.finditer(comment):
            codes = None
            if m.group("codes") is not None:
                codes = tuple(c.strip().upper() for c in m.group("codes").split(",") if c.strip()) or None
            result.items.append(Suppression(line_no, codes, bool(m.group("file"))))
    return result
