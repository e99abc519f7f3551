"""Applying fixes: text edits at the reported positions, never a re-dump of a whole file.

Spans are computed on the text as lean-lint reads it (decoded, newlines normalized to \\n, BOM
removed for Python). Applying them keeps the file's encoding, BOM and newline style. Edits that
overlap an edit already taken are left for the next pass (the CLI runs a few passes, as ruff does),
and a fixed Python file or leanengine.yaml that would no longer parse is not written.
"""

from __future__ import annotations

import difflib
import io
import tokenize
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from analyzer.readers.python import parses
from analyzer.support.edits import apply_edits
from analyzer.types import Edit, Finding, Report


@dataclass
class FileText:
    """A file's text with what is needed to write it back the way it was."""

    text: str
    encoding: str
    newline: str
    bom: bool

    @classmethod
    def read(cls, path: Path, python: bool) -> "FileText":
        data = path.read_bytes()
        bom = data.startswith(b"\xef\xbb\xbf")
        encoding = "utf-8"
        if python:
            encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
            if encoding == "utf-8-sig":
                encoding = "utf-8"
        raw = data[3:] if bom else data
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            encoding, text = "latin-1", raw.decode("latin-1")
        newline = "\r\n" if "\r\n" in text else ("\r" if "\r" in text else "\n")
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if not python and bom:
            text = "\ufeff" + text  # non-Python spans count the BOM as a character (LE602)
            bom = False
        return cls(text, encoding, newline, bom)

    def encode(self, text: str) -> bytes:
        body = text.replace("\n", self.newline).encode(self.encoding)
        return (b"\xef\xbb\xbf" if self.bom else b"") + body


def still_valid(path: str, text: str) -> bool:
    """A fix never leaves a Python file or leanengine.yaml unparseable."""
    if path.endswith(".py"):
        # Parsed by any grammar lean-lint knows: the target decides the version, not the running Python.
        return parses(text)
    elif path.endswith((".yaml", ".yml")):
        # start-up: PyYAML loads only when YAML is read
        import yaml

        try:
            yaml.safe_load(text.lstrip("\ufeff"))
        except yaml.YAMLError:
            return False
    return True


@dataclass
class FixResult:
    path: str
    before: bytes | None  # None: the file is created
    after: bytes
    fixed: list[Finding]


def plan_fixes(root: Path, findings: list[Finding], *, unsafe: bool = False) -> list[FixResult]:
    """What applying the fixes of `findings` would write, file by file (nothing is written)."""
    by_path: dict[str, list[tuple[Finding, tuple[Edit, ...]]]] = {}
    for f in findings:
        if f.fix is None or f.suppressed or (not f.fix.safe and not unsafe):
            continue
        for edit in f.fix.edits:
            by_path.setdefault(edit.path, [])
        by_path[f.fix.edits[0].path].append((f, f.fix.edits))
    results = []
    for path, items in sorted(by_path.items()):
        target = root / path
        creating = not target.exists()
        if creating:
            file = FileText("", "utf-8", "\n", False)
        else:
            try:
                file = FileText.read(target, path.endswith(".py"))
            except (OSError, SyntaxError, LookupError):
                continue
        edits: list[Edit] = []
        owners: list[Finding] = []
        for finding, fedits in items:
            if all(e.path == path for e in fedits):
                edits.extend(fedits)
                owners.append(finding)
        new_text, skipped = apply_edits(file.text, edits)
        if new_text == file.text or not still_valid(path, new_text):
            continue
        skipped_ids = {id(e) for e in skipped}
        fixed = [f for f in owners if not any(id(e) in skipped_ids for e in f.fix.edits)]
        results.append(FixResult(path, None if creating else target.read_bytes(), file.encode(new_text), fixed))
    return results


def unified_diff(result: FixResult) -> str:
    def lines(data: bytes | None) -> list[str]:
        return [] if data is None else data.decode("utf-8", "replace").splitlines(keepends=True)

    before = "/dev/null" if result.before is None else f"a/{result.path}"
    diff = difflib.unified_diff(lines(result.before), lines(result.after), before, f"b/{result.path}")
    text = "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in diff)
    return text


#: A fix can make room for another (overlapping edits wait a pass): `--fix` repeats up to this many.
FIX_PASSES = 4


def fix_until_stable(
    root: Path, report: Report, reanalyze: Callable[[], Report], *, unsafe: bool = False,
    collect: "list[Finding] | None" = None,
) -> tuple[Report, int]:
    """Apply the fixes of `report`, re-analyze, and repeat until nothing is left to fix (at most
    FIX_PASSES times). Returns the last report and how many findings were fixed; `collect` gets the
    fixed findings themselves (`--fix --show-fixes` lists them)."""
    fixed = 0
    for _ in range(FIX_PASSES):
        plans = plan_fixes(root, report.active, unsafe=unsafe)
        if not plans:
            break
        write_fixes(root, plans)
        fixed += sum(len(p.fixed) for p in plans)
        if collect is not None:
            collect.extend(f for p in plans for f in p.fixed)
        report = reanalyze()
    return report, fixed


def write_fixes(root: Path, results: list[FixResult]) -> None:
    for result in results:
        target = root / result.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(result.after)
