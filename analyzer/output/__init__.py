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
        return json_format.render(report)
    if fmt == "sarif":
        return sarif.render(report)
    if fmt == "github":
        return github.render(report)
    raise ValueError(f"unknown format {fmt!r}")
