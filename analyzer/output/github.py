"""GitHub Actions workflow commands: one `::error` / `::warning` / `::notice` line per finding, which
the runner turns into an annotation on the file and line (shown in the job summary and the pull
request's diff).

    ::error file=wsgi.py,line=3,col=5,endLine=3,endColumn=8,title=LE201::The app listens on port 8000 ...

Most severe first, because GitHub keeps only a limited number of annotations per step and per job
(`limit_per_level` lets the Action stay within them).
Values are escaped as the runner unescapes them (actions/toolkit `command.ts`): in the message `%`,
CR and LF; in properties also `:` and `,`. Columns are given only for a one-line range (the runner
drops them otherwise) and `endColumn` is the last column of the range, inclusive, like `endLine`.
"""

from __future__ import annotations

from typing import Any, Iterable

from analyzer.output.sarif import normalize_prefix
from analyzer.types import Finding, Severity

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "notice"}


def render(report: Any) -> str:
    lines = annotations(report.active)
    lines += [f"::notice title=lean-lint::{escape_data(notice)}" for notice in report.notices]
    return "".join(line + "\n" for line in lines)


def annotations(
    findings: Iterable[Finding], *, path_prefix: str = "", limit_per_level: int | None = None
) -> list[str]:
    """Workflow commands for `findings` (suppressed and baselined ones skipped), most severe first.

    `path_prefix` turns paths relative to the analyzed directory into paths relative to the
    repository (`services/api/`). `limit_per_level` keeps at most that many commands per severity."""
    prefix = normalize_prefix(path_prefix)
    shown = (f for f in findings if not (f.suppressed or getattr(f, "baselined", False)))
    active = sorted(shown, key=lambda f: (-f.severity, f.sort_key()))
    out: list[str] = []
    emitted: dict[Severity, int] = {}
    for f in active:
        if limit_per_level is not None:
            if emitted.get(f.severity, 0) >= limit_per_level:
                continue
            emitted[f.severity] = emitted.get(f.severity, 0) + 1
        out.append(annotation(f, path_prefix=prefix))
    return out


def annotation(f: Finding, *, path_prefix: str = "") -> str:
    path_prefix = normalize_prefix(path_prefix)
    props: list[tuple[str, str]] = []
    if f.path:
        span = f.span
        line = max(span.line, 1)
        end_line = max(span.end_line or line, line)
        props += [("file", path_prefix + f.path), ("line", str(line))]
        if end_line == line:
            column = max(span.column, 1)
            last = max((span.end_column or column + 1) - 1, column)
            props += [("col", str(column)), ("endLine", str(end_line)), ("endColumn", str(last))]
        else:
            props.append(("endLine", str(end_line)))
    props.append(("title", f.code))
    message = f.message + (f"\nFix: {f.hint}" if f.hint else "")
    fields = ",".join(f"{key}={escape_property(value)}" for key, value in props)
    return f"::{COMMANDS[f.severity]} {fields}::{escape_data(message)}"


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
