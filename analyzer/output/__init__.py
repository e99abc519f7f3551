"""Rendering a Report. Each format module has `render(report, ...) -> str`; nothing else prints."""

from __future__ import annotations

FORMATS = ("text", "json", "sarif", "github")


def render(report, fmt: str, *, color: bool = False) -> str:
    if fmt == "text":
        from analyzer.output import text

        return text.render(report, color=color)
    if fmt == "json":
        from analyzer.output import json_format

        return json_format.render(report)
    if fmt == "sarif":
        from analyzer.output import sarif

        return sarif.render(report)
    if fmt == "github":
        from analyzer.output import github

        return github.render(report)
    raise ValueError(f"unknown format {fmt!r}")


def counts(findings) -> dict[str, int]:
    """{"error": n, "warning": n, "note": n} over unsuppressed findings."""
    out = {"error": 0, "warning": 0, "note": 0}
    for f in findings:
        if not f.suppressed:
            out[f.severity.label] += 1
    return out
