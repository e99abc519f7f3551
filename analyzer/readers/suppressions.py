"""Inline suppressions: `# lean-lint: ignore`, `# lean-lint: ignore[LE401,LE5]` at the end of a
line, and `# lean-lint: ignore-file[LE501]` anywhere in a file. The same comment works in Python
files, requirements files and leanengine.yaml (all use `#` comments)."""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass, field

from analyzer.types import Edit, Span

MARKER = "lean-lint:"
_RE = re.compile(r"#\s*lean-lint:\s*ignore(?P<file>-file)?(?:\[(?P<codes>[^\]]*)\])?", re.IGNORECASE)
#: A code or prefix as written in a directive: upper case, as `lean-lint rules` prints it.
_CODE = re.compile(r"LE\d{0,3}\Z")
_TOKEN = re.compile(r"[^,\s]+")
#: Files whose comments start with `#`, where inline suppressions (and `--add-ignore`) work.
COMMENTABLE_SUFFIXES = (".py", ".txt", ".in", ".yaml", ".yml")


@dataclass
class Suppression:
    line: int
    #: 1-based columns of the directive (`# lean-lint: ignore[...]`), end exclusive.
    column: int
    end_column: int
    #: The well-formed codes; None: every rule (no brackets, or empty ones).
    codes: tuple[str, ...] | None
    whole_file: bool
    used_codes: set[str] = field(default_factory=set)
    #: Every code as written, in order, with its 1-based columns (end exclusive): the malformed ones
    #: (`le401`, `LE7O2`) suppress nothing and are reported (LE004), as are well-formed unknown ones.
    tokens: tuple[tuple[str, int, int], ...] = ()

    def without(self, drop: "set[str]") -> str:
        """The directive's text with the codes in `drop` left out (at least one must stay)."""
        kept = [text for text, _, _ in self.tokens if text not in drop]
        return f"# lean-lint: ignore{'-file' if self.whole_file else ''}[{', '.join(kept)}]"

    @property
    def used(self) -> bool:
        return bool(self.used_codes)

    def covers(self, code: str) -> bool:
        return self.codes is None or any(code.startswith(c) for c in self.codes)


@dataclass
class FileSuppressions:
    items: list[Suppression] = field(default_factory=list)

    def match(self, code: str, lines: tuple[int, ...]) -> Suppression | None:
        for item in self.items:
            if (item.whole_file or item.line in lines) and item.covers(code):
                item.used_codes.add(code)
                return item
        return None


def _comments(text: str, is_python: bool) -> list[tuple[int, int, str]]:
    """(line, 0-based column, comment text) of every comment holding the marker."""
    plain = [(i, line.find("#"), line[line.find("#"):]) for i, line in enumerate(text.splitlines(), 1) if MARKER in line and "#" in line]
    if not is_python:
        return plain
    out = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type == tokenize.COMMENT and MARKER in tok.string:
                out.append((tok.start[0], tok.start[1], tok.string))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return plain
    return out


def parse_suppressions(text: str, is_python: bool) -> FileSuppressions:
    result = FileSuppressions()
    if MARKER not in text:
        return result
    for line_no, col, comment in _comments(text, is_python):
        for m in _RE.finditer(comment):
            codes, tokens = None, ()
            if m.group("codes") is not None:
                base = col + m.start("codes") + 1
                tokens = tuple(
                    (t.group(), base + t.start(), base + t.end()) for t in _TOKEN.finditer(m.group("codes"))
                )
                if tokens:  # only malformed codes: the directive suppresses nothing, not everything
                    codes = tuple(text for text, _, _ in tokens if _CODE.match(text))
            result.items.append(
                Suppression(line_no, col + m.start() + 1, col + m.end() + 1, codes, bool(m.group("file")), tokens=tokens)
            )
    return result


