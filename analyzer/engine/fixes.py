"""Applying fixes: text edits at the reported positions, never a re-dump of a whole file.

Spans are computed on the text as lean-lint reads it (decoded, newlines normalized to \\n, BOM
removed for Python). Applying them maps each edit back onto the file as it is, so every byte outside
the edits stays: the encoding (UTF-16/32 with their BOM too), the BOM, each line's own ending. Edits
that overlap an edit already taken are left for the next pass (the CLI runs a few passes, as ruff
does), and a fixed Python file or leanengine.yaml that would no longer parse is not written. Writing
is all or nothing: every target is checked first (a read-only one is a one-line error and nothing is
written), and each file is replaced whole through a temporary file and a rename.
"""

from __future__ import annotations

import bisect
import codecs
import difflib
import io
import os
import re
import stat
import tempfile
import tokenize
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from analyzer.errors import UsageError
from analyzer.readers.python import parses
from analyzer.support.edits import place_edits
from analyzer.types import Edit, Finding, Report


_NEWLINE = re.compile(r"(\r\n|\r|\n)")


@dataclass
class FileText:
    """A file's text as rules count positions in it (`text`: decoded, newlines as \\n), and what is
    needed to write an edited version back byte for byte the same outside the edits: the encoding
    (UTF-16 and UTF-32 with their BOM, as `pip freeze >` writes in Windows PowerShell), the BOM, and
    the original ending of every line (a file may mix them)."""

    text: str
    encoding: str
    bom: bool
    raw: str = ""  #: the decoded text with its original line endings
    line_starts: tuple[int, ...] = ()  #: where each line starts in `raw`
    endings: tuple[str, ...] = ()  #: each line's original ending ("" for a last line without one)

    @classmethod
    def read(cls, path: Path, python: bool) -> "FileText":
        return cls.decode(path.read_bytes(), python)

    @classmethod
    def decode(cls, data: bytes, python: bool) -> "FileText":
        """Raises SyntaxError for a Python file with a bad coding cookie, LookupError for an unknown codec."""
        bom = False
        raw = None
        encoding = "utf-8"
        if python:
            encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
            if data.startswith(codecs.BOM_UTF8):
                bom, data, encoding = True, data[3:], "utf-8"
            elif encoding == "utf-8-sig":
                encoding = "utf-8"
        else:
            # Non-Python spans count a BOM as a character (U+FEFF, LE602), as decode_text() reads it:
            # it stays in the text, and encoding the text writes it back in the same byte order.
            for mark, name in _BOMS:
                if data.startswith(mark):
                    try:
                        raw, encoding = "\ufeff" + data[len(mark) :].decode(name), name
                    except UnicodeError:
                        raw = None
                    break
        if raw is None:
            try:
                raw = data.decode(encoding)
            except UnicodeDecodeError:
                encoding, raw = "latin-1", data.decode("latin-1")
        parts = _NEWLINE.split(raw)  # [line, ending, line, ending, ..., last line]
        lines, endings = parts[0::2], parts[1::2] + [""]
        starts = [0]
        for line, ending in zip(lines, endings[:-1]):
            starts.append(starts[-1] + len(line) + len(ending))
        return cls("\n".join(lines), encoding, bom, raw, tuple(starts), tuple(endings))

    def _raw_offset(self, starts: list[int], offset: int) -> int:
        line = bisect.bisect_right(starts, offset) - 1
        return self.line_starts[line] + (offset - starts[line])

    def apply(self, edits: list[Edit]) -> tuple[str, list[Edit]]:
        """The edited raw text and the edits skipped (overlapping): every byte outside the edits,
        line endings included, is kept; a newline an edit inserts takes the ending of its line."""
        taken, skipped = place_edits(self.text, edits)
        starts = [0]
        for line in self.text.split("\n")[:-1]:
            starts.append(starts[-1] + len(line) + 1)
        common = max(set(self.endings) - {""}, key=self.endings.count, default="\n")
        out = []
        pos = 0
        for s, e, edit in taken:
            raw_s, raw_e = self._raw_offset(starts, s), self._raw_offset(starts, e)
            ending = self.endings[bisect.bisect_right(starts, s) - 1] or common
            out.append(self.raw[pos:raw_s])
            out.append(edit.text.replace("\n", ending))
            pos = raw_e
        out.append(self.raw[pos:])
        return "".join(out), skipped

    def encode(self, raw: str) -> bytes:
        return (codecs.BOM_UTF8 if self.bom else b"") + raw.encode(self.encoding)


#: UTF-32 before UTF-16: the UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF8, "utf-8"),
)


def normalized(raw: str) -> str:
    return raw.replace("\r\n", "\n").replace("\r", "\n")


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
            file = FileText.decode(b"", False)
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
        new_raw, skipped = file.apply(edits)
        if new_raw == file.raw or not still_valid(path, normalized(new_raw)):
            continue
        skipped_ids = {id(e) for e in skipped}
        fixed = [f for f in owners if not any(id(e) in skipped_ids for e in f.fix.edits)]
        results.append(FixResult(path, None if creating else target.read_bytes(), file.encode(new_raw), fixed))
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
    """Write every planned file, or none: each target is checked first (a regular file, writable,
    not a link: raises UsageError, one line, before anything is written), then each file is written
    whole to a temporary file beside it and renamed over it, so a file has all its fixes or none."""
    for result in results:
        problem = _unwritable(root, result.path, creating=result.before is None)
        if problem:
            raise UsageError(f"cannot fix {result.path}: {problem}; no file was changed")
    for result in results:
        try:
            write_whole(root / result.path, result.after)
        except OSError as exc:
            raise UsageError(f"cannot write {result.path}: {exc.strerror or exc}; it was left unchanged") from None


def _unwritable(root: Path, rel: str, creating: bool) -> str | None:
    target = root / rel
    try:
        st = os.lstat(target)
    except FileNotFoundError:
        return None if creating else "it no longer exists"
    except OSError as exc:
        return exc.strerror or str(exc)
    if stat.S_ISLNK(st.st_mode):
        return "it is a symbolic link, and lean-lint does not write through one"
    if not stat.S_ISREG(st.st_mode):
        return "it is not a regular file"
    if not st.st_mode & 0o222 or not os.access(target, os.W_OK):
        return "it is read-only"
    if not os.access(target.parent, os.W_OK | os.X_OK):
        return "its folder is read-only"
    return None


def write_whole(target: Path, data: bytes) -> None:
    """Replace `target` atomically (a temporary file renamed over it), keeping its permission bits."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = stat.S_IMODE(os.lstat(target).st_mode)
    except FileNotFoundError:
        mode = None
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".lean-lint-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
