"""The terminal format: `path:line:col: CODE message`, the fix on the next line, a summary."""

from __future__ import annotations

from analyzer.types import count_by_severity

_COLORS = {"error": "\033[31m", "warning": "\033[33m", "note": "\033[36m"}
_BOLD, _DIM, _RESET = "\033[1m", "\033[2m", "\033[0m"


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


def render(report, *, color: bool = False) -> str:
    def paint(text: str, code: str) -> str:
        return f"{code}{text}{_RESET}" if color else text

    lines = []
    active = report.active
    for f in active:
        sev = f.severity.label
        where = paint(f"{_line_start(f.path)}:{f.line}:{f.column}:", _BOLD)
        code = paint(f.code, _COLORS[sev])
        mark = "[*] " if f.fix is not None and f.fix.safe else ""
        lines.append(f"{where} {code} {mark}{visible(f.message)}")
        if f.hint:
            lines.append(paint(f"  fix: {visible(f.hint)}", _DIM))
    c = count_by_severity(active)
    if active:
        parts = [_plural(c["error"], "error"), _plural(c["warning"], "warning"), _plural(c["note"], "note")]
        lines.append("")
        lines.append(f"Found {_plural(len(active), 'problem')} ({', '.join(parts)}).")
        fixable = sum(1 for f in active if f.fix is not None and f.fix.safe)
        if fixable:
            lines.append(f"[*] {fixable} fixable with `lean-lint --fix`.")
    else:
        lines.append("No problems found.")
    suppressed = len(report.findings) - len(active)
    if suppressed:
        lines.append(f"{_plural(suppressed, 'finding')} suppressed by `# lean-lint: ignore` comments.")
    return "\n".join(lines) + "\n"