def unused_codes(item: Suppression, ran: set[str], all_ran: bool) -> tuple[str, ...] | None:
    """The codes of `item` that suppressed nothing although their rule ran; () when the whole
    directive is unused; None when it is (or may be) in use."""
    if item.codes is None:
        return () if (not item.used and all_ran) else None
    unused = tuple(
        c for c in item.codes
        if any(r.startswith(c) for r in ran) and not any(u.startswith(c) for u in item.used_codes)
    )
    if not unused:
        return None
    return () if len(unused) == len(item.tokens or item.codes) else unused


def removal_span(line_text: str, item: Suppression) -> tuple[int, int, int, int]:
    """(line, col, end_line, end_col) of the text to delete to remove the directive: the whole line
    when nothing else is on it, else the directive and the blanks before it."""
    start, end = item.column - 1, item.end_column - 1
    before, after = line_text[:start], line_text[end:]
    if not before.strip() and not after.strip():
        return (item.line, 1, item.line + 1, 1)
    if after.strip().startswith("#") or not after.strip():
        cut = len(before.rstrip()) if not after.strip() else start
        if after.strip():
            end += len(after) - len(after.lstrip())
        return (item.line, cut + 1, item.line, end + 1)
    return (item.line, start + 1, item.line, end + 1)


def add_ignore_edits(path: str, text: str, findings) -> tuple[list, list[tuple[int, str]]]:
    """`--add-ignore`: the edits that put `# lean-lint: ignore[CODES]` on every line with a finding,
    merging into an existing directive, and the (line, why) of findings that get none because a
    comment there would change the file's meaning: inside a multi-line string (an f-string on
    Python 3.12+ is tokens, not one STRING), or after a trailing backslash that continues the line
    (pip joins it with the next; in Python it is a syntax error)."""

    lines = text.splitlines()
    blocked: dict[int, str] = {}
    if path.endswith(".py"):
        fstring_start = getattr(tokenize, "FSTRING_START", None)
        fstring_end = getattr(tokenize, "FSTRING_END", None)
        opened: list[int] = []
        try:
            for tok in tokenize.generate_tokens(io.StringIO(text).readline):
                if tok.type == tokenize.STRING and tok.end[0] > tok.start[0]:
                    blocked.update((n, "inside a multi-line string") for n in range(tok.start[0], tok.end[0]))
                elif fstring_start is not None and tok.type == fstring_start:
                    opened.append(tok.start[0])
                elif fstring_end is not None and tok.type == fstring_end and opened:
                    first = opened.pop()
                    blocked.update((n, "inside a multi-line f-string") for n in range(first, tok.end[0]))
        except (tokenize.TokenError, SyntaxError, IndentationError):
            pass
    for number, line in enumerate(lines, 1):
        if line.endswith("\\") and number not in blocked:
            blocked[number] = "the line ends with a backslash that continues it"
    wanted: dict[int, set[str]] = {}
    refused: list[tuple[int, str]] = []
    for f in findings:
        line = f.span.line if f.span.line not in blocked else (f.span.end_line or f.span.line)
        if not 0 < line <= len(lines):
            continue
        if line in blocked:
            refused.append((line, blocked[line]))
            continue
        wanted.setdefault(line, set()).add(f.code)
    existing = {item.line: item for item in parse_suppressions(text, path.endswith(".py")).items if not item.whole_file}
    edits = []
    for line, codes in sorted(wanted.items()):
        item = existing.get(line)
        if item is not None:
            if item.codes is None:
                continue
            merged = ", ".join(sorted({text for text, _, _ in item.tokens} | codes))
            edits.append(Edit(path, Span(line, item.column, line, item.end_column), f"# lean-lint: ignore[{merged}]"))
        else:
            end = len(lines[line - 1]) + 1
            sep = "  " if lines[line - 1].strip() else ""
            edits.append(Edit(path, Span(line, end, line, end), f"{sep}# lean-lint: ignore[{', '.join(sorted(codes))}]"))
    return edits, sorted(set(refused))
