"""Rendering a Report. Each format module has `render(report, ...) -> str`; nothing else prints.

The formats are fed only the frozen `analyzer.types.Report`: they import no rule and read no file."""

from __future__ import annotations

from analyzer.output import github, json_format, sarif, text
from analyzer.types import Report

FORMATS = ("text", "json", "sarif", "github")


def render(report: Report, fmt: str, *, color: bool = False) -> str:
    if fmt == "text":
        return text.render(report, color=color)
    if fmt == "json":
        return _no_runner_commands(json_format.render(report))
    if fmt == "sarif":
        return _no_runner_commands(sarif.render(report))
    if fmt == "github":
        return github.render(report)
    raise ValueError(f"unknown format {fmt!r}")


def _no_runner_commands(json_text: str) -> str:
    """JSON printed in a CI log is read line by line by the runner, which honours `##[command]`
    anywhere in a line: write the `[` of one inside a string as the JSON escape `\\u005b` (the
    document parses to the same data; `#` cannot occur outside a JSON string)."""
    return json_text.replace(text.RUNNER_LEGACY_PREFIX, "##\\u005b")
