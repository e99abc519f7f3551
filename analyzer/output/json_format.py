"""The JSON format. Its shape is stable (documented in the README, `format_version` bumps on change):

    {"format_version": 1, "tool": {"name", "version"}, "root",
     "findings": [{"code", "severity", "message", "path", "line", "column",
                   "end_line", "end_column", "hint", "fingerprint", "fixable"}],
     "summary": {"error", "warning", "note"}, "notices": [...]}

Lines and columns are 1-based, `end_column` exclusive. Suppressed findings are left out.
"""

from __future__ import annotations

import json

from analyzer import __version__
from analyzer.types import count_by_severity


def finding_dict(f) -> dict:
    return {
        "code": f.code,
        "severity": f.severity.label,
        "message": f.message,
        "path": f.path,
        "line": f.span.line,
        "column": f.span.column,
        "end_line": f.span.end_line,
        "end_column": f.span.end_column,
        "hint": f.hint,
        "fingerprint": f.fingerprint,
        "fixable": f.fix is not None and f.fix.safe,
    }


def render(report) -> str:
    doc = {
        "format_version": 1,
        "tool": {"name": "lean-lint", "version": __version__},
        "root": report.root,
        "findings": [finding_dict(f) for f in report.active],
        "summary": count_by_severity(report.active),
        "notices": list(report.notices),
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
