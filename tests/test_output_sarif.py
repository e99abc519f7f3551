"""SARIF output: schema-valid, the exact fields GitHub code scanning reads, percent-encoded URIs,
GitHub's own line-hash fingerprints, suppressed findings kept."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import string
import subprocess
from pathlib import Path

import jsonschema
import pytest

from analyzer import __version__
from analyzer.readers.config import Config
from analyzer.engine.run import build_report
from analyzer.support.line_hash import decode_like_node, line_hashes
from analyzer.types import Finding, Severity, Span
from analyzer.output import render as render_format
from analyzer.output import sarif
from analyzer.model.project import Project
from analyzer import DOCS_URL
from analyzer.engine.registry import all_rules
from analyzer.rules.base import ProjectRule
from analyzer.rules.meta.le003_file_not_analyzed import FileNotAnalyzed
from analyzer.rules.meta.le000_internal_error import InternalError
from analyzer.rules.meta.le001_python_syntax_error import PythonSyntaxError
from tests.helpers import NO_PIN, run, write_project

SCHEMA_PATH = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
FIX_LE001 = "The platform cannot import this module; fix the syntax (Python 3.14)."

# -- validation against the SARIF 2.1.0 schema ----------------------------------------------------

_URI_CHARS = set(string.ascii_letters + string.digits + "-._~:/?#[]@!$&'()*+,;=%")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def _is_uri_reference(value: object) -> bool:
    """RFC 3986 URI-reference, strictly: only URI characters, `%` always followed by two hex digits,
    at most one `#`, and a relative reference whose first segment holds no `:`."""
    if not isinstance(value, str):
        return True
    if not set(value) <= _URI_CHARS or value.count("#") > 1:
        return False
    if re.search(r"%(?![0-9A-Fa-f]{2})", value):
        return False
    if not _SCHEME.match(value) and ":" in re.split(r"[/?#]", value, maxsplit=1)[0]:
        return False
    return True


def _is_uri(value: object) -> bool:
    return not isinstance(value, str) or (_is_uri_reference(value) and bool(_SCHEME.match(value)))


def validate(doc: dict) -> None:
    # jsonschema has no `uri` / `uri-reference` checks without extra packages: add strict ones.
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
    checker = jsonschema.FormatChecker({**checker.checkers})
    checker.checks("uri")(_is_uri)
    checker.checks("uri-reference")(_is_uri_reference)
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema, format_checker=checker).validate(doc)


def test_the_uri_checks_used_for_validation_reject_bad_uris():
    assert _is_uri_reference("odd%20dir/%C3%BC.py")
    assert not _is_uri_reference("odd dir/x.py")
    assert not _is_uri_reference("1a:b.py")  # not a scheme, so a relative path with `:` in it
    assert not _is_uri_reference("100%.py")
    assert not _is_uri_reference("x#1#2")
    assert _is_uri("https://example.com/a#b")
    assert not _is_uri("relative/path")
    doc = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": []}]}
    validate(doc)
    doc["$schema"] = "not a uri"
    with pytest.raises(jsonschema.ValidationError):
        validate(doc)


# -- the line hash, ported from github/codeql-action src/fingerprints.ts ---------------------------


def _hashes(*values: str) -> dict[int, str]:
    return {i: v for i, v in enumerate(values, 1)}


# The vectors of codeql-action's own test (src/fingerprints.test.ts, test "hash").
CODEQL_ACTION_VECTORS = [
    ("", _hashes("c129715d7a2bc9a3:1")),
    (
        " a\nb\n  \t\tc\n d",
        _hashes("271789c17abda88f:1", "54703d4cd895b18:1", "180aee12dab6264:1", "a23a3dc5e078b07b:1"),
    ),
    (
        " hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End",
        _hashes(
            "8b7cf3e952e7aeb2:1", "b1ae1287ec4718d9:1", "bff680108adb0fcc:1",
            "c6805c5e1288b612:1", "b86d3392aea1be30:1", "e6ceba753e1a442:1",
        ),
    ),
    *[
        (
            text,
            _hashes(
                "e9496ae3ebfced30:1", "fb7c023a8b9ccb3f:1", "ce8ba1a563dcdaca:1", "e20e36e16fcb0cc8:1",
                "b3edc88f2938467e:1", "c8e28b0b4002a3a0:1", "c129715d7a2bc9a3:1",
            ),
        )
        for text in (
            " hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End\n",
            " hello; \t\nworld!!!\r\r\r  \t\tGreetings\r End\r",
            " hello; \t\r\nworld!!!\r\n\r\n\r\n  \t\tGreetings\r\n End\r\n",
            " hello; \t\nworld!!!\r\n\n\r  \t\tGreetings\r End\r\n",
        )
    ],
    (
        "Lorem ipsum dolor sit amet.\n" * 10,
        _hashes(
            *[f"a7f2ff13bc495cf2:{i}" for i in range(1, 7)],
            "a7f2ff1481e87703:1", "a9cf91f7bbf1862b:1", "55ec222b86bcae53:1", "cc97dc7b1d7d8f7b:1",
            "c129715d7a2bc9a3:1",
        ),
    ),
]


@pytest.mark.parametrize("text,expected", CODEQL_ACTION_VECTORS)
def test_line_hashes_match_codeql_actions_own_test_vectors(text, expected):
    assert line_hashes(text) == expected


# Vectors for what the test above does not reach (a BOM, bytes that are not UTF-8, characters outside
# the BMP, truncated sequences): each value was computed by running codeql-action's `hash` function
# from src/fingerprints.ts under Node.js (with the `long` package it uses) on a file with these bytes.
NODE_VECTORS = [
    (b"\xef\xbb\xbfimport os\r\nx = 1\r\n", _hashes("6a8e5458ffb30695:1", "8e00d41f0ebba6bf:1", "c129715d7a2bc9a3:1")),
    (
        b"# -*- coding: latin-1 -*-\nx = '\xe9t\xe9'\n\xff\xfe\n",
        _hashes("13e9fc43d51aced7:1", "4fdffe44acdc342:1", "b94e3e336a503d4f:1", "c129715d7a2bc9a3:1"),
    ),
    (
        "s = '\U0001f600 h\u00e9llo'\n\tprint(s)  \n".encode(),
        _hashes("dc4ffdbf7907dff7:1", "5ebb91d5469ce6a:1", "c129715d7a2bc9a3:1"),
    ),
    (
        b"a\xf0\x9f\x98\nb\xed\xa0\x80c\n\xc0\xafd\n",
        _hashes("db5bf11c7ce78c7d:1", "53143885222cd1d5:1", "4ab332bb829a9eaf:1", "c129715d7a2bc9a3:1"),
    ),
    (
        ("x = '" + "a" * 250 + "'\n" + "y = 2\n" * 3).encode(),
        _hashes(
            "4334abaf9d6c47f1:1", "a89e5f248c8ac59d:1", "7a0d72268cd08bbf:1", "ab1f8ed3e7dc41c1:1",
            "c129715d7a2bc9a3:1",
        ),
    ),
    (
        b"one\r\rtwo\r\n\nthree",
        _hashes(
            "606a741ff8763b83:1", "db3ef2d3121e2ddf:1", "b7f8f27b9f3c0ed1:1", "5ff58b2f1ce0cba9:1",
            "e65cf7c92d5cdd03:1",
        ),
    ),
]


@pytest.mark.parametrize("data,expected", NODE_VECTORS)
def test_line_hashes_of_raw_bytes_match_the_upload_action(data, expected):
    assert line_hashes(decode_like_node(data)) == expected


# -- a real project --------------------------------------------------------------------------------

ODD = "odd dir/\u00fc #1%?.py"
NEWLINE = "new\nline.py"
COLON = "a:b,c.py"


@pytest.fixture
def project(tmp_path):
    write_project(
        tmp_path,
        {
            "wsgi.py": "application = (\n",
            "lib/old.py": 'print "hello"  # lean-lint: ignore\n',
            ODD: "# odd\n\nx = (\n",
            NEWLINE: "def f(:\n",
            COLON: b"\xef\xbb\xbfprint 'bom'\r\n",
        },
    )
    os.mkfifo(tmp_path / "pipe.py")
    return tmp_path


def _run(root):
    """Only the rules these tests are about: rules added later must not change the results."""
    return run(root, select=("LE001", "LE003"))


def _results_by_uri(doc):
    return {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]: r for r in doc["runs"][0]["results"]}


def test_sarif_of_a_project_is_schema_valid_and_exact(project):
    report = _run(project)
    doc = sarif.build_sarif(report)
    validate(doc)
    assert doc["$schema"] == sarif.SCHEMA_URI
    assert doc["version"] == "2.1.0"
    (run_,) = doc["runs"]
    driver = run_["tool"]["driver"]
    assert (driver["name"], driver["semanticVersion"], driver["informationUri"]) == (
        "lean-lint", __version__, "https://github.com/lean-lint/lean-lint",
    )
    assert [r["id"] for r in driver["rules"]] == [r.code for r in report.rules]
    assert run_["columnKind"] == "unicodeCodePoints"
    assert run_["invocations"] == [
        {"executionSuccessful": True, "toolExecutionNotifications": [{"level": "note", "message": {"text": NO_PIN + "."}}]}
    ]

    results = run_["results"]
    uri = lambda r: r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]  # noqa: E731
    assert [(r["ruleId"], r["level"], uri(r)) for r in results] == [
        ("LE001", "error", "a%3Ab%2Cc.py"),
        ("LE001", "error", "lib/old.py"),
        ("LE001", "error", "new%0Aline.py"),
        ("LE001", "error", "odd%20dir/%C3%BC%20%231%25%3F.py"),
        ("LE003", "warning", "pipe.py"),
        ("LE001", "error", "wsgi.py"),
    ]
    for r in results:
        assert driver["rules"][r["ruleIndex"]]["id"] == r["ruleId"]
        assert r["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"] == "%SRCROOT%"

    by_uri = _results_by_uri(doc)
    wsgi = by_uri["wsgi.py"]
    assert wsgi["message"] == {"text": f"'(' was never closed. Fix: {FIX_LE001}"}
    assert wsgi["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 1, "startColumn": 15, "endLine": 1, "endColumn": 16,
    }
    assert "suppressions" not in wsgi
    odd = by_uri["odd%20dir/%C3%BC%20%231%25%3F.py"]
    assert odd["locations"][0]["physicalLocation"]["region"]["startLine"] == 3


def test_suppressed_findings_are_kept_and_marked(project):
    report = _run(project)
    assert [f.path for f in report.findings if f.suppressed] == ["lib/old.py"]
    by_uri = _results_by_uri(sarif.build_sarif(report))
    assert by_uri["lib/old.py"]["suppressions"] == [{"kind": "inSource"}]
    assert [uri for uri, r in by_uri.items() if "suppressions" in r] == ["lib/old.py"]


def test_fingerprints_are_githubs_line_hashes_of_the_file_on_disk(project):
    by_uri = _results_by_uri(sarif.build_sarif(_run(project)))

    def fp(uri):
        return by_uri[uri].get("partialFingerprints", {}).get("primaryLocationLineHash")

    assert fp("wsgi.py") == line_hashes("application = (\n")[1]
    assert fp("odd%20dir/%C3%BC%20%231%25%3F.py") == line_hashes("# odd\n\nx = (\n")[3]
    # A BOM and CRLF are hashed as the upload action reads the file: raw UTF-8, BOM kept.
    assert fp("a%3Ab%2Cc.py") == line_hashes("\ufeffprint 'bom'\r\n")[1]
    assert fp("a%3Ab%2Cc.py") != line_hashes("print 'bom'\n")[1]
    # A FIFO cannot be read: no fingerprint, as the action would add none.
    assert "partialFingerprints" not in by_uri["pipe.py"]


def test_uri_prefix_makes_paths_repository_relative(project):
    doc = sarif.build_sarif(_run(project), uri_prefix="./services/my api")
    validate(doc)
    uris = sorted(_results_by_uri(doc))
    assert uris[0] == "services/my%20api/a%3Ab%2Cc.py"
    assert all(u.startswith("services/my%20api/") for u in uris)
    # The fingerprint is the same: the file is the same.
    plain = _results_by_uri(sarif.build_sarif(_run(project)))
    prefixed = _results_by_uri(doc)["services/my%20api/wsgi.py"]
    assert prefixed["partialFingerprints"] == plain["wsgi.py"]["partialFingerprints"]


@pytest.mark.parametrize(
    "prefix,expected",
    [("", ""), (".", ""), ("./", ""), ("services/api", "services/api/"), ("/services//api/", "services/api/"),
     ("./a/./b/", "a/b/")],
)
def test_normalize_prefix(prefix, expected):
    assert sarif.normalize_prefix(prefix) == expected


def test_encode_uri_keeps_slashes_and_encodes_the_rest():
    assert sarif.encode_uri("a b/\u00fc\n#%?:,[]'.py") == "a%20b/%C3%BC%0A%23%25%3F%3A%2C%5B%5D%27.py"
    assert sarif.encode_uri("lib/app_v1.2-x~y.py") == "lib/app_v1.2-x~y.py"


def test_render_is_the_json_of_build_sarif_and_the_cli_format(project):
    report = _run(project)
    text = sarif.render(report)
    assert text.endswith("}\n")
    assert json.loads(text) == sarif.build_sarif(report)
    assert render_format(report, "sarif") == text
    assert "odd dir" not in text and "odd%20dir" in text  # paths appear encoded only


def test_rule_descriptor_fields():
    d = sarif.rule_descriptor(PythonSyntaxError.info())
    assert d == {
        "id": "LE001",
        "name": "python-syntax-error",
        "shortDescription": {"text": PythonSyntaxError.summary},
        "fullDescription": {"text": " ".join(f"{PythonSyntaxError.summary} {PythonSyntaxError.why}".split())},
        "help": {"text": PythonSyntaxError.docs_text(), "markdown": PythonSyntaxError.docs_markdown()},
        "helpUri": DOCS_URL + "/LE001.md",
        "defaultConfiguration": {"level": "error"},
        "properties": {"tags": ["python"], "precision": "very-high", "problem.severity": "error"},
    }
    assert sarif.rule_descriptor(FileNotAnalyzed.info())["defaultConfiguration"] == {"level": "warning"}


# -- findings no engine run produces yet -----------------------------------------------------------


class _SecretRule(ProjectRule):
    """Not in analyzer/rules: never registered, used only to build reports by hand."""

    code = "LE999"
    name = "test-secret"
    severity = Severity.NOTE
    summary = "A test rule with a security severity"
    why = "Tests need one."
    tags = ("secrets",)
    security_severity = "7.5"


def _hand_report(tmp_path, findings, notices=()):
    write_project(tmp_path, {"wsgi.py": "import os\nKEY = 'x'\n"})
    project = Project(tmp_path, Config())
    return build_report(project, (InternalError, PythonSyntaxError, _SecretRule), list(findings), list(notices))


def test_project_level_finding_points_at_the_analyzed_directory(tmp_path):
    internal = Finding("LE000", Severity.ERROR, "internal error in rule LE201 on the project: boom", "")
    report = _hand_report(tmp_path, [internal])
    for prefix, uri in (("", "./"), ("services/api", "services/api/")):
        doc = sarif.build_sarif(report, uri_prefix=prefix)
        validate(doc)
        (result,) = doc["runs"][0]["results"]
        assert result["ruleIndex"] == 0
        assert result["locations"] == [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 1},
                }
            }
        ]
        assert "partialFingerprints" not in result


def test_security_severity_notices_and_multiline_regions(tmp_path):
    secret = Finding(
        "LE999", Severity.NOTE, "a key in the code", "wsgi.py", Span(2, 7, 3, 1), hint="read it from the environment"
    )
    notice = "leanengine.yaml sets runtime: node; the Python rules do not apply"
    report = _hand_report(tmp_path, [secret], notices=[notice])
    doc = sarif.build_sarif(report)
    validate(doc)
    run_ = doc["runs"][0]
    rule = run_["tool"]["driver"]["rules"][2]
    assert rule["properties"] == {
        "security-severity": "7.5", "tags": ["secrets", "security"], "precision": "high", "problem.severity": "recommendation",
    }
    assert rule["defaultConfiguration"] == {"level": "note"}
    assert run_["invocations"] == [
        {
            "executionSuccessful": True,
            "toolExecutionNotifications": [
                {"level": "note", "message": {"text": notice + "."}}
            ],
        }
    ]
    (result,) = run_["results"]
    assert result["ruleIndex"] == 2
    assert result["level"] == "note"
    assert result["message"]["text"] == "a key in the code. Fix: read it from the environment."
    assert result["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 2, "startColumn": 7, "endLine": 3, "endColumn": 1,
    }
    assert result["partialFingerprints"] == {"primaryLocationLineHash": line_hashes("import os\nKEY = 'x'\n")[2]}


def test_a_finding_of_a_rule_that_did_not_run_still_gets_a_descriptor(tmp_path):
    skipped = Finding("LE003", Severity.WARNING, "x.py was not analyzed", "x.py")
    report = _hand_report(tmp_path, [skipped])
    doc = sarif.build_sarif(report)
    validate(doc)
    rules = doc["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["LE000", "LE001", "LE999", "LE003"]
    assert doc["runs"][0]["results"][0]["ruleIndex"] == 3
    unknown = Finding("LE998", Severity.ERROR, "from nowhere", "wsgi.py")
    doc = sarif.build_sarif(_hand_report(tmp_path, [unknown]))
    validate(doc)
    assert doc["runs"][0]["tool"]["driver"]["rules"][3]["id"] == "LE998"
    assert doc["runs"][0]["results"][0]["ruleIndex"] == 3


def test_out_of_order_spans_are_clamped_to_a_valid_region(tmp_path):
    odd = Finding("LE001", Severity.ERROR, "m", "wsgi.py", Span(2, 5, 1, 3))
    report = _hand_report(tmp_path, [odd])
    doc = sarif.build_sarif(report)
    validate(doc)
    assert doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 2, "startColumn": 5, "endLine": 2, "endColumn": 5,
    }


_HAS_BASELINES = "baselined" in {f.name for f in dataclasses.fields(Finding)}


@pytest.mark.skipif(not _HAS_BASELINES, reason="no baselines yet")
def test_baselined_findings_are_kept_as_externally_suppressed(tmp_path):
    old = dataclasses.replace(Finding("LE001", Severity.ERROR, "m", "wsgi.py", Span(1, 1, 1, 2)), baselined=True)
    doc = sarif.build_sarif(_hand_report(tmp_path, [old]))
    validate(doc)
    assert doc["runs"][0]["results"][0]["suppressions"] == [
        {"kind": "external", "justification": sarif.BASELINE_JUSTIFICATION}
    ]


# -- Microsoft's SARIF Multitool (CI sets LEAN_LINT_SARIF_MULTITOOL; .ci/run installs it) ------------

MULTITOOL = os.environ.get("LEAN_LINT_SARIF_MULTITOOL", "")


def _multitool_problems(path: Path, tmp_path: Path) -> list[str]:
    """Errors and warnings of `Sarif.Multitool validate --rule-kind "Ghas;Sarif"` (its exit code is 0
    whatever it finds, so read its own SARIF log)."""
    out = tmp_path / f"{path.stem}.validation.sarif"
    proc = subprocess.run(
        [MULTITOOL, "validate", "--rule-kind", "Ghas;Sarif", "--level", "Error;Warning",
         "--log", "ForceOverwrite", "-o", str(out), str(path)],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    log = json.loads(out.read_text(encoding="utf-8-sig"))
    problems = []
    for run_ in log["runs"]:
        for notification in [n for inv in run_.get("invocations", []) for n in
                             inv.get("toolExecutionNotifications", []) + inv.get("toolConfigurationNotifications", [])]:
            if notification.get("level", "warning") in ("error", "warning"):
                problems.append(f"tool: {notification['message'].get('text')}")
        for result in run_.get("results", []):
            if result.get("level", "warning") in ("error", "warning"):
                problems.append(f"{result.get('ruleId')}: {json.dumps(result['message'])}")
    return problems


@pytest.mark.skipif(not MULTITOOL, reason="LEAN_LINT_SARIF_MULTITOOL is not set")
def test_sarif_multitool_finds_no_error_or_warning(project, tmp_path):
    outdir = tmp_path / "out"
    outdir.mkdir()
    report = _run(project)
    plain = outdir / "plain.sarif"
    plain.write_text(sarif.render(report), encoding="utf-8")
    prefixed = outdir / "prefixed.sarif"
    prefixed.write_text(sarif.render(report, uri_prefix="services/my api/"), encoding="utf-8")
    secret = Finding("LE999", Severity.NOTE, "a key in the code", "wsgi.py", Span(2, 7, 3, 1))
    internal = Finding("LE000", Severity.ERROR, "internal error in rule LE201 on the project: boom", "")
    from analyzer.types import Edit, Fix

    fixable = Finding(
        "LE002", Severity.WARNING, "unused", "wsgi.py", Span(1, 1, 1, 5),
        fix=Fix("Remove it", (Edit("wsgi.py", Span(1, 1, 2, 1), ""), Edit("wsgi.py", Span(3, 1, 3, 1), "import os\n"))),
    )
    from analyzer.types import RelatedLocation

    related = Finding(
        "LE001", Severity.ERROR, "repeats line 1", "wsgi.py", Span(2, 1, 2, 5),
        related=(RelatedLocation("wsgi.py", Span(1, 1, 1, 10), "first here"),),
    )
    hand_findings = [internal, secret, fixable, related]
    if _HAS_BASELINES:
        hand_findings.append(dataclasses.replace(Finding("LE001", Severity.ERROR, "m", "wsgi.py"), baselined=True))
    hand = outdir / "hand.sarif"
    hand.write_text(sarif.render(_hand_report(tmp_path / "hand", hand_findings, ["a notice"])), encoding="utf-8")
    uploaded = outdir / "uploaded.sarif"
    uploaded.write_text(sarif.render(report, uri_prefix="services/my api/", suppressed=False), encoding="utf-8")
    every_rule = outdir / "every-rule.sarif"
    every_rule.write_text(
        sarif.render(build_report(Project(project, Config()), all_rules(), [])), encoding="utf-8"
    )
    for path in (plain, prefixed, hand, uploaded, every_rule):
        assert _multitool_problems(path, tmp_path) == [], path.name

    # ... and it does report a broken file, so the check above can fail.
    doc = sarif.build_sarif(report)
    doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] = "/abs path/x.py"
    del doc["runs"][0]["results"][1]["locations"]
    broken = outdir / "broken.sarif"
    broken.write_text(json.dumps(doc), encoding="utf-8")
    problems = _multitool_problems(broken, tmp_path)
    assert any(p.startswith("SARIF1002") for p in problems), problems
    assert any(p.startswith("GH") for p in problems), problems


def test_safe_fixes_become_sarif_fixes(tmp_path):
    from analyzer.types import Edit, Fix

    fix = Fix("Remove the unused suppression", (Edit("a b.py", Span(2, 6, 2, 30), ""),))
    report = _hand_report(tmp_path / "p", [Finding("LE002", Severity.WARNING, "m", "a b.py", Span(2, 8, 2, 30), fix=fix)], [])
    (result,) = sarif.build_sarif(report)["runs"][0]["results"]
    assert result["fixes"] == [
        {
            "description": {"text": "Remove the unused suppression."},
            "artifactChanges": [
                {
                    "artifactLocation": {"uri": "a%20b.py", "uriBaseId": "%SRCROOT%"},
                    "replacements": [
                        {
                            "deletedRegion": {"startLine": 2, "startColumn": 6, "endLine": 2, "endColumn": 30},
                            "insertedContent": {"text": ""},
                        }
                    ],
                }
            ],
        }
    ]


# -- GitHub's limits and recommendations for rule descriptors -------------------------------------


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.code)
def test_every_rule_descriptor_fits_githubs_limits(rule):
    d = sarif.rule_descriptor(rule.info())
    assert 0 < len(d["fullDescription"]["text"]) <= 1024
    assert len(d["shortDescription"]["text"]) <= 1024
    assert d["fullDescription"]["text"].startswith(d["shortDescription"]["text"])
    assert d["properties"]["precision"] in ("very-high", "high", "medium", "low")
    assert d["properties"]["problem.severity"] == {"error": "error", "warning": "warning", "note": "recommendation"}[
        rule.severity.label
    ]
    assert d["helpUri"] == f"{DOCS_URL}/{rule.code}.md"


def test_a_long_description_is_cut_at_a_sentence():
    text = "First sentence. " + "word " * 300
    assert sarif._bounded(text) == "First sentence."
    long = "x " * 600
    cut = sarif._bounded(long)
    assert len(cut) <= 1024 and cut.endswith("x\u2026")


def test_suppressed_and_baselined_findings_are_left_out_for_upload(project):
    report = _run(project)
    doc = sarif.build_sarif(report, suppressed=False)
    validate(doc)
    assert "lib/old.py" not in _results_by_uri(doc)
    assert len(doc["runs"][0]["results"]) == len(report.active) == len(report.findings) - 1


def test_related_locations_of_duplicates(tmp_path):
    write_project(
        tmp_path,
        {
            "requirements.txt": "-r base.txt\nredis<5\n",
            "base.txt": "redis==4.6.0\n",
            "wsgi.py": "import leancloud\nengine = leancloud.Engine()\napplication = engine\n\n"
            "@engine.define\ndef hello(**params):\n    pass\n\n@engine.define('hello')\ndef hi(**params):\n    pass\n",
        },
    )
    report = run(tmp_path, select=("LE404", "LE709"))
    doc = sarif.build_sarif(report, uri_prefix="app")
    validate(doc)
    related = {r["ruleId"]: r["relatedLocations"] for r in doc["runs"][0]["results"]}
    assert related == {
        "LE404": [
            {
                "id": 1,
                "physicalLocation": {
                    "artifactLocation": {"uri": "app/base.txt", "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 13},
                },
                "message": {"text": "`redis==4.6.0` is listed here first."},
            }
        ],
        "LE709": [
            {
                "id": 1,
                "physicalLocation": {
                    "artifactLocation": {"uri": "app/wsgi.py", "uriBaseId": "%SRCROOT%"},
                    "region": related["LE709"][0]["physicalLocation"]["region"],
                },
                "message": {"text": "the cloud function `hello` is first registered here."},
            }
        ],
    }
    assert related["LE709"][0]["physicalLocation"]["region"]["startLine"] == 5
    from analyzer.engine.run import analyze

    fresh = analyze(tmp_path, select=("LE404", "LE709"), use_cache=True, jobs=1)
    cached = analyze(tmp_path, select=("LE404", "LE709"), use_cache=True, jobs=1)
    assert cached.cache_stats[0] > 0
    assert cached.findings == fresh.findings == report.findings


def test_related_locations_survive_the_cache(tmp_path):
    from analyzer.engine.cache import finding_from_json, finding_to_json
    from analyzer.types import RelatedLocation

    f = Finding("LE404", Severity.WARNING, "m", "a.txt", Span(2, 1, 2, 5),
                related=(RelatedLocation("b.txt", Span(1, 1, 1, 9), "first"), RelatedLocation("c.txt", Span(3, 2, 4, 1))))
    assert finding_from_json(json.loads(json.dumps(finding_to_json(f)))) == f
    plain = Finding("LE404", Severity.WARNING, "m", "a.txt")
    assert "related" not in finding_to_json(plain)
    assert finding_from_json(finding_to_json(plain)) == plain
