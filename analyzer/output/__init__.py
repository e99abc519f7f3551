"""Rendering a Report. Each format module has `render(report, ...) -> str`; nothing else prints.

The formats are fed only the frozen `analyzer.types.Report`: they import no rule and read no file."""

from __future__ import annotations

from analyzer.output import github, json_format, sarif, text
from analyzer.types import Report

FORMATS = ("text", "json", "sarif", "github")


def render(report: Report, fmt: str, *, color: bool = False, path_prefix: str = "", **text_options) -> str:
    """`path_prefix` goes in front of every path (text: from the current directory; github and
    sarif: from the repository root); JSON keeps paths relative to its `root`."""
    if fmt == "text":
        return text.render(report, color=color, path_prefix=path_prefix, **text_options)
    if fmt == "json":
        return _no_runner_commands(json_format.render(report))
    if fmt == "sarif":
        return _no_runner_commands(sarif.render(report, uri_prefix=path_prefix))
    if fmt == "github":
        return github.render(report, path_prefix=path_prefix)
    raise ValueError(f"unknown format {fmt!r}")


def _no_runner_commands(json_text: str) -> str:
    """JSON printed in a CI log is read line by line by the runner, which honours `##[command]`
    anywhere in a line: write the `[` of one inside a string as the JSON escape `\\u005b` (the
    document parses to the same data; `#` cannot occur outside a JSON string)."""
    return json_text.replace(text.RUNNER_LEGACY_PREFIX, "##\\u005b")
