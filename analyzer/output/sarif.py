"""SARIF 2.1.0 for GitHub code scanning (and any other SARIF consumer).

What GitHub needs to take the file as is, without the upload action repairing it:

* one `run` whose `tool.driver.rules` describes every rule that ran, so `ruleIndex` always points
  into it and each alert shows the rule's help (the same text as `lean-lint explain`);
* locations as repository-relative, percent-encoded URIs under `uriBaseId: "%SRCROOT%"`: lean-lint
  analyzes a directory, so when that directory is a subfolder of the repository, `uri_prefix` says
  which (`render(report, uri_prefix="services/api/")`);
* 1-based regions with an exclusive `endColumn`, columns counted in Unicode code points;
* `partialFingerprints.primaryLocationLineHash`, computed exactly as github/codeql-action's
  upload-sarif computes it (`src/fingerprints.ts`), so an alert keeps its identity when lines move
  and the value matches what the action itself would have filled in;
* rule descriptors within GitHub's limits (`fullDescription` at most 1024 characters), with
  `precision` and `problem.severity`, and `helpUri` linking the rule's page in the repository;
* the other place a finding names (the first of two duplicate lines) as a `relatedLocation`;
* findings silenced by `# lean-lint: ignore` kept, marked `suppressions: [{"kind": "inSource"}]`, and
  findings accepted in a baseline file marked `{"kind": "external"}`, as the SARIF standard has it.
  GitHub code scanning does not read `suppressions`: it opens alerts for such results as for any
  other. So the GitHub Action renders with `suppressed=False`, which leaves them out of the file it
  uploads (the alert is then not opened, or is closed as fixed).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from analyzer import HOMEPAGE, __version__
from analyzer.types import Finding, RuleInfo, Severity, Span

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SARIF_VERSION = "2.1.0"
SRCROOT = "%SRCROOT%"
TOOL_NAME = "lean-lint"
INFORMATION_URI = HOMEPAGE

BASELINE_JUSTIFICATION = "Listed in the lean-lint baseline file (an accepted, pre-existing finding)."

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "note"}
#: GitHub's `problem.severity` for results that are not security ones.
PROBLEM_SEVERITIES = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "recommendation"}
#: GitHub shows at most this many characters of a rule's `fullDescription`.
DESCRIPTION_LIMIT = 1024


def render(report: Any, *, uri_prefix: str = "", suppressed: bool = True) -> str:
    doc = build_sarif(report, uri_prefix=uri_prefix, suppressed=suppressed)
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def build_sarif(report: Any, *, uri_prefix: str = "", suppressed: bool = True) -> dict:
    """`suppressed=False` leaves out the findings suppressed inline or by the baseline."""
    prefix = normalize_prefix(uri_prefix)
    rules = _rules_for(report)
    index = {rule.code: i for i, rule in enumerate(rules)}
    findings = report.findings if suppressed else report.active
    results = [_result(f, index[f.code], prefix, report.line_hashes) for f in findings]
    invocation: dict[str, Any] = {"executionSuccessful": True}
    if report.notices:
        invocation["toolExecutionNotifications"] = [
            {"level": "note", "message": {"text": _sentence(notice)}} for notice in report.notices
        ]
    run = {
        "tool": {
            "driver": {
                "name": TOOL_NAME,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [rule_descriptor(rule) for rule in rules],
            }
        },
        "invocations": [invocation],
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    return {"$schema": SCHEMA_URI, "version": SARIF_VERSION, "runs": [run]}


def rule_descriptor(rule: RuleInfo) -> dict:
    tags = list(rule.tags)
    properties: dict[str, Any] = {}
    if rule.security_severity is not None:
        properties["security-severity"] = str(rule.security_severity)
        if "security" not in tags:
            tags.append("security")
    properties["tags"] = tags
    properties["precision"] = rule.precision
    properties["problem.severity"] = PROBLEM_SEVERITIES[rule.severity]
    descriptor = {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": _bounded(_sentence(rule.summary))},
        "fullDescription": {"text": _bounded(_sentence(" ".join(f"{rule.summary} {rule.why}".split())))},
        "help": {"text": rule.docs_text, "markdown": rule.docs_markdown},
        "helpUri": rule.docs_url,
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": properties,
    }
    if not rule.docs_url:
        del descriptor["helpUri"]
    return descriptor


def _bounded(text: str, limit: int = DESCRIPTION_LIMIT) -> str:
    """`text` cut to whole sentences within `limit` characters (the help has all of it); a first
    sentence longer than that is cut at a word, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = max(text.rfind(". ", 0, limit), text.rfind("? ", 0, limit), text.rfind("! ", 0, limit))
    if cut > 0:
        return text[: cut + 1]
    return text[: text.rfind(" ", 0, limit - 1)].rstrip() + "\u2026"


