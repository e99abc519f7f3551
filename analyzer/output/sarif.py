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
* findings silenced by `# lean-lint: ignore` kept, marked `suppressions: [{"kind": "inSource"}]`, and
  findings accepted in a baseline file marked `{"kind": "external"}`, so GitHub shows them as
  dismissed instead of opening (or closing) alerts for them.
"""

from __future__ import annotations

import array
import json
import sys
from typing import Any
from urllib.parse import quote

from analyzer import __version__
from analyzer.types import Finding, Severity
from analyzer.rules.base import DOCS_URL, Rule

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SARIF_VERSION = "2.1.0"
SRCROOT = "%SRCROOT%"
TOOL_NAME = "lean-lint"
INFORMATION_URI = DOCS_URL.split("/blob/", 1)[0]

BASELINE_JUSTIFICATION = "Listed in the lean-lint baseline file (an accepted, pre-existing finding)."

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "note"}


def render(report: Any, *, uri_prefix: str = "") -> str:
    return json.dumps(build_sarif(report, uri_prefix=uri_prefix), indent=2, ensure_ascii=False) + "\n"


def build_sarif(report: Any, *, uri_prefix: str = "") -> dict:
    prefix = normalize_prefix(uri_prefix)
    rules = _rules_for(report)
    index = {rule.code: i for i, rule in enumerate(rules)}
    hashes = _LineHashes(report.project)
    results = [_result(f, index[f.code], prefix, hashes) for f in report.findings]
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


def rule_descriptor(rule: type[Rule]) -> dict:
    tags = list(rule.tags)
    properties: dict[str, Any] = {}
    if rule.security_severity is not None:
        properties["security-severity"] = str(rule.security_severity)
        if "security" not in tags:
            tags.append("security")
    properties["tags"] = tags
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": _sentence(rule.summary)},
        "fullDescription": {"text": _sentence(" ".join(f"{rule.summary} {rule.why}".split()))},
        "help": {"text": rule.docs_text(), "markdown": rule.docs_markdown()},
        "helpUri": f"{DOCS_URL}#{rule.code.lower()}",
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": properties,
    }


def normalize_prefix(prefix: str) -> str:
    """`services/api`, `./services/api/` -> `services/api/`; `.`, `` -> ``."""
    parts = [p for p in prefix.replace("\\", "/").split("/") if p not in ("", ".")]
    return "".join(p + "/" for p in parts)


def encode_uri(path: str) -> str:
    """A repository-relative path as a URI reference: every byte outside RFC 3986's unreserved set is
    percent-encoded (UTF-8), `/` is kept. `:` is encoded too, so no first segment reads as a scheme."""
    return quote(path, safe="/")


def _rules_for(report: Any) -> list[type[Rule]]:
    """The rules that ran, then the rule of any finding not among them (none, in an engine run)."""
    rules = list(report.rules)
    known = {r.code for r in rules}
    missing = sorted({f.code for f in report.findings} - known)
    if missing:
        from analyzer.engine.registry import rule_by_code

        for code in missing:
            rule = rule_by_code(code)
            rules.append(rule if rule is not None else _unknown_rule(code))
    return rules


def _unknown_rule(code: str) -> type[Rule]:
    # Not registered: the registry keeps only classes defined in analyzer/rules/le*.py.
    return type(
        f"Unknown{code}",
        (Rule,),
        {"code": code, "name": code.lower(), "severity": Severity.WARNING, "summary": code, "why": ""},
    )


def _result(f: Finding, rule_index: int, prefix: str, hashes: "_LineHashes") -> dict:
    result: dict[str, Any] = {
        "ruleId": f.code,
        "ruleIndex": rule_index,
        "level": LEVELS[f.severity],
        "message": {"text": _message(f)},
        "locations": [_location(f, prefix)],
    }
    if f.path:
        line_hash = hashes.get(f.path, max(f.span.line, 1))
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


def _location(f: Finding, prefix: str) -> dict:
    # A finding about the whole project (LE000 outside any file) points at the analyzed directory.
    uri = encode_uri(prefix + f.path) if f.path else encode_uri(prefix) or "./"
    span = f.span
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


# -- primaryLocationLineHash ----------------------------------------------------------------------
#
# A port of `hash` in github/codeql-action src/fingerprints.ts. Per line: a rolling hash (base 37,
# signed 64-bit arithmetic that wraps) over the next 100 characters, counted in UTF-16 code units,
# spaces and tabs skipped, CR and CRLF read as LF, one 65535 marking the end of the file and zeros
# after it; the value is the unsigned hex of the hash, then `:n` for its n-th occurrence in the file.

_BLOCK_SIZE = 100
_MOD = 37
_MASK = (1 << 64) - 1
_FIRST_MOD = pow(_MOD, _BLOCK_SIZE, 1 << 64)
_TAB, _SPACE, _LF, _CR, _EOF = 9, 32, 10, 13, 65535


def line_hashes(text: str) -> dict[int, str]:
    """{1-based line number: primaryLocationLineHash} for every line of `text`, as the upload action
    computes it (it reads the file as UTF-8 and walks its UTF-16 code units).

    The action's `processCharacter` / `outputHash` / `updateHash`, inlined for speed (about 1 s per
    MB); the names are theirs."""
    out: dict[int, str] = {}
    window = [0] * _BLOCK_SIZE
    line_numbers = [-1] * _BLOCK_SIZE
    hash_counts: dict[str, int] = {}
    hash_raw = 0
    index = 0
    line_number = 0
    line_start = True
    prev_cr = False
    units = _utf16_units(text)
    units.append(_EOF)
    for current in units:
        # processCharacter
        if current == _SPACE or current == _TAB or (prev_cr and current == _LF):
            prev_cr = False
            continue
        if current == _CR:
            current = _LF
            prev_cr = True
        else:
            prev_cr = False
        if line_numbers[index] != -1:  # outputHash
            value = format(hash_raw, "x")
            count = hash_counts[value] = hash_counts.get(value, 0) + 1
            out[line_numbers[index]] = f"{value}:{count}"
            line_numbers[index] = -1
        if line_start:
            line_start = False
            line_number += 1
            line_numbers[index] = line_number
        if current == _LF:
            line_start = True
        # updateHash
        hash_raw = (_MOD * hash_raw + current - _FIRST_MOD * window[index]) & _MASK
        window[index] = current
        index = (index + 1) % _BLOCK_SIZE
    # Flush the remaining lines.
    for _ in range(_BLOCK_SIZE):
        if line_numbers[index] != -1:
            value = format(hash_raw, "x")
            count = hash_counts[value] = hash_counts.get(value, 0) + 1
            out[line_numbers[index]] = f"{value}:{count}"
            line_numbers[index] = -1
        hash_raw = (_MOD * hash_raw - _FIRST_MOD * window[index]) & _MASK
        window[index] = 0
        index = (index + 1) % _BLOCK_SIZE
    return out


def _utf16_units(text: str) -> "array.array[int]":
    units = array.array("H", text.encode("utf-16-le", "surrogatepass"))
    if sys.byteorder == "big":
        units.byteswap()
    return units


def decode_like_node(data: bytes) -> str:
    """What Node's `fs.createReadStream(path, "utf8")` yields: UTF-8 with invalid bytes replaced by
    U+FFFD and a byte-order mark kept (as U+FEFF)."""
    return data.decode("utf-8", errors="replace")


class _LineHashes:
    """The line hashes of each file that has findings, computed once per file.

    The action hashes the file in the checkout as Node decodes it, so this hashes the raw bytes the
    same way, not lean-lint's decoded source (which drops a BOM and honours a coding cookie). A file
    lean-lint does not read (too large, not a regular file) gets no fingerprint here; the upload
    action then adds its own where it can."""

    def __init__(self, project: Any) -> None:
        self.project = project
        self.files: dict[str, dict[int, str] | None] = {}

    def get(self, path: str, line: int) -> str | None:
        if path not in self.files:
            self.files[path] = self._compute(path)
        table = self.files[path]
        return None if table is None else table.get(line)

    def _compute(self, path: str) -> dict[int, str] | None:
        try:
            data = self.project.read_bytes(path)
        except Exception:  # noqa: BLE001 - UnreadableFile, or a path that is not a file
            return None
        return line_hashes(decode_like_node(data))
