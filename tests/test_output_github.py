"""The GitHub Actions format: workflow commands the runner turns into annotations."""

from __future__ import annotations

import dataclasses
import os
import re

import pytest

from analyzer.types import Finding, Severity, Span
from analyzer.output import github
from analyzer.output import render as render_format
from tests.helpers import NO_PIN, run, write_project

FIX_LE001 = "The platform cannot import this module; fix the syntax (Python 3.14)."


def _unescape(text: str) -> str:
    """The runner's unescaping (actions/runner ActionCommand), to check the escaping round-trips."""
    for escaped, plain in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(escaped, plain)
    return text


def _parse(line: str) -> tuple[str, dict[str, str], str]:
    """Split a command as the runner does: `::name k=v,k=v::data`."""
    m = re.fullmatch(r"::(\w+)(?: ([^:]*))?::(.*)", line)
    assert m, line
    props = {}
    if m.group(2):
        for pair in m.group(2).split(","):
            key, value = pair.split("=", 1)
            props[key] = _unescape(value)
    return m.group(1), props, _unescape(m.group(3))


def test_escaping_matches_the_actions_toolkit():
    assert github.escape_data("50% done\r\nnext: a, b") == "50%25 done%0D%0Anext: a, b"
    assert github.escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_github_format_of_a_project(tmp_path):
    write_project(
        tmp_path,
        {
            "wsgi.py": "application = (\n",
            "lib/old.py": 'print "hello"  # lean-lint: ignore\n',
            "a:b,c %.py": "def f(:\n",
        },
    )
    os.mkfifo(tmp_path / "pipe.py")
    report = run(tmp_path, select=("LE001", "LE003"))
    out = github.render(report)
    assert render_format(report, "github") == out
    assert out.splitlines() == [
        "::error file=a%3Ab%2Cc %25.py,line=1,col=7,endLine=1,endColumn=7,title=LE001::"
        f"invalid syntax%0AFix: {FIX_LE001}",
        "::error file=wsgi.py,line=1,col=15,endLine=1,endColumn=15,title=LE001::"
        f"'(' was never closed%0AFix: {FIX_LE001}",
        "::warning file=pipe.py,line=1,col=1,endLine=1,endColumn=1,title=LE003::"
        "pipe.py was not analyzed: it is not a regular file (a FIFO, socket or device)",
        f"::notice title=lean-lint::{NO_PIN}",
    ]
    assert _parse(out.splitlines()[0]) == (
        "error",
        {"file": "a:b,c %.py", "line": "1", "col": "7", "endLine": "1", "endColumn": "7", "title": "LE001"},
        f"invalid syntax\nFix: {FIX_LE001}",
    )
    assert out.endswith("\n")


def _finding(code="LE201", severity=Severity.ERROR, path="wsgi.py", span=Span(3, 5, 3, 9), **kw):
    return Finding(code, severity, kw.pop("message", "msg"), path, span, **kw)


def test_columns_only_on_one_line_and_end_column_inclusive():
    assert github.annotation(_finding(span=Span(3, 5, 3, 9))) == (
        "::error file=wsgi.py,line=3,col=5,endLine=3,endColumn=8,title=LE201::msg"
    )
    # The runner drops columns of a multi-line range: give lines only.
    multi_line = github.annotation(_finding(span=Span(3, 5, 6, 2)))
    assert multi_line == "::error file=wsgi.py,line=3,endLine=6,title=LE201::msg"
    # An empty range (a point) keeps its column.
    assert github.annotation(_finding(span=Span(1, 1, 1, 1))) == (
        "::error file=wsgi.py,line=1,col=1,endLine=1,endColumn=1,title=LE201::msg"
    )


def test_project_level_finding_has_no_file():
    f = _finding(code="LE000", path="", span=Span(1, 1, 1, 1), message="internal error: boom", hint="Report it.")
    assert github.annotation(f) == "::error title=LE000::internal error: boom%0AFix: Report it."


def test_message_newlines_and_percent_cannot_inject_commands():
    f = _finding(message="bad\n::set-output name=x::y 100%")
    line = github.annotation(f)
    assert "\n" not in line
    assert _parse(line)[2] == "bad\n::set-output name=x::y 100%"


def test_order_levels_prefix_limit_and_suppressed():
    findings = [
        _finding("LE501", Severity.NOTE, "b.py", Span(1, 1, 1, 2)),
        _finding("LE401", Severity.WARNING, "z.py", Span(2, 1, 2, 2)),
        _finding("LE201", Severity.ERROR, "z.py", Span(9, 1, 9, 2)),
        _finding("LE202", Severity.ERROR, "a.py", Span(5, 1, 5, 2)),
        _finding("LE203", Severity.ERROR, "a.py", Span(1, 1, 1, 2), suppressed=True),
        _finding("LE402", Severity.WARNING, "a.py", Span(7, 1, 7, 2)),
    ]
    lines = github.annotations(findings, path_prefix="./services/api")
    assert [(_parse(x)[0], _parse(x)[1]["file"], _parse(x)[1]["title"]) for x in lines] == [
        ("error", "services/api/a.py", "LE202"),
        ("error", "services/api/z.py", "LE201"),
        ("warning", "services/api/a.py", "LE402"),
        ("warning", "services/api/z.py", "LE401"),
        ("notice", "services/api/b.py", "LE501"),
    ]
    limited = github.annotations(findings, limit_per_level=1)
    assert [_parse(x)[1]["title"] for x in limited] == ["LE202", "LE402", "LE501"]
    assert github.annotations(findings, limit_per_level=0) == []


@pytest.mark.skipif("baselined" not in {f.name for f in dataclasses.fields(Finding)}, reason="no baselines yet")
def test_baselined_findings_are_not_annotated():
    f = dataclasses.replace(_finding(), baselined=True)
    assert github.annotations([f, _finding(code="LE202")]) == [
        "::error file=wsgi.py,line=3,col=5,endLine=3,endColumn=8,title=LE202::msg"
    ]


def test_notices_follow_the_findings(tmp_path):
    write_project(tmp_path, {"leanengine.yaml": "runtime: node\n", "wsgi.py": "application = (\n"})
    report = run(tmp_path, select=("LE001",))
    assert report.notices
    out = github.render(report).splitlines()
    assert out == [f"::notice title=lean-lint::{github.escape_data(n)}" for n in report.notices]
