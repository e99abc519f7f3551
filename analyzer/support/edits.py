"""Applying text edits (1-based line, column spans) to a file's text."""

from __future__ import annotations

from analyzer.types import Edit


def _offsets(text: str) -> list[int]:
    starts = [0]
    for i, ch in enumerate(text):
        if ch == "\n":
            starts.append(i + 1)
    return starts


def _offset(starts: list[int], text: str, line: int, column: int) -> int:
    if line > len(starts):
        return len(text)
    return min(starts[line - 1] + column - 1, len(text))


def apply_edits(text: str, edits: list[Edit]) -> tuple[str, list[Edit]]:
    """Apply non-overlapping edits; return the new text and the edits that were skipped."""
    taken, skipped = place_edits(text, edits)
    out = []
    pos = 0
    for s, e, edit in taken:
        out.append(text[pos:s])
        out.append(edit.text)
        pos = e
    out.append(text[pos:])
    return "".join(out), skipped


def place_edits(text: str, edits: list[Edit]) -> tuple[list[tuple[int, int, Edit]], list[Edit]]:
    """The (start, end, edit) offsets in `text` of the edits to apply, in order, none overlapping,
    and the edits that were skipped (they overlap one taken: left for the next pass)."""
    starts = _offsets(text)
    placed = []
    for edit in edits:
        s = _offset(starts, text, edit.span.line, edit.span.column)
        e = _offset(starts, text, edit.span.end_line or edit.span.line, edit.span.end_column or edit.span.column)
        placed.append((s, max(e, s), edit))
    placed.sort(key=lambda t: (t[0], t[1]))
    taken: list[tuple[int, int, Edit]] = []
    skipped: list[Edit] = []
    last_end = -1
    for s, e, edit in placed:
        if taken and (s, e, edit.text) == (taken[-1][0], taken[-1][1], taken[-1][2].text):
            continue  # the same edit for two findings (LE201 and LE203 both add `-b ...`): apply it once
        if taken and (s < last_end or (s == e == last_end and taken[-1][0] == s)):
            skipped.append(edit)
            continue
        taken.append((s, e, edit))
        last_end = e
    return [(s, e, edit) for s, e, edit in taken], skipped