def normalize_prefix(prefix: str) -> str:
    """`services/api`, `./services/api/` -> `services/api/`; `.`, `` -> ``."""
    parts = [p for p in prefix.replace("\\", "/").split("/") if p not in ("", ".")]
    return "".join(p + "/" for p in parts)


def encode_uri(path: str) -> str:
    """A repository-relative path as a URI reference: every byte outside RFC 3986's unreserved set is
    percent-encoded (UTF-8), `/` is kept. `:` is encoded too, so no first segment reads as a scheme."""
    return quote(path, safe="/")


def _rules_for(report: Any) -> list[RuleInfo]:
    """The rules of the report, then a bare descriptor for the code of any finding not among them
    (none, in a report the engine built)."""
    rules = list(report.rules)
    known = {r.code for r in rules}
    for code in sorted({f.code for f in report.findings} - known):
        rules.append(
            RuleInfo(
                code=code, name=code.lower(), severity=Severity.WARNING, summary=code, why="",
                docs_text=code, docs_markdown=code,
            )
        )
    return rules


def _result(f: Finding, rule_index: int, prefix: str, hashes: Any) -> dict:
    result: dict[str, Any] = {
        "ruleId": f.code,
        "ruleIndex": rule_index,
        "level": LEVELS[f.severity],
        "message": {"text": _message(f)},
        "locations": [_location(f.path, f.span, prefix)],
    }
    if f.related:
        result["relatedLocations"] = [
            {"id": i, **_location(r.path, r.span, prefix), "message": {"text": _sentence(r.message)}}
            if r.message else {"id": i, **_location(r.path, r.span, prefix)}
            for i, r in enumerate(f.related, 1)
        ]
    if f.path:
        line_hash = hashes.get((f.path, max(f.span.line, 1)))
        if line_hash is not None:
            result["partialFingerprints"] = {"primaryLocationLineHash": line_hash}
    if f.fix is not None and f.fix.safe:
        result["fixes"] = [_fix(f, prefix)]
    if f.suppressed:
        result["suppressions"] = [{"kind": "inSource"}]
    elif getattr(f, "baselined", False):
        result["suppressions"] = [{"kind": "external", "justification": BASELINE_JUSTIFICATION}]
    return result


def _fix(f: Finding, prefix: str) -> dict:
    """`lean-lint --fix`'s edits as SARIF replacements, grouped by file, so viewers can offer them."""
    changes: dict[str, list[dict]] = {}
    for edit in f.fix.edits:
        span = edit.span
        changes.setdefault(edit.path, []).append(
            {
                "deletedRegion": {
                    "startLine": span.line,
                    "startColumn": span.column,
                    "endLine": span.end_line or span.line,
                    "endColumn": span.end_column or span.column,
                },
                "insertedContent": {"text": edit.text},
            }
        )
    return {
        "description": {"text": _sentence(f.fix.description)},
        "artifactChanges": [
            {"artifactLocation": {"uri": encode_uri(prefix + path), "uriBaseId": SRCROOT}, "replacements": reps}
            for path, reps in changes.items()
        ],
    }


def _message(f: Finding) -> str:
    text = _sentence(f.message)
    if f.hint:
        text += f" Fix: {_sentence(f.hint)}"
    return text


def _sentence(text: str) -> str:
    """SARIF asks for plain-text messages as complete sentences ending with a period."""
    text = text.strip()
    if text and text[-1] not in ".!?":
        text += "."
    return text


def _location(path: str, span: Span, prefix: str) -> dict:
    # A finding about the whole project (LE000 outside any file) points at the analyzed directory.
    uri = encode_uri(prefix + path) if path else encode_uri(prefix) or "./"
    line = max(span.line, 1)
    column = max(span.column, 1)
    end_line = max(span.end_line or line, line)
    end_column = max(span.end_column or column, 1)
    if end_line == line:
        end_column = max(end_column, column)
    return {
        "physicalLocation": {
            "artifactLocation": {"uri": uri, "uriBaseId": SRCROOT},
            "region": {"startLine": line, "startColumn": column, "endLine": end_line, "endColumn": end_column},
        }
    }


