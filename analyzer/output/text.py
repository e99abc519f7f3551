"""The terminal format: `path:line:col: CODE message`, the fix on the next line, a summary.

`concise` (the default) gives one line per finding and its fix; `full` adds the source line with a
caret under the span and the fix as a diff where lean-lint has one, as ruff's `--output-format full`
does. Paths get `path_prefix` in front, so they read from the current directory.
"""

from __future__ import annotations

from analyzer.types import Edit, Finding, count_by_severity

_COLORS = {"error": "\033[31m", "warning": "\033[33m", "note": "\033[36m"}
_BOLD, _DIM, _RESET = "\033[1m", "\033[2m", "\033[0m"
_RED, _GREEN, _CYAN = "\033[31m", "\033[32m", "\033[36m"

OUTPUT_FORMATS = ("concise", "full")


#: The GitHub runner's legacy command prefix, which it honours anywhere in a line (`##[warning]x`).
RUNNER_LEGACY_PREFIX = "##["


def visible(text: str) -> str:
    """`text` on one line with every control or invisible character shown as its escape (`\\n`,
    `\\x1b`, `\\u202e`), and the `[` of `##[` as `\\x5b`: a file name or a YAML value with a newline
    could otherwise start a line of its own, which CI runners read as a workflow command (GitHub's
    runner reads `##[command]` anywhere in a line), and an escape sequence could rewrite the terminal."""
    if not text.isprintable():
        text = "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)
    return text.replace(RUNNER_LEGACY_PREFIX, "##\\x5b")


def _line_start(path: str) -> str:
    """A path that begins a line: `./` before one that would read as a `::command` to the runner."""
    shown = visible(path)
    return f"./{shown}" if shown.lstrip().startswith("::") else shown


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def location(f: Finding, path_prefix: str = "") -> str:
    """`wsgi.py:18:14`; a finding about a folder (LE101, LE102 with nothing to point at) is the
    folder alone: `services/api/`, or `./` for the current directory."""
    if not f.path or f.path.endswith("/"):
        return _line_start(path_prefix + f.path) or "./"
    return f"{_line_start(path_prefix + f.path)}:{f.line}:{f.column}"


def render(
    report,
    *,
    color: bool = False,
    path_prefix: str = "",
    output_format: str = "concise",
    show_fixes: bool = False,
    statistics: bool = False,
) -> str:
    def paint(text: str, code: str) -> str:
        return f"{code}{text}{_RESET}" if color else text

    lines: list[str] = []
    active = report.active
    if statistics:
        lines += _statistics(report, paint)
    else:
        for f in active:
            sev = f.severity.label
            where = paint(location(f, path_prefix) + ":", _BOLD)
            code = paint(f.code, _COLORS[sev])
            mark = "[*] " if f.fix is not None and f.fix.safe else ""
            lines.append(f"{where} {code} {mark}{visible(f.message)}")
            if output_format == "full":
                lines += _source(report, f, paint)
            if f.hint:
                lines.append(paint(f"  fix: {visible(f.hint)}", _DIM))
            if (output_format == "full" or show_fixes) and f.fix is not None:
                lines += [paint(line, _diff_color(line)) for line in fix_diff(report, f, path_prefix)]
            if output_format == "full":
                lines.append("")
    c = count_by_severity(active)
    if active:
        parts = [_plural(c["error"], "error"), _plural(c["warning"], "warning"), _plural(c["note"], "note")]
        if lines and lines[-1] != "":
            lines.append("")
        lines.append(f"Found {_plural(len(active), 'problem')} ({', '.join(parts)}).")
        fixable = sum(1 for f in active if f.fix is not None and f.fix.safe)
        hidden = sum(1 for f in active if f.fix is not None and not f.fix.safe)
        if fixable:
            lines.append(f"[*] {fixable} fixable with `lean-lint --fix`.")
        if hidden:
            lines.append(
                f"{_plural(hidden, 'hidden fix')} can be enabled with `--unsafe-fixes`"
                f" (`lean-lint --fix --unsafe-fixes`, or `--diff --unsafe-fixes` to see them)."
            )
    else:
        lines.append("No problems found.")
    lines += hidden_lines(report)
    return "\n".join(lines) + "\n"


def hidden_lines(report) -> list[str]:
    """What the run found but does not report: by inline comments and by the baseline, apart."""
    out = []
    suppressed = sum(1 for f in report.findings if f.suppressed)
    baselined = sum(1 for f in report.findings if getattr(f, "baselined", False) and not f.suppressed)
    if suppressed:
        out.append(f"{_plural(suppressed, 'finding')} suppressed by `# lean-lint: ignore` comments.")
    if baselined:
        were = "was" if baselined == 1 else "were"
        out.append(f"{_plural(baselined, 'finding')} in the baseline {were} not reported.")
    return out


def closing_line(report, seconds: float) -> str:
    """`lean-lint: analyzed 412 files in 3.4 s`, on stderr at the end of a long run."""
    return f"lean-lint: analyzed {_plural(report.files_analyzed, 'file')} in {seconds:.1f} s"


def _statistics(report, paint) -> list[str]:
    """`--statistics`: one line per rule, most frequent first: count, code, [*] when fixable, name."""
    names = {r.code: r.name for r in report.rules}
    counts: dict[str, list[int]] = {}
    for f in report.active:
        entry = counts.setdefault(f.code, [0, 0])
        entry[0] += 1
        entry[1] += f.fix is not None and f.fix.safe
    width = max((len(str(n)) for n, _ in counts.values()), default=1)
    rows = sorted(counts.items(), key=lambda kv: (-kv[1][0], kv[0]))
    return [
        f"{n:>{width}}  {paint(code, _BOLD)}  {'[*]' if fixable == n else '[-]' if fixable else '   '} "
        f"{names.get(code, '')}".rstrip()
        for code, (n, fixable) in rows
    ]


def _source(report, f: Finding, paint) -> list[str]:
    """The finding's first line with a caret under its span (to the end of the line when the span
    goes on), numbered like an editor's gutter."""
    if not f.path or f.path.endswith("/"):
        return []
    text = report.source_lines.get((f.path, f.line))
    if text is None:
        return []
    shown = visible(text.expandtabs(1))
    gutter = len(str(f.line))
    start = max(f.column, 1) - 1
    if f.span.end_line == f.line and f.span.end_column:
        end = max(f.span.end_column - 1, start + 1)
    else:
        end = max(len(text), start + 1)
    pad = " " * (gutter + 1)
    return [
        paint(f"{pad}|", _CYAN),
        f"{paint(f'{f.line} |', _CYAN)} {shown}",
        f"{paint(pad + '|', _CYAN)} {' ' * start}{paint('^' * (end - start), _COLORS[f.severity.label])}",
    ]


def fix_diff(report, f: Finding, path_prefix: str = "") -> list[str]:
    """The finding's fix as a diff of the lines it changes: `--- path`, then `-` old and `+` new
    lines per group of nearby edits. Built from the lines the Report carries; [] when one is missing."""
    lines: list[str] = []
    safety = "" if f.fix.safe else " (unsafe: only with `--unsafe-fixes`)"
    lines.append(f"  {f.fix.description}{safety}:")
    by_path: dict[str, list[Edit]] = {}
    for edit in f.fix.edits:
        by_path.setdefault(edit.path, []).append(edit)
    for path, edits in by_path.items():
        hunks = _hunks(sorted(edits, key=lambda e: (e.span.line, e.span.column)))
        rendered = [_hunk(report, path, hunk) for hunk in hunks]
        if any(r is None for r in rendered):
            return []
        lines.append(f"  --- {visible(path_prefix + path)}")
        for hunk, (old, new) in zip(hunks, rendered):
            lines.append(f"  @@ line {hunk[0].span.line} @@")
            lines += [f"  -{visible(line)}" for line in old] + [f"  +{visible(line)}" for line in new]
    return lines


def _hunks(edits: list[Edit]) -> list[list[Edit]]:
    out: list[list[Edit]] = []
    for edit in edits:
        if out and edit.span.line <= (out[-1][-1].span.end_line or out[-1][-1].span.line):
            out[-1].append(edit)
        else:
            out.append([edit])
    return out


def _hunk(report, path: str, edits: list[Edit]) -> tuple[list[str], list[str]] | None:
    first = edits[0].span.line
    last = max(e.span.end_line or e.span.line for e in edits)
    old_lines = []
    for n in range(first, last + 1):
        text = report.source_lines.get((path, n))
        if text is None:
            if n == last:
                break  # an insertion after the last line, or an edit ending at the next line's start
            return None
        old_lines.append(text)
    old = "\n".join(old_lines)
    starts = _line_starts(old_lines)

    def offset(line: int, column: int) -> int:
        index = line - first
        return starts[index] + column - 1 if index < len(starts) else len(old)

    new = old
    for edit in reversed(edits):
        a = offset(edit.span.line, edit.span.column)
        b = offset(edit.span.end_line or edit.span.line, edit.span.end_column or edit.span.column)
        new = new[:a] + edit.text + new[b:]
    new_lines = new.split("\n") if new else []
    if new.endswith("\n") and not old.endswith("\n"):
        new_lines = new_lines[:-1]
    return old_lines, new_lines


def _line_starts(lines: list[str]) -> list[int]:
    starts, at = [], 0
    for line in lines:
        starts.append(at)
        at += len(line) + 1
    return starts


def _diff_color(line: str) -> str:
    if line.startswith("  ---"):
        return _BOLD
    if line.startswith("  @@"):
        return _CYAN
    if line.startswith("  -"):
        return _RED
    if line.startswith("  +"):
        return _GREEN
    return _DIM


def color_unified_diff(text: str) -> str:
    """`--diff` on a terminal: headers bold, hunks cyan, removed lines red, added lines green."""
    out = []
    for line in text.splitlines(keepends=True):
        body, end = (line[:-1], "\n") if line.endswith("\n") else (line, "")
        if body.startswith(("---", "+++")):
            out.append(f"{_BOLD}{body}{_RESET}{end}")
        elif body.startswith("@@"):
            out.append(f"{_CYAN}{body}{_RESET}{end}")
        elif body.startswith("-"):
            out.append(f"{_RED}{body}{_RESET}{end}")
        elif body.startswith("+"):
            out.append(f"{_GREEN}{body}{_RESET}{end}")
        else:
            out.append(line)
    return "".join(out)


def fixed_lines(report, fixed: "list[Finding]", path_prefix: str = "") -> str:
    """`--fix --show-fixes`: what was fixed, per file and rule (`- wsgi.py:` / `    1 × LE201 (name)`)."""
    if not fixed:
        return "\nNo problems were fixed.\n"
    names = {r.code: r.name for r in report.rules}
    per_file: dict[str, dict[str, int]] = {}
    for f in fixed:
        codes = per_file.setdefault(f.path, {})
        codes[f.code] = codes.get(f.code, 0) + 1
    lines = ["", f"Fixed {_plural(len(fixed), 'problem')}:"]
    for path in sorted(per_file):
        lines.append(f"- {visible(path_prefix + path)}:")
        for code, n in sorted(per_file[path].items()):
            name = f" ({names[code]})" if code in names else ""
            lines.append(f"    {n} × {code}{name}")
    return "\n".join(lines) + "\n"
