"""Hostile and broken projects: lean-lint answers every one with findings and exit 0 or 1, never hanging.

Each category of the issue ("Hostile and broken input") is pinned here on projects built in a
temporary directory: Python sources (encodings, NUL bytes, line endings, huge and deeply nested
files), leanengine.yaml (alias bombs, object tags, odd shapes), requirements files (include cycles,
100,000 lines, options, encodings), the file system (FIFOs, sockets, devices, directories where a
file should be, symlink loops and links out of the project, unreadable files, vendored trees, odd
names), lean-lint's own crashes (LE000), and what it must never do: execute project code, write
into the project, reach the network. Runs that could hang or kill the interpreter go through a
subprocess with a timeout, so a regression fails instead of hanging the suite.
"""

from __future__ import annotations

import builtins
import gc
import io
import json
import os
import re
import socket
import stat
import subprocess
import sys
import types
import warnings
from pathlib import Path

import pytest

from analyzer.rules.base import CodeRule, ProjectRule
from analyzer.types import Severity
from analyzer.model.project import Project
from analyzer.readers.config import Config
from analyzer.support.tree import looked_at
from tests.helpers import located, run, write_project

#: A run that takes longer than this is a hang (the slowest case takes a few seconds on 2 busy cores).
TIMEOUT = 240

LOGGING_WSGI = "import logging\napplication = None\nlogging.getLogger().addHandler(logging.FileHandler('app.log'))\n"
LE503_AT = "wsgi.py:3:32"


#: Before Python 3.11 (no safe-path mode), `python -m` imports runpy from the current directory before
#: any lean-lint code runs, so from inside a hostile project only the `lean-lint` command is safe.
_COMMAND = (
    [sys.executable, "-m", "analyzer"] if sys.version_info >= (3, 11) else [str(Path(sys.executable).parent / "lean-lint")]
)


def lint(root: Path, *args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """lean-lint ROOT ARGS in a subprocess (`python -m analyzer` on 3.11+, where it is as safe as the
    `lean-lint` command); fails on a hang, a traceback, a stray exit code."""
    proc = subprocess.run(
        [*_COMMAND, str(root), *args],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        cwd=str(cwd or root.parent),
        env={**os.environ, **(env or {})},
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode in (0, 1, 2), proc.returncode
    for line in proc.stderr.splitlines():
        assert line.startswith("lean-lint: "), proc.stderr
    return proc


def lint_json(root: Path, *args: str, **kw) -> tuple[list[dict], list[str], subprocess.CompletedProcess]:
    proc = lint(root, "--format", "json", *args, **kw)
    assert proc.returncode in (0, 1), proc.stderr
    doc = json.loads(proc.stdout)
    return doc["findings"], doc["notices"], proc


def codes_at(findings: list[dict]) -> list[str]:
    return [f"{f['path']}:{f['line']}:{f['column']}: {f['code']}" for f in findings]


def no_internal_errors(report) -> None:
    errors = [f.message for f in report.findings if f.code == "LE000"]
    assert errors == []


def messages(report, code: str) -> list[str]:
    return located(report, code, with_message=True)


# -- Python sources -----------------------------------------------------------------------------------


def test_undecodable_bytes_are_a_syntax_error_at_their_line(tmp_path):
    write_project(tmp_path, {"wsgi.py": b"application = None\nname = '\xff\xfe'\n"})
    report = run(tmp_path, select=("LE001", "LE003"))
    assert messages(report, "LE001") == [
        "wsgi.py:2:1: cannot decode the file as utf-8: invalid start byte"
    ]


def test_nul_byte_is_a_syntax_error(tmp_path):
    write_project(tmp_path, {"wsgi.py": b"application = None\nx = 1\x00\n"})
    report = run(tmp_path, select=("LE001",))
    assert messages(report, "LE001") == [
        "wsgi.py:2:1: the file contains a NUL byte, which Python refuses in source code"
    ]


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252", "iso-8859-15", "gbk", "shift_jis", "euc-kr", "koi8-r"])
def test_coding_cookies_decode_like_python(tmp_path, encoding):
    sample = {"gbk": "中文", "shift_jis": "日本語", "euc-kr": "한국어", "koi8-r": "привет"}.get(encoding, "café")
    text = f"# -*- coding: {encoding} -*-\n# {sample}\n" + LOGGING_WSGI.replace("application = None\n", "")
    text = text.replace("import logging\n", f"import logging\napplication = '{sample}'\n")
    write_project(tmp_path, {"wsgi.py": text.encode(encoding)})
    report = run(tmp_path, select=("LE001", "LE003", "LE503"))
    assert located(report) == ["wsgi.py:5:32"]  # LE503: the file was decoded, parsed and visited


@pytest.mark.parametrize(
    "data,where,start",
    [
        (b"# coding: nonsense\nx = 1\n", "wsgi.py:1:1", "cannot decode the file: unknown encoding: nonsense"),
        (b"#!/usr/bin/env python\n# coding: nonsense\nx = 1\n", "wsgi.py:2:1", "cannot decode the file: unknown encoding"),
        (b"\xef\xbb\xbf# coding: latin-1\nx = 1\n", "wsgi.py:1:1", "cannot decode the file: encoding problem"),
        (b"# coding: hex\nx = 1\n", "wsgi.py:1:1", "cannot decode the file"),
        (b"# coding: utf-32\nx = 1\n", "wsgi.py:1:1", "cannot decode the file as utf-32"),
    ],
)
def test_bad_coding_cookies_are_syntax_errors(tmp_path, data, where, start):
    write_project(tmp_path, {"wsgi.py": data})
    got = messages(run(tmp_path, select=("LE001",)), "LE001")
    assert len(got) == 1 and got[0].startswith(f"{where}: {start}"), got


def test_punycode_cookie_is_refused_quickly(tmp_path):
    # Decoding punycode takes time quadratic in the input: a megabyte would take hours.
    # In a subprocess bounded by TIMEOUT: decoding it again would fail the test instead of hanging it.
    write_project(tmp_path / "app", {"wsgi.py": b"# coding: punycode\n" + b"x" * 1_000_000 + b"\n"})
    findings, _, _ = lint_json(tmp_path / "app", "--no-cache", "--select", "LE001")
    assert [f"{f['path']}:{f['line']}:{f['column']}: {f['message']}" for f in findings] == [
        "wsgi.py:1:1: the coding cookie names punycode, which lean-lint does not decode"
    ]


@pytest.mark.parametrize(
    "data",
    [
        b"\xef\xbb\xbf" + LOGGING_WSGI.encode(),
        LOGGING_WSGI.replace("\n", "\r\n").encode(),
        b"\xef\xbb\xbf" + LOGGING_WSGI.replace("\n", "\r\n").encode(),
        LOGGING_WSGI.replace("\n", "\r").encode(),
    ],
    ids=["bom", "crlf", "bom-crlf", "cr"],
)
def test_bom_and_line_endings_keep_positions(tmp_path, data):
    write_project(tmp_path, {"wsgi.py": data, "bad.py": data.replace(b"None", b"(")})
    report = run(tmp_path, select=("LE001", "LE003", "LE503"))
    assert located(report, "LE503") == [LE503_AT]
    assert located(report, "LE001") == ["bad.py:2:15"]
    assert located(report, "LE003") == []


def test_a_file_over_the_size_limit_is_not_read(tmp_path):
    write_project(tmp_path, {"wsgi.py": "application = None\n", "big.py": "x = 1\n" * 600_000})
    size = (tmp_path / "big.py").stat().st_size
    report = run(tmp_path, select=("LE001", "LE003"))
    assert messages(report, "LE003") == [
        f"big.py:1:1: big.py was not analyzed: it is {size:,} bytes, over lean-lint's 2,097,152-byte limit"
    ]


def test_a_file_with_too_many_syntax_nodes_gets_only_the_cheap_pass(tmp_path):
    data = "import os\nENV = os.environ.get('LEANCLOUD_APP_ENV')\nX = [" + "1," * 120_000 + "]\n"
    write_project(tmp_path, {"wsgi.py": "import data\napplication = None\n", "data.py": data})
    # LE707 reads a runtime file that names LEANCLOUD_APP_ENV, so the file would be parsed with
    # libcst: the limit applies there.
    report = run(tmp_path, select=("LE001", "LE003", "LE707"))
    assert messages(report, "LE003") == [
        "data.py:1:1: data.py was not analyzed: it is too large to analyze: over 100,000 syntax nodes "
        "(lean-lint's limit for one file); only its imports were read"
    ]


#: CPython 3.12+ builds the syntax tree under a C recursion limit that lean-lint's big stack cannot
#: raise: there `ast` itself gives up on these chains, as the platform's interpreter does when it
#: compiles them (at its default limit, on every version), so the verdict is LE001; older
#: interpreters build the tree and lean-lint's own nesting limit makes it LE003.
_TOO_DEEP_FOR_C = (
    "LE001 Python cannot parse this file: it is nested too deeply (RecursionError)"
    if sys.version_info >= (3, 12)
    else "LE003"
)


def _deep_project(root: Path) -> dict[str, str]:
    """Modules nested beyond any parser, all imported by wsgi.py so the runtime rules want them, all
    holding the rules' keywords so no rule skips them. Returns file -> the finding expected."""
    keywords = "# open leancloud basicConfig sqlite remote SECURE_SSL_REDIRECT MASTER_KEY\n"
    modules = {
        "m_parens": ("x = " + "(" * 5000 + "1" + ")" * 5000, "LE001 too many nested parentheses"),
        "m_plus": ("x = " + "+".join(["1"] * 50_000), _TOO_DEEP_FOR_C),
        "m_or": ("x = " + " or ".join(["a"] * 50_000), "LE003"),
        "m_strings": ("x = " + " ".join(['"a"'] * 5_000), "LE003"),
        "m_attrs": ("x = a" + ".b" * 20_000, _TOO_DEEP_FOR_C),
        "m_calls": ("x = f" + "()" * 20_000, _TOO_DEEP_FOR_C),
        "m_subscripts": ("x = a" + "[0]" * 20_000, _TOO_DEEP_FOR_C),
        "m_not": ("x = " + "not " * 100_000 + "1", "LE001"),
        "m_lambda": ("x = " + "lambda: " * 100_000 + "1", "LE001"),
        "m_brackets": ("x = " + "[" * 190 + "]" * 190, ""),  # deep for Python, fine for both parsers
        "m_chain300": ("x = " + "+".join(["1"] * 300), ""),
    }
    files = {f"{name}.py": keywords + body + "\n" for name, (body, _) in modules.items()}
    files["wsgi.py"] = "".join(f"import {name}\n" for name in modules) + "application = None\n"
    write_project(root, files)
    return {f"{name}.py": expected for name, (_, expected) in modules.items()}


def test_deep_nesting_never_crashes_nor_hangs(tmp_path):
    expected = _deep_project(tmp_path / "app")
    findings, _, _ = lint_json(tmp_path / "app", "--no-cache")  # a hang fails at TIMEOUT
    assert [f for f in findings if f["code"] == "LE000"] == []
    got = {f["path"]: f"{f['code']} {f['message']}" for f in findings if f["code"] in ("LE001", "LE003")}
    for path, want in expected.items():
        if not want:
            assert path not in got
        else:
            assert got[path].startswith(want), (path, got.get(path))
    if _TOO_DEEP_FOR_C == "LE003":
        assert got["m_plus.py"].startswith("LE003 m_plus.py was not analyzed: it is nested too deeply to analyze: over 500 levels")
    assert got["m_strings.py"].startswith("LE003 m_strings.py was not analyzed: it is too complex to analyze: over 3,000 string literals")
    assert got["m_not.py"] == "LE001 Python cannot parse this file: it is nested too deeply (MemoryError)"


def test_a_syntax_error_after_a_long_chain_is_reported_quickly(tmp_path):
    # `ast` fails, so lean-lint asks libcst whether it is newer syntax, but only when libcst can
    # answer fast: a 20,000-deep subscript chain would take libcst hours.
    write_project(tmp_path / "app", {"wsgi.py": "x = a" + "[0]" * 20_000 + "\ny = (\n"})
    findings, _, _ = lint_json(tmp_path / "app", "--no-cache", "--select", "LE001")  # a hang fails at TIMEOUT
    assert codes_at(findings) == ["wsgi.py:2:5: LE001"]


def test_a_megabyte_chain_is_a_syntax_error_not_a_crash(tmp_path):
    # Python's own parser gives up while building the tree; the platform cannot compile it either.
    source = "x = " + "1+" * 999_990 + "1\n"
    write_project(tmp_path / "app", {"wsgi.py": source})
    findings, _, _ = lint_json(tmp_path / "app", "--no-cache", "--select", "LE001,LE003")
    # CPython 3.11+ gives up building this tree (a RecursionError: LE001); 3.10's parser builds it on
    # lean-lint's large analysis stack (parsing it here, on the test's 8 MiB main thread, would crash).
    if sys.version_info >= (3, 11):
        assert codes_at(findings) == ["wsgi.py:1:1: LE001"]
        assert findings[0]["message"].startswith("Python cannot parse this file: it is nested too deeply")
    else:
        assert codes_at(findings) == []


class PanicException(BaseException):
    """What pyo3 raises when native code (libcst's parser) panics: not an Exception."""


@pytest.mark.parametrize("error", [TypeError("libcst rejects valid code"), PanicException("panicked")], ids=["exception", "panic"])
def test_a_file_libcst_cannot_parse_is_reported_not_skipped(tmp_path, monkeypatch, error):
    # libcst 1.9 raises TypeError on `() if 0 else(lambda:())`, which Python accepts.
    import libcst

    def parse_module(*args, **kwargs):
        raise error

    monkeypatch.setattr(libcst, "parse_module", parse_module)
    write_project(tmp_path, {"wsgi.py": LOGGING_WSGI, "bad.py": "x = (\n"})
    report = run(tmp_path, select=("LE001", "LE003", "LE503"))
    assert messages(report, "LE003") == [
        "wsgi.py:1:1: wsgi.py was not analyzed: lean-lint's parser (libcst) cannot parse it, though Python can"
    ]
    assert located(report, "LE001") == ["bad.py:1:5"]
    assert [f.code for f in run(tmp_path, select=("LE503",)).findings] == []  # LE003 only when selected


def test_hostile_leanignore_and_exclude_patterns_match_fast(tmp_path):
    # As regular expressions these patterns backtrack for hours on a name they do not match.
    patterns = ["*a*a*a*a*a*a*a*a*a*a*a*a*b", "**/" * 30 + "x", "/" + "**/*/" * 30 + "x", "[!a]*[!a]*[!a]*[!a]*c"]
    files = {"wsgi.py": "application = None\n", ".leanignore": "\n".join(patterns * 50) + "\n"}
    deep = "/".join(["a" * 40] * 40)
    files[f"{deep}/{'a' * 200}.py"] = "x = (\n"
    files[f"{'a' * 250}.py"] = "x = (\n"
    files[".lean-lint.toml"] = f"exclude = {json.dumps(patterns)}\n"
    write_project(tmp_path / "app", files)
    # In a subprocess bounded by TIMEOUT: a backtracking matcher fails the test instead of hanging it.
    findings, _, _ = lint_json(tmp_path / "app", "--no-cache", "--select", "LE001")
    assert sorted(codes_at(findings)) == sorted([f"{deep}/{'a' * 200}.py:1:5: LE001", f"{'a' * 250}.py:1:5: LE001"])


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-32"])
def test_leanignore_with_a_byte_order_mark(tmp_path, encoding):
    write_project(tmp_path, {"wsgi.py": "application = None\n", "ignored.py": "x = (\n", "kept.py": "x = (\n",
                             ".leanignore": "ignored.py\n".encode(encoding)})
    assert located(run(tmp_path, select=("LE001",))) == ["kept.py:1:5"]


def test_an_overlong_leanignore_is_cut_with_a_notice(tmp_path):
    write_project(tmp_path, {"wsgi.py": "application = None\n", ".leanignore": "".join(f"p{i}/\n" for i in range(1500))})
    report = run(tmp_path, select=("LE001",))
    assert ".leanignore has more than 1,000 patterns; lean-lint used the first 1,000 and ignored 500" in report.notices


def test_a_small_address_space_still_gets_an_answer(tmp_path):
    # The analysis thread asks for a 512 MiB stack; under `ulimit -v` it must settle for less.
    resource = pytest.importorskip("resource")
    write_project(tmp_path / "app", {"wsgi.py": LOGGING_WSGI + "import bad\n", "bad.py": "x = (\n"})

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (450 * 1024 * 1024, resource.RLIM_INFINITY))

    proc = subprocess.run(
        [sys.executable, "-m", "analyzer", str(tmp_path / "app"), "--no-cache", "--select", "LE001,LE503", "--format", "json"],
        capture_output=True, text=True, timeout=TIMEOUT, preexec_fn=limit,
    )
    assert proc.returncode == 1, proc.stderr
    assert sorted(codes_at(json.loads(proc.stdout)["findings"])) == ["bad.py:1:5: LE001", "wsgi.py:3:32: LE503"]


# -- leanengine.yaml ------------------------------------------------------------------------------------


def _bomb(levels: int = 12) -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


YAML_CASES = {
    "alias-bomb": (_bomb(), "leanengine.yaml:1:1: the document expands to more than 100,000 nodes through aliases (a YAML alias bomb)"),
    "merge-bomb": (
        "a0: &a0 {k0: 1, k1: 2, k2: 3}\n" + "".join(f"a{i}: &a{i} {{<<: [*a{i - 1}, *a{i - 1}], z{i}: 1}}\n" for i in range(1, 40)),
        "leanengine.yaml:1:1: the document expands to more than 100,000 nodes",
    ),
    "recursive": ("run: &a [python, *a]\n", "leanengine.yaml:1:18: the alias *a is inside the collection it names"),
    "deep": ("run: " + "[" * 10_000 + "]" * 10_000 + "\n", "leanengine.yaml:1:69: the document nests more than 64 levels deep"),
    "python-object": ("run: !!python/object/apply:os.system ['touch MARKER']\n", "leanengine.yaml:1:6: invalid YAML"),
    "python-name": ("run: !!python/name:os.system\n", "leanengine.yaml:1:6: invalid YAML"),
    "python-module": ("runtime: !!python/module:os\n", "leanengine.yaml:1:10: invalid YAML"),
    "python-new": ("run: !!python/object/new:subprocess.Popen [[touch, MARKER]]\n", "leanengine.yaml:1:6: invalid YAML"),
    "custom-tag": ("run: !shell echo hi\n", "leanengine.yaml:1:6: invalid YAML"),
    "duplicate-keys": ("run: a\nrun: b\n", "leanengine.yaml:2:1: `run` is given twice"),
    "tabs": ("run: python wsgi.py\ninstall:\n\t- pip install x\n", "leanengine.yaml:3:1: invalid YAML"),
    "nul": ("run: python wsgi.py\x00\n", "leanengine.yaml:1:20: invalid YAML: the character U+0000 is not allowed in a YAML file"),
    "control": ("runtime: python\nrun: \x07\n", "leanengine.yaml:2:6: invalid YAML: the character U+0007 is not allowed"),
    "list": ("- run: python wsgi.py\n", "leanengine.yaml:1:1: leanengine.yaml is a list, not `key: value` settings"),
    "scalar": ("python wsgi.py\n", 'leanengine.yaml:1:1: leanengine.yaml is the string "python wsgi.py", not `key: value`'),
    "two-documents": ("run: a\n---\nrun: b\n", "leanengine.yaml:2:1: invalid YAML: expected a single document"),
    "duplicate-anchor": ("a: &x 1\nb: &x 2\n", "leanengine.yaml:2:4: invalid YAML: the anchor &x is defined twice (first on line 1)"),
    "huge-int": ("startupTimeout: " + "9" * 5000 + "\n", "leanengine.yaml:1:1: invalid YAML: Exceeds the limit"),
    "bad-date": ("startupTimeout: 2001-13-45\n", "leanengine.yaml:1:1: invalid YAML: month must be in 1..12"),
}

#: Odd but loadable documents: whatever the rules make of them, none of them crashes.
YAML_ODD = {
    "inf-nan": "startupTimeout: .inf\nextraPorts: [{containerPort: .nan}]\nrun: .nan\n",
    "negative-inf": "startupTimeout: -.inf\n",
    "non-string-keys": "{null: 1, 1: 2, true: 3, 2001-01-01: 4, .inf: 5, run: python wsgi.py}\n",
    "typed-values": (
        "run: !!binary aGVsbG8=\nstartupTimeout: 2001-01-01\nsystemDependencies: !!set {a, b}\n"
        "install: !!omap [{use: default}]\nbuildRoot: !!float 1e400\nruntime: [python]\n"
    ),
    "weird-types": "run: [1, 2]\nbuildRoot: {a: b}\ninstall: 7\nsystemDependencies: {x: y}\nextraPorts: x\n",
    "nested-nulls": "install:\n  -\n  - ~\n  - {}\n  - []\nextraPorts:\n  - ~\n",
    "merge": "base: &b {run: python app.py}\n<<: *b\nruntime: python\n",
    "sexagesimal": "startupTimeout: 1:2:3:4:5:6:7:8:9\n",
    "empty": "",
    "only-comments": "# nothing\n# here\n",
    "bom": "\ufeffrun: python wsgi.py\n",
    "long-line": "run: " + "x" * 60_000 + "\n",
    "utf16": "run: python wsgi.py\n",  # written as UTF-16 below
}


@pytest.mark.parametrize("name", sorted(YAML_CASES))
def test_broken_leanengine_yaml_is_one_finding(tmp_path, name):
    text, expected = YAML_CASES[name]
    write_project(tmp_path, {"leanengine.yaml": text, "wsgi.py": "application = None\n", "requirements.txt": "leancloud>=2.9.1,<3.0.0\n"})
    report = run(tmp_path)  # the bombs' findings name the budget that stopped them (100,000 nodes, 64 levels)
    no_internal_errors(report)
    got = messages(report, "LE301")
    assert len(got) == 1 and got[0].startswith(expected), got
    assert "\n" not in got[0]
    assert not (tmp_path / "MARKER").exists()


@pytest.mark.parametrize("name", sorted(YAML_ODD))
def test_odd_leanengine_yaml_never_crashes_a_rule(tmp_path, name):
    text = YAML_ODD[name]
    data = text.encode("utf-16") if name == "utf16" else text.encode("utf-8")
    write_project(tmp_path, {"leanengine.yaml": data, "wsgi.py": "application = None\n", "requirements.txt": "leancloud>=2.9.1,<3.0.0\n"})
    report = run(tmp_path)
    no_internal_errors(report)
    for f in report.findings:
        assert "\n" not in f.message


def test_a_huge_leanengine_yaml_is_not_read(tmp_path):
    write_project(tmp_path, {"leanengine.yaml": "run: python wsgi.py\n" + "# padding\n" * 20_000, "wsgi.py": "application = None\n"})
    report = run(tmp_path, select=("LE301",))
    assert messages(report, "LE301") == [
        "leanengine.yaml:1:1: cannot read leanengine.yaml: it is 200,020 bytes, over lean-lint's "
        "65,536-byte limit: the platform reads no setting from it"
    ]


# -- requirements files ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "files",
    [
        {"requirements.txt": "-r requirements.txt\nflask>=2,<3\n"},
        {"requirements.txt": "-r a.txt\n", "a.txt": "-r b.txt\nflask>=2,<3\n", "b.txt": "-r a.txt\n-c requirements.txt\n"},
        {"requirements.txt": "-c requirements.txt\n--requirement=./requirements.txt\n-r ./sub/../requirements.txt\n"},
        {"requirements.txt": "-r " + "/".join(["."] * 2000) + "/requirements.txt\n"},
    ],
    ids=["self", "mutual", "constraints", "long-path"],
)
def test_requirement_include_cycles_end(tmp_path, files):
    write_project(tmp_path / "app", {**files, "wsgi.py": "application = None\n"})
    findings, _, _ = lint_json(tmp_path / "app", "--no-cache")
    assert [f for f in findings if f["code"] == "LE000"] == []


def test_a_hundred_thousand_requirement_lines_take_seconds(tmp_path):
    lines = [f"p{i}>={i % 7},<{i % 7 + 1}" for i in range(100_000)]
    write_project(tmp_path, {"requirements.txt": "\n".join(lines) + "\n", "wsgi.py": "application = None\n"})
    assert (tmp_path / "requirements.txt").stat().st_size < 2 * 1024 * 1024
    # In a subprocess bounded by TIMEOUT: a quadratic reader fails the test instead of stalling the suite.
    findings, _, _ = lint_json(tmp_path, "--no-cache", "--select", "LE1,LE4")
    assert [f for f in findings if f["code"] == "LE000"] == []


def test_a_requirements_file_over_the_size_limit(tmp_path):
    write_project(tmp_path, {"requirements.txt": "flask>=2,<3\n" * 250_000, "wsgi.py": "application = None\n"})
    report = run(tmp_path, select=("LE1", "LE4", "LE003"))
    no_internal_errors(report)
    # The size budget stops the reader before it reads a line: the finding says so.
    assert messages(report, "LE003") == [
        "requirements.txt:1:1: requirements.txt was not analyzed: it is 3,000,000 bytes, over lean-lint's "
        "2,097,152-byte limit"
    ]
    assert [f.code for f in report.active] == ["LE003"]


def test_requirement_options_and_odd_lines(tmp_path):
    text = (
        "--index-url https://mirrors.example.com/simple\n"
        "--extra-index-url=https://x.example.com\n"
        "-i https://pypi.org/simple --trusted-host x\n"
        "-e .\n"
        "-e git+https://example.com/x.git#egg=x\n"
        "--no-binary :all:\n"
        "--only-binary=:none:\n"
        "-f ./wheels\n"
        "--find-links\n"
        "--frobnicate\n"
        "--hash=sha256:" + "0" * 64 + "\n"
        "flask>=2,<3 --hash=sha256:abc \\\n"
        "    --hash=sha256:def\n"
        "./local/pkg\n"
        "https://example.com/x.whl\n"
        "x @ file:///etc/passwd\n"
        "requests[security,socks] >= 2.0 ; python_version < '4' and os_name == 'posix'\n"
        "bad name here\n"
        "===\n"
        "pkg>=1.0.0.0.0.0.0.0.0.0.0.0,<\n"
        "${HOME}/x.whl\n"
        "-r\n"
        "-r /etc/passwd\n"
        "-r ../../outside.txt\n"
        "-c /dev/zero\n"
        "x" * 200_000 + "\n"
        "trailing \\"
    )
    write_project(tmp_path, {"requirements.txt": text, "wsgi.py": "application = None\n"})
    report = run(tmp_path, select=("LE1", "LE4"))
    no_internal_errors(report)
    for f in report.findings:
        assert "\n" not in f.message
        assert "root:" not in f.message  # /etc/passwd was never read


@pytest.mark.parametrize(
    "data",
    [
        "flask>=2,<3\nrequests\n".encode("utf-16"),
        "\ufeffflask>=2,<3\nrequests\n".encode("utf-8"),
        "flask>=2,<3\n# café\nrequests\n".encode("latin-1"),
        b"flask>=2,<3\r\nrequests\r\n",
        b"flask>=2,<3\rrequests\r",
        b"flask>=2,<3\x00\nrequests\n",
        b"\xff\xfe\xfd\n",
        b"",
    ],
    ids=["utf16", "bom", "latin1", "crlf", "cr", "nul", "binary", "empty"],
)
def test_requirements_in_odd_encodings(tmp_path, data):
    write_project(tmp_path, {"requirements.txt": data, "wsgi.py": "import flask\nimport requests\napplication = None\n"})
    report = run(tmp_path)
    no_internal_errors(report)
    for f in report.findings:
        assert "\n" not in f.message


def test_utf16_requirements_are_read_like_pip(tmp_path):
    # `pip freeze > requirements.txt` in Windows PowerShell writes UTF-16 with a BOM; pip reads it.
    write_project(tmp_path, {"requirements.txt": "flask\n".encode("utf-16"), "wsgi.py": "import flask\napplication = None\n"})
    report = run(tmp_path, select=("LE4",))
    no_internal_errors(report)
    assert all(not f.message.startswith("`\ufeff") for f in report.findings)
    assert located(report, "LE401") == ["requirements.txt:1:1"]


# -- .python-version and runtime.txt -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [b"", b"\x00\x00", b"3.11\x00", b"\xff\xfe3\x00.\x001\x001\x00", "3.11".encode("utf-16"), b"3." + b"9" * 100_000, b"\n" * 1000 + b"3.11", b"3.11\r\n"],
    ids=["empty", "nul", "nul-after", "utf16-ish", "utf16", "long", "blank-lines", "crlf"],
)
def test_odd_python_version_files(tmp_path, data):
    write_project(tmp_path, {".python-version": data, "runtime.txt": data, "wsgi.py": "application = None\n"})
    report = run(tmp_path, select=("LE6",))
    no_internal_errors(report)
    for f in report.findings:
        assert "\n" not in f.message


# -- the file system ------------------------------------------------------------------------------------

NAMED_FILES = ("leanengine.yaml", "requirements.txt", "requirements-dev.txt", ".python-version", "runtime.txt",
               ".leanignore", "pyproject.toml", ".lean-lint.toml", "wsgi.py", "app.py", "manage.py", "Procfile")


def test_directories_where_files_should_be(tmp_path):
    root = tmp_path / "app"
    for name in NAMED_FILES:
        (root / name).mkdir(parents=True)
    (root / "wsgi.py" / "inner.py").write_text("x = (\n")
    findings, _, _ = lint_json(root, "--no-cache")
    assert [f for f in findings if f["code"] == "LE000"] == []
    assert "wsgi.py/inner.py:1:5: LE001" in codes_at(findings)
    le301 = [f["message"] for f in findings if f["code"] == "LE301"]
    assert le301 == ["cannot read leanengine.yaml: it is a directory, not a file: the platform "
                     "reads no setting from it"]


def _special(path: Path, kind: str) -> bool:
    """Make a FIFO, a socket or a device node at `path`; False when the system does not allow it."""
    try:
        if kind == "fifo":
            os.mkfifo(path)
        elif kind == "socket":
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.bind(str(path))
            sock.close()
        else:
            os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 5))  # /dev/zero: endless
    except (OSError, AttributeError):
        return False
    return True


@pytest.mark.parametrize("kind", ["fifo", "socket", "device"])
def test_special_files_are_never_opened(tmp_path, kind):
    root = tmp_path / "app"
    root.mkdir()
    for name in NAMED_FILES:
        if len(str(root / name)) > 100 and kind == "socket":
            pytest.skip("socket path too long for AF_UNIX")
        if not _special(root / name, kind):
            pytest.skip(f"cannot make a {kind} here")
    (root / "lib").mkdir()
    _special(root / "lib" / "mod.py", kind)
    findings, _, _ = lint_json(root, "--no-cache")
    assert [f for f in findings if f["code"] == "LE000"] == []
    skipped = sorted(f["path"] for f in findings if f["code"] == "LE003")
    assert skipped == ["app.py", "lib/mod.py", "manage.py", "wsgi.py"]
    for f in findings:
        if f["code"] == "LE003":
            assert f["message"].endswith("was not analyzed: it is not a regular file (a FIFO, socket or device)")
    assert [f["message"].split(";")[0] for f in findings if f["code"] == "LE301"] == [
        "cannot read leanengine.yaml: it is not a regular file (a FIFO, socket or device): the "
        "platform reads no setting from it"
    ]


def test_symlink_loops(tmp_path):
    root = tmp_path / "app"
    write_project(root, {"wsgi.py": "import a\napplication = None\n", "pkg/__init__.py": ""})
    os.symlink("b.py", root / "a.py")
    os.symlink("a.py", root / "b.py")
    os.symlink("self.py", root / "self.py")
    os.symlink("..", root / "pkg" / "up")
    os.symlink(".", root / "pkg" / "here")
    os.symlink("dir.py", root / "dir.py")
    for name in ("leanengine.yaml", "requirements.txt", ".python-version", ".leanignore", "pyproject.toml"):
        os.symlink(name, root / name)
    findings, _, _ = lint_json(root, "--no-cache")
    assert [f for f in findings if f["code"] == "LE000"] == []
    got = {f["path"]: f["message"] for f in findings if f["code"] == "LE003"}
    assert sorted(got) == ["a.py", "b.py", "dir.py", "self.py"]
    assert got["a.py"] == "a.py was not analyzed: Too many levels of symbolic links"


def test_links_out_of_the_project_are_never_followed(tmp_path, monkeypatch):
    outside = tmp_path / "outside"
    write_project(
        outside,
        {
            "secret.py": "OUTSIDE_SECRET = (\n",
            "requirements.txt": "outside-only-package\n",
            "leanengine.yaml": "run: outside-only-command\nruntime: outside-runtime\n",
            ".python-version": "pypy-outside\n",
            "lib/mod.py": "OUTSIDE_LIB = (\n",
            ".leanignore": "*\n",
        },
    )
    root = tmp_path / "app"
    write_project(root, {"wsgi.py": "import lib.mod\napplication = None\n"})
    os.symlink(outside / "secret.py", root / "secret.py")
    os.symlink(outside / "lib", root / "lib")
    os.symlink(outside / "requirements.txt", root / "requirements.txt")
    os.symlink(outside / "leanengine.yaml", root / "leanengine.yaml")
    os.symlink(outside / ".python-version", root / ".python-version")
    os.symlink(outside / ".leanignore", root / ".leanignore")
    os.symlink("../outside/secret.py", root / "relative.py")
    (root / "inner").mkdir()
    os.symlink(outside, root / "inner" / "out")

    opened: list[str] = []
    real_os_open, real_open = os.open, builtins.open

    def spy_os_open(path, *args, **kwargs):
        opened.append(os.path.realpath(path))
        return real_os_open(path, *args, **kwargs)

    def spy_open(file, *args, **kwargs):
        if isinstance(file, (str, bytes, os.PathLike)):
            opened.append(os.path.realpath(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(os, "open", spy_os_open)
    monkeypatch.setattr(builtins, "open", spy_open)
    monkeypatch.setattr(io, "open", spy_open)
    report = run(root)
    monkeypatch.undo()

    no_internal_errors(report)
    assert [p for p in opened if p.startswith(str(outside))] == []
    text = " ".join(f.message for f in report.findings) + " ".join(report.notices)
    assert "OUTSIDE" not in text and "outside-only" not in text and "pypy-outside" not in text
    assert any("relative.py, secret.py" in n and "never follows" in n for n in report.notices), report.notices
    assert messages(report, "LE301")[0].startswith(
        "leanengine.yaml:1:1: cannot read leanengine.yaml: it is outside the project (through a symbolic link)"
    )


@pytest.mark.parametrize("name", ["pyproject.toml", ".lean-lint.toml"])
def test_a_config_file_linked_out_of_the_project_is_not_read(tmp_path, name):
    write_project(tmp_path / "outside", {name: '[tool.lean-lint]\nexclude = ["wsgi.py"]\n'})
    write_project(tmp_path / "app", {"wsgi.py": "x = (\n"})
    os.symlink(tmp_path / "outside" / name, tmp_path / "app" / name)
    findings, _, _ = lint_json(tmp_path / "app", "--no-cache", "--select", "LE001")
    assert codes_at(findings) == ["wsgi.py:1:5: LE001"]


def test_paths_pointing_out_of_the_project_are_never_read(tmp_path):
    outside = tmp_path / "outside"
    write_project(outside, {"reqs.txt": "outside-only-package\n", "x.whl": "", "app/wsgi.py": "OUTSIDE = (\n"})
    root = tmp_path / "app"
    write_project(
        root,
        {
            "wsgi.py": "application = None\n",
            "requirements.txt": f"-r ../outside/reqs.txt\n-r {outside}/reqs.txt\n-c {outside}/reqs.txt\n",
            "leanengine.yaml": f"buildRoot: ../outside/app\ninstall:\n  - require: [{outside}/x.whl, ../outside/x.whl]\n",
        },
    )
    findings, _, _ = lint_json(root, "--no-cache")
    assert [f for f in findings if f["code"] == "LE000"] == []
    for f in findings:
        assert "outside-only-package" not in f["message"] and "OUTSIDE" not in f["message"]
        assert f["path"] in ("wsgi.py", "requirements.txt", "leanengine.yaml")


def _deny(monkeypatch, paths: set[str], dirs: set[str]) -> None:
    """Make files and directories unreadable: chmod when that works, else (as root) refuse the
    calls lean-lint makes to read them."""
    real_os_open, real_scandir = os.open, os.scandir

    def os_open(path, *args, **kwargs):
        if os.path.realpath(path) in paths:
            raise PermissionError(13, "Permission denied", str(path))
        return real_os_open(path, *args, **kwargs)

    def scandir(path="."):
        if os.path.realpath(path) in dirs:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "open", os_open)
    monkeypatch.setattr(os, "scandir", scandir)


def test_unreadable_files_and_directories(tmp_path, monkeypatch):
    root = tmp_path / "app"
    write_project(
        root,
        {
            "wsgi.py": "application = None\n",
            "leanengine.yaml": "run: python wsgi.py\n",
            "requirements.txt": "flask>=2,<3\n",
            ".python-version": "3.11\n",
            "pkg/mod.py": "x = (\n",
        },
    )
    files = {str((root / n).resolve()) for n in ("wsgi.py", "leanengine.yaml", "requirements.txt", ".python-version")}
    if os.geteuid() != 0:
        for path in files:
            os.chmod(path, 0)
        os.chmod(root / "pkg", 0)
    _deny(monkeypatch, files, {str((root / "pkg").resolve())})
    try:
        report = run(root)
    finally:
        monkeypatch.undo()
        os.chmod(root / "pkg", 0o755)
    no_internal_errors(report)
    assert messages(report, "LE003") == [
        "requirements.txt:1:1: requirements.txt was not analyzed: Permission denied",
        "wsgi.py:1:1: wsgi.py was not analyzed: Permission denied",
    ]
    assert messages(report, "LE301")[0].startswith("leanengine.yaml:1:1: cannot read leanengine.yaml: Permission denied")
    assert "cannot list 1 directory: pkg (Permission denied); the Python files in them were not analyzed" in report.notices


def test_vendored_trees_are_skipped_quickly(tmp_path):
    root = tmp_path / "app"
    files = {"wsgi.py": "application = None\n", "requirements.txt": "leancloud>=2.9.1,<3.0.0\n"}
    for folder in ("node_modules/pkg", ".git/objects", "venv/lib", ".venv/lib", "my-env/lib", "conda/lib", "site-packages/x", "__pycache__", "x.egg-info", "build/lib", "dist"):
        for i in range(300):
            files[f"{folder}/m{i}.py"] = "print 'python 2'\n"
    files["my-env/pyvenv.cfg"] = "home = /usr\n"
    files["conda/conda-meta/history"] = ""
    write_project(root, files)
    looked_at.clear()
    report = run(root)
    no_internal_errors(report)
    assert [f.path for f in report.findings if f.path.endswith(".py") and f.path != "wsgi.py"] == []
    assert Project(root, Config()).python_files == ["wsgi.py"]
    # Skipped, not walked and then dropped: no file or directory inside a vendored tree was looked at.
    inside = sorted(p for p in looked_at if p.startswith(str(root) + os.sep) and os.sep in p[len(str(root)) + 1 :])
    assert inside == []


ODD_NAMES = ["with space.py", "café.py", "中文.py", "new\nline.py", "tab\there.py", "-dash.py", "%41.py", "#hash.py", "q?.py", "[x].py"]


def test_odd_file_names_in_every_format(tmp_path):
    root = tmp_path / "app"
    write_project(root, {"wsgi.py": "application = None\n", **{name: "x = (\n" for name in ODD_NAMES}})
    for fmt in ("text", "github", "sarif"):
        proc = lint(root, "--no-cache", "--format", fmt)
        assert proc.returncode == 1
    findings, _, _ = lint_json(root, "--no-cache", "--select", "LE001")
    assert sorted(f["path"] for f in findings) == sorted(ODD_NAMES)
    sarif = json.loads(lint(root, "--no-cache", "--select", "LE001", "--format", "sarif").stdout)
    uris = sorted(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"])
    # From the current directory (no repository here): the project is `app/`.
    assert "app/new%0Aline.py" in uris and "app/with%20space.py" in uris and "app/caf%C3%A9.py" in uris
    assert "app/%2541.py" in uris
    assert all(" " not in u and "\n" not in u and "\t" not in u for u in uris)


def test_undecodable_file_names_are_skipped_with_a_notice(tmp_path):
    root = tmp_path / "app"
    write_project(root, {"wsgi.py": "application = None\n", "ok.py": "x = (\n"})
    try:
        (root / os.fsdecode(b"bad\xff.py")).write_bytes(b"x = (\n")
        (root / os.fsdecode(b"dir\xe9")).mkdir()
    except (OSError, UnicodeError):
        pytest.skip("the file system refuses undecodable names")
    (root / os.fsdecode(b"dir\xe9") / "m.py").write_text("x = (\n")
    (root / os.fsdecode(b"data\xfe.txt")).write_text("x")
    for fmt in ("text", "json", "sarif", "github"):
        proc = lint(root, "--format", fmt)  # with the cache: it digests every file name
        assert proc.returncode == 1
        assert "lean-lint: note: 2 file or directory names are not valid UTF-8 and were skipped: bad\\xff.py, dir\\xe9" in proc.stderr
    findings, _, _ = lint_json(root, "--no-cache", "--select", "LE001")
    assert codes_at(findings) == ["ok.py:1:5: LE001"]


def test_an_empty_directory(tmp_path):
    (tmp_path / "empty").mkdir()
    proc = lint(tmp_path / "empty")
    assert proc.returncode in (0, 1)


@pytest.mark.parametrize("make", ["missing", "file", "fifo", "dangling-link"])
def test_a_path_that_is_not_a_project_directory_is_exit_2_in_one_line(tmp_path, make):
    target = tmp_path / "target"
    if make == "file":
        target.write_text("x")
    elif make == "fifo":
        os.mkfifo(target)
    elif make == "dangling-link":
        os.symlink(tmp_path / "nowhere", target)
    proc = lint(target)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert len(proc.stderr.splitlines()) == 1 and proc.stderr.startswith("lean-lint: error: ")


@pytest.mark.parametrize(
    "args",
    [("--output", "/nonexistent-dir/x/report.txt"), ("--config", "/nonexistent/lean-lint.toml"), ("--select", "BOGUS"), ("--format", "xml")],
)
def test_usage_errors_are_exit_2_in_one_line(tmp_path, args):
    write_project(tmp_path / "app", {"wsgi.py": "application = None\n", ".python-version": "3.12\n"})
    proc = lint(tmp_path / "app", *args)
    assert proc.returncode == 2
    assert len(proc.stderr.splitlines()) == 1 and proc.stderr.startswith("lean-lint: error: ")


# -- lean-lint's own bugs -------------------------------------------------------------------------------


def test_a_crashing_rule_is_an_le000_finding_and_the_run_goes_on(tmp_path, monkeypatch):
    import analyzer.engine.run as engine

    class BoomCode(CodeRule):
        code = "LE998"
        name = "boom-code"
        severity = Severity.ERROR
        summary = "crashes"
        why = "tests"
        scope = "all"

        def visit_Call(self, node) -> None:
            raise RuntimeError("boom in a visitor")

    class BoomProject(ProjectRule):
        code = "LE999"
        name = "boom-project"
        severity = Severity.ERROR
        summary = "crashes"
        why = "tests"

        def check(self, project) -> None:
            raise ValueError("boom in a project rule")

    real = engine.all_rules()
    monkeypatch.setattr(engine, "all_rules", lambda: real + (BoomCode, BoomProject))
    write_project(tmp_path, {"wsgi.py": LOGGING_WSGI, "other.py": "print(1)\n", "bad.py": "x = (\n"})
    report = engine.analyze(tmp_path, select=("LE000", "LE001", "LE503", "LE998", "LE999"), jobs=1)
    monkeypatch.undo()
    del BoomCode, BoomProject
    gc.collect()

    internal = sorted(f"{f.path}: {f.message}" for f in report.active if f.code == "LE000")
    assert len(internal) == 3, internal
    assert internal[0].startswith(
        ": internal error in rule LE999 on the project: ValueError: boom in a project rule (test_hostile.py:"
    )
    assert internal[1].startswith("other.py: internal error in rule LE998 on other.py: RuntimeError: boom in a visitor (test_hostile.py:")
    assert internal[2].startswith("wsgi.py: internal error in rule LE998 on wsgi.py: RuntimeError: boom in a visitor (test_hostile.py:")
    assert all(m.endswith("; the other rules and files were analyzed") for m in internal)
    assert located(report, "LE503") == [LE503_AT]  # the other rule on the same file
    assert located(report, "LE001") == ["bad.py:1:5"]  # and the other files
    assert "LE998" not in {r.code for r in engine.all_rules()}


# -- never execute, never write, never reach the network ------------------------------------------------

TRAPS = (
    "wsgi.py", "app.py", "main.py", "manage.py", "setup.py", "conftest.py", "sitecustomize.py", "usercustomize.py",
    "pkg/__init__.py", "pkg/mod.py", "yaml.py", "argparse.py", "libcst.py", "json.py", "ast.py", "tokenize.py",
    "typing.py", "dataclasses.py", "multiprocessing.py", "runpy.py", "packaging.py", "jsonschema.py", "analyzer_plugin.py",
)


def _trap_project(root: Path, marker: Path, big: bool = False) -> None:
    trap = f"open({str(marker)!r}, 'a').write(__name__ + '\\n')\nraise SystemExit(3)\n"
    files = {name: "import pkg.mod\nimport pkg\napplication = None\n" + trap for name in TRAPS}
    files["requirements.txt"] = "-e .\n./pkg\nflask>=2,<3\n"
    files["leanengine.yaml"] = f"run: !!python/object/apply:os.system ['touch {marker}']\n"
    files["setup.cfg"] = "[options]\npackages = pkg\n"
    files["pkg/__main__.py"] = trap
    if big:  # enough source for the engine to use worker processes
        for i in range(40):
            files[f"bulk/m{i}.py"] = "import logging\n" + "".join(f"def f{j}(x):\n    return open('x', 'w')\n" for j in range(400))
    write_project(root, files)


def test_never_executes_project_code_in_process(tmp_path):
    marker = tmp_path / "EXECUTED"
    _trap_project(tmp_path / "app", marker)
    report = run(tmp_path / "app")
    no_internal_errors(report)
    assert not marker.exists()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_never_executes_project_code_from_inside_the_project(tmp_path, jobs):
    # `python -m analyzer .` run from the project's directory: that directory is on sys.path, and the
    # engine's worker processes start there too.
    marker = tmp_path / "EXECUTED"
    root = tmp_path / "app"
    _trap_project(root, marker, big=jobs == "2")
    proc = lint(Path("."), "--jobs", jobs, cwd=root)
    assert proc.returncode in (0, 1)
    assert not marker.exists(), marker.read_text()


def _snapshot(root: Path) -> dict[str, tuple]:
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            st = os.lstat(path)
            out[os.path.relpath(path, root)] = (st.st_mode, st.st_size, st.st_mtime_ns)
    return out


@pytest.mark.parametrize(
    "args",
    [(), ("--format", "sarif", "--output", "{out}/report.sarif"), ("--format", "json", "--jobs", "2"), ("--no-cache", "--format", "github")],
    ids=["text-cached", "sarif-output", "json-jobs", "github"],
)
def test_never_writes_into_the_project(tmp_path, args):
    root = tmp_path / "app"
    _trap_project(root, tmp_path / "EXECUTED", big=True)
    write_project(root, {"bad.py": "x = (\n", "requirements.txt": "flask\n", ".python-version": "pypy3\n"})
    out = tmp_path / "out"
    out.mkdir()
    before = _snapshot(root)
    proc = lint(root, *(a.format(out=out) for a in args))
    assert proc.returncode == 1
    assert _snapshot(root) == before
    if "--output" in args:
        assert json.loads((out / "report.sarif").read_text())["version"] == "2.1.0"


def test_never_reaches_the_network(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("lean-lint tried to reach the network")

    for name in ("create_connection", "getaddrinfo", "gethostbyname"):
        monkeypatch.setattr(socket, name, refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    write_project(
        tmp_path,
        {
            "wsgi.py": "import flask, leancloud, requests\napplication = flask.Flask(__name__)\n",
            "requirements.txt": "flask\nleancloud>=2.9.1,<3.0.0\nhttps://example.com/x.whl\n-i https://pypi.example.com\n",
            "leanengine.yaml": "run: gunicorn wsgi:application\ninstall:\n  - require: [https://example.com/x.whl]\n",
            ".python-version": "3.11\n",
        },
    )
    report = run(tmp_path)
    no_internal_errors(report)


# -- what a pull request must not steer: the runner, files outside the workspace, the summary (#15) ----

INJECTED_RUNTIME = 'runtime: "node\\n::error::injected %0A\\r::stop-commands::x"\n'


@pytest.fixture
def gh(tmp_path, monkeypatch, capsys):
    # start-up: tests/test_action.py's fake runner (its module imports PyYAML and the Action)
    from tests.test_action import FakeRunner

    return FakeRunner(tmp_path, monkeypatch, capsys)


def test_project_text_never_starts_a_workflow_command_in_the_action(gh):
    """Class 1: a folder name (reached through the checkout's own link) and YAML values with line
    breaks, `%` and `::` reach the log only inside ::stop-commands::, and annotations escaped."""
    # start-up: tests/test_action.py's log reader
    from tests.test_action import runner_commands

    folder = "svc\n::error::from-the-folder-name\n::stop-commands::x"
    gh.write({"leanengine.yaml": INJECTED_RUNTIME, "wsgi.py": "application = None\n"}, at=folder)
    (gh.workspace / "app").symlink_to(folder)
    result = gh.run(path="app")
    assert result.code == 1
    assert runner_commands(result.stdout) == [
        "::group::lean-lint: 1 problem (1 error, 0 warnings, 0 notes)",
        "::endgroup::",
        "::error file=svc%0A%3A%3Aerror%3A%3Afrom-the-folder-name%0A%3A%3Astop-commands%3A%3Ax/leanengine.yaml,"
        "line=1,col=1,endLine=1,endColumn=7,title=LE302::`node%0A::error::injected %250A%0D::stop-commands::x` is not "
        "a runtime the platform offers%0AFix: Use one of cpp, dotnet, go, java, nodejs, php, python, static.",
    ]
    token = result.stdout.splitlines()[1].removeprefix("::stop-commands::")
    assert len(token) == 32 and token != gh.run(path="app").stdout.splitlines()[1].removeprefix("::stop-commands::")
    assert result.stdout.splitlines()[2] == r"lean-lint: analyzed svc\n::error::from-the-folder-name\n::stop-commands::x/"
    assert r"leanengine.yaml:1:1: LE302 `node\n::error::injected %0A\r::stop-commands::x` is not" in result.stdout


def test_project_text_never_starts_a_workflow_command_from_the_cli(tmp_path):
    """Class 1: `--format github` escapes every datum, stderr notices stay on one line, and the text
    format shows control characters (an escape sequence cannot rewrite the terminal either)."""
    write_project(tmp_path / "app", {"leanengine.yaml": INJECTED_RUNTIME, "wsgi.py": "application = None\n"})
    # From inside the project (no repository): paths as the analyzed folder has them.
    proc = lint(tmp_path / "app", "--format", "github", "--no-cache", cwd=tmp_path / "app")  # stderr lines start with "lean-lint: "
    assert proc.stdout.splitlines() == [
        "::error file=leanengine.yaml,line=1,col=1,endLine=1,endColumn=7,title=LE302::`node%0A::error::injected "
        "%250A%0D::stop-commands::x` is not a runtime the platform offers%0AFix: Use one of cpp, dotnet, go, "
        "java, nodejs, php, python, static.",
        "::notice title=lean-lint::leanengine.yaml sets runtime: node%0A::error::injected %250A%0D::stop-commands::x; "
        "the Python rules do not apply and were skipped",
    ]
    assert proc.stderr == (
        r"lean-lint: note: leanengine.yaml sets runtime: node\n::error::injected %0A\r::stop-commands::x; "
        "the Python rules do not apply and were skipped\n"
    )
    write_project(tmp_path / "app", {"leanengine.yaml": 'runtime: "node\\e[2J\\u202e"\n'})
    proc = lint(tmp_path / "app", "--no-cache", cwd=tmp_path / "app")
    assert proc.stdout.splitlines()[0].startswith(
        r"leanengine.yaml:1:1: LE302 `node\x1b[2J\u202e` is not a runtime the platform offers"
    )


def _runner_reads(line: str) -> bool:
    """Whether GitHub's runner takes `line` as a command (actions/runner ActionCommand.cs): `::name`
    after leading blanks, or the legacy `##[name` anywhere in the line."""
    return line.lstrip().startswith("::") or "##[" in line


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_no_format_lets_a_name_or_value_issue_a_runner_command(tmp_path, fmt):
    """Class 1: `lean-lint` in a workflow's `run:` step, any format: only the github format's own
    annotations are commands; names starting with `::` and the runner's legacy `##[` are inert."""
    root = write_project(tmp_path / "app", {
        "::error::named.py": "x = (\n",
        "##[warning]legacy.py": "x = (\n",
        ".python-version": "3.12\n",  # no note about the default Python: only the findings' annotations
    })
    proc = lint(root, "--format", fmt, "--no-cache", "--select", "LE001", cwd=root)  # paths start the line
    commands = [line for line in (proc.stdout + proc.stderr).splitlines() if _runner_reads(line)]
    if fmt != "github":
        assert commands == []
    else:
        assert [c.split(",", 1)[0] for c in commands] == ["::error file=##[warning]legacy.py", "::error file=%3A%3Aerror%3A%3Anamed.py"]
    if fmt == "json":  # the same data once parsed
        assert "##[warning]legacy.py" in [f["path"] for f in json.loads(proc.stdout)["findings"]]
    if fmt == "text":
        assert "./::error::named.py:1:5: LE001" in proc.stdout and r"##\x5bwarning]legacy.py:1:5: LE001" in proc.stdout


def test_workflow_command_escapes_are_githubs():
    # start-up: the output module under test
    from analyzer.output.github import escape_data, escape_property

    assert escape_data("100%\r\n::x,y:z") == "100%25%0D%0A::x,y:z"
    assert escape_property("100%\r\n::x,y:z") == "100%25%0D%0A%3A%3Ax%2Cy%3Az"


@pytest.mark.parametrize("config", ["../outside.toml", "/etc/passwd", "escape/outside.toml"])
def test_the_action_reads_no_config_outside_the_workspace(gh, config):
    """Class 5: the `config` input is confined to the workspace, links resolved."""
    (gh.workspace.parent / "outside.toml").write_text('secret-key-from-outside = "x"\n', encoding="utf-8")
    (gh.workspace / "escape").symlink_to(gh.workspace.parent)
    gh.write({"wsgi.py": "application = None\n"})
    result = gh.run(config=config)
    assert result.code == 2
    assert result.stderr.startswith(f"::error title=lean-lint::lean-lint: error: input `config`: {config!r} is outside the repository")
    assert "secret-key" not in result.stderr and "root" not in result.stderr.split("(", 1)[0]


def test_the_action_reads_a_committed_config_link_as_nothing(gh):
    """Class 5: `config: lean-lint.toml` naming a committed link to /dev/zero (a FIFO is refused by
    the same reader: test_config_and_baseline_are_read_only_as_small_regular_files, with a timeout)."""
    gh.write({"wsgi.py": "application = None\n"})
    (gh.workspace / "lean-lint.toml").symlink_to("/dev/zero")
    result = gh.run(config="lean-lint.toml")
    assert result.code == 2 and "input `config`: 'lean-lint.toml' is outside the repository" in result.stderr


@pytest.mark.parametrize("committed", [("lean-lint.sarif", ".git/config"), ("reports", ".git")])
def test_the_action_never_writes_through_a_committed_symlink(gh, committed):
    """Class 5: a link in the checkout cannot redirect the SARIF report (not even into the
    workspace's own .git)."""
    link, target = committed
    gh.write({"wsgi.py": "application = None\n", ".git/config": "[core]\n"})
    (gh.workspace / link).symlink_to(target)
    sarif_file = "lean-lint.sarif" if link == "lean-lint.sarif" else "reports/config"
    result = gh.run(sarif_file=sarif_file)
    assert result.code == 2
    assert f"{link!r} is a symlink; lean-lint does not write through one" in result.stderr
    assert (gh.workspace / ".git/config").read_text(encoding="utf-8") == "[core]\n"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs os.mkfifo")
@pytest.mark.parametrize("option", ["--config", "--baseline"])
@pytest.mark.parametrize("kind", ["fifo", "/dev/zero", "huge"])
def test_config_and_baseline_are_read_only_as_small_regular_files(tmp_path, option, kind):
    """Class 5: a FIFO does not block, /dev/zero is not read to exhaustion, a huge file is refused."""
    write_project(tmp_path / "app", {"wsgi.py": "application = None\n"})
    path = tmp_path / "input"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "huge":
        with open(path, "wb") as handle:
            handle.truncate(100 * 1024 * 1024)
    else:
        path = Path(kind)
    proc = subprocess.run(
        [*_COMMAND, str(tmp_path / "app"), option, str(path), "--no-cache"],
        capture_output=True, text=True, timeout=60, cwd=str(tmp_path),
    )
    assert proc.returncode == 2
    why = "it is not a regular file (a FIFO, socket or device)" if kind != "huge" else "over lean-lint's"
    what = "cannot read" if option == "--config" else "cannot read the baseline"
    assert proc.stderr.startswith(f"lean-lint: error: {path}: {what}: ") and why in proc.stderr
    assert len(proc.stderr.splitlines()) == 1


@pytest.mark.parametrize("option", ["--output", "--write-baseline"])
def test_reports_and_baselines_are_never_written_through_a_symlink(tmp_path, option):
    """Class 5: a committed `report.json -> ~/.bashrc` cannot make lean-lint overwrite its target."""
    write_project(tmp_path / "app", {"wsgi.py": "application = None\n"})
    (tmp_path / "victim").write_text("keep me\n", encoding="utf-8")
    (tmp_path / "app" / "out.json").symlink_to(tmp_path / "victim")
    proc = lint(tmp_path / "app", option, "out.json", "--no-cache", cwd=tmp_path / "app")
    assert proc.returncode == 2
    assert "out.json: it is a symlink (lean-lint never writes through one)" in proc.stderr
    assert (tmp_path / "victim").read_text(encoding="utf-8") == "keep me\n"


def test_an_unusable_cache_location_turns_the_cache_off_with_a_notice(tmp_path, monkeypatch):
    """Class 5: a relative XDG_CACHE_HOME (or no HOME) must not put the cache in the project."""
    root = write_project(tmp_path / "app", {"wsgi.py": "application = None\n", ".python-version": "3.12\n"})
    env = {"XDG_CACHE_HOME": "cache", "LEAN_LINT_CACHE_DIR": ""}
    before = _snapshot(root)
    proc = lint(root, cwd=root, env=env)
    assert proc.stderr == (
        "lean-lint: note: the cache is off: XDG_CACHE_HOME is a relative path ('cache'); "
        "set LEAN_LINT_CACHE_DIR (or XDG_CACHE_HOME) to an absolute path\n"
    )
    assert _snapshot(root) == before
    # start-up: the cache folder's module, for the no-HOME case (a password database entry exists here)
    from analyzer.support import cachedir

    monkeypatch.delenv("LEAN_LINT_CACHE_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setattr(cachedir.os.path, "expanduser", lambda path: path)
    with pytest.raises(cachedir.NoCacheHome, match="HOME is not set"):
        cachedir.cache_home()


#: Text a renderer could read as Markdown or HTML, and the table cell GitHub's renderer must make of it.
HOSTILE_MARKDOWN = [
    # One backtick, then two: CommonMark pairs neither, so the tag would be raw HTML.
    ("`<img src=x onerror=alert(1)>``", "`&lt;img src=x onerror=alert(1)&gt;``"),
    (
        "``a` <img src=y>` and <a href='http://e'>x</a> <!-- swallow",
        "``a<code> &lt;img src=y&gt;</code> and &lt;a href='http://e'&gt;x&lt;/a&gt; &lt;!-- swallow",
    ),
    (
        "![pic](http://e/i.png) [link](http://e) <http://e> **bold** ~~s~~ $x$ www.e.com https://e.com",
        "![pic](http://e/i.png) [link](http://e) &lt;http://e&gt; **bold** ~~s~~ $x$ www.e.com https://e.com",
    ),
    ("a|b\\|c `x|y` \\` &amp; &lt;b&gt; \nnext line", "a|b\\|c <code>x|y</code> \\` &amp;amp; &amp;lt;b&amp;gt; <br>next line"),
]


@pytest.mark.parametrize("message,cell", HOSTILE_MARKDOWN)
def test_the_job_summary_shows_project_text_as_text(message, cell):
    """Class 7: rendered by cmark-gfm (GitHub's renderer, raw HTML allowed as GitHub allows it), no
    project text becomes a tag, link, image, comment or format: only lean-lint's own code spans and
    line breaks are markup, and the one link is lean-lint's link to the file."""
    # start-up: the Action's summary renderer and GitHub's Markdown renderer (a test dependency)
    import cmarkgfm
    from cmarkgfm.cmark import Options

    from analyzer.cli.action import render_summary
    from analyzer.types import Finding, Span

    finding = Finding("LE401", Severity.ERROR, message, "req<img src=z>`s`.txt", Span(1, 1), hint=message)
    report = types.SimpleNamespace(active=[finding], findings=[finding], notices=[message])
    env = {"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "o/r", "GITHUB_SHA": "abc"}
    summary, left_out = render_summary(report, "sub`dir/", "error", True, "a`b.sarif", env, 1 << 20)
    assert left_out == 0
    html = cmarkgfm.github_flavored_markdown_to_html(summary, options=Options.CMARK_OPT_UNSAFE)
    cells = re.findall(r"<td>(.*?)</td>", html, re.S)
    assert cells[-4:] == [
        '<a href="https://github.com/o/r/blob/abc/sub%60dir/req%3Cimg%20src%3Dz%3E%60s%60.txt#L1">'
        "sub`dir/req&lt;img src=z&gt;`s`.txt:1</a>",
        "LE401",
        cell,
        cell,
    ]
    assert f"<li>Note: {cell}</li>" in html
    assert "<code>sub`dir/</code>" in html and "<code>a`b.sarif</code>" in html
    assert set(re.findall(r"<([a-z0-9]+)", html)) == {
        "h2", "p", "strong", "code", "table", "thead", "tbody", "tr", "th", "td", "br", "a", "ul", "li", "sub"
    } - ({"br"} if "\n" not in message else set())


@pytest.mark.parametrize(
    "files,args,message",
    [
        ({".lean-lint.toml": "tool = 5\n"}, (), "{root}/.lean-lint.toml: `tool` must be a table holding a [tool.lean-lint] table"),
        ({".lean-lint.toml": "a = " + "[" * 5000 + "]" * 5000 + "\n"}, (), "{root}/.lean-lint.toml: invalid TOML: nested too deeply"),
        ({"base.json": "[" * 100_000 + "]" * 100_000}, ("--baseline", "{root}/base.json"),
         "{root}/base.json: not a lean-lint baseline: nested too deeply"),
        ({"out/keep": ""}, ("--write-baseline", "{root}/out"), "cannot write the baseline {root}/out: it is a folder"),
    ],
)
def test_bad_config_and_baseline_files_are_one_line_errors(tmp_path, files, args, message):
    """Class 10: a clear one-line error and exit 2, never "internal error (please report this)"."""
    root = write_project(tmp_path / "app", {"wsgi.py": "application = None\n", ".python-version": "3.12\n", **files})
    proc = lint(root, *(a.format(root=root) for a in args), "--no-cache")
    assert proc.returncode == 2
    assert proc.stderr == f"lean-lint: error: {message.format(root=root)}\n"


def test_parsing_project_code_prints_no_python_warning(tmp_path):
    """Class 11: invalid escape sequences in the project's strings (a SyntaxWarning on Python 3.12+,
    a DeprecationWarning before) are the project's business, not lines on lean-lint's stderr."""
    root = write_project(
        tmp_path / "app",
        {
            "wsgi.py": 'import os\nKEY = os.environ.get("A\\d")\nopen(f"/x\\d{KEY}", "w")\napplication = None\n',
            ".python-version": "3.12\n",
        },
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        run(root)
    assert [str(w.message) for w in caught] == []
    proc = subprocess.run([*_COMMAND, str(root), "--no-cache"], capture_output=True, text=True, timeout=TIMEOUT,
                          cwd=str(tmp_path), env={**os.environ, "PYTHONWARNINGS": "error"})
    assert proc.stderr == ""


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs os.mkfifo for LE003 warnings")
def test_a_truncated_summary_is_not_said_to_list_every_finding(gh, monkeypatch):
    """Class 11: when the job summary had to leave rows out, the overflow notice points to the log."""
    # start-up: the Action, to shrink its summary limit
    from analyzer.cli import action

    monkeypatch.setattr(action, "SUMMARY_LIMIT", 1500)
    gh.write({".lean-lint.toml": 'select = ["LE001"]\n', **{f"e{i:02}.py": "x = (\n" for i in range(12)}})
    result = gh.run()
    assert "more findings not listed" in gh.summary()
    assert result.annotations[-1] == (
        "::notice title=lean-lint::GitHub shows 10 annotations of each level per step: 2 more errors not shown "
        "here; the log above and the SARIF file list them all."
    )


# -- all of it at once -------------------------------------------------------------------------------------


def test_everything_at_once_ends_in_seconds(tmp_path):
    root = tmp_path / "app"
    outside = tmp_path / "outside"
    write_project(outside, {"secret.py": "OUTSIDE = (\n", "requirements.txt": "outside-only\n"})
    _deep_project(root)
    _trap_project(root, tmp_path / "EXECUTED")
    files = {
        "bad-encoding.py": b"x = '\xff'\n",
        "nul.py": b"x = 1\x00\n",
        "latin.py": "# coding: latin-1\nx = 'café'\n".encode("latin-1"),
        "bom-crlf.py": b"\xef\xbb\xbf" + LOGGING_WSGI.replace("\n", "\r\n").encode(),
        "cr.py": LOGGING_WSGI.replace("\n", "\r").encode(),
        "big.py": "x = 1\n" * 400_000,
        "leanengine.yaml": _bomb(),
        "requirements.txt": "-r requirements.txt\n-r more.txt\n" + "flask\n" * 50_000,
        "more.txt": "-r requirements.txt\n--frobnicate\n",
        ".python-version": b"\xef\xbb\xbf3.11\x00\n",
        "node_modules/x/y.py": "print 'x'\n",
        **{name: "x = (\n" for name in ODD_NAMES},
    }
    write_project(root, files)
    for name in ("fifo.py", ".leanignore"):
        os.mkfifo(root / name)
    os.symlink("loop.py", root / "loop.py")
    os.symlink(outside / "secret.py", root / "linked.py")
    os.symlink(outside, root / "linked-dir")
    (root / "dir.py").mkdir()
    (root / "empty").mkdir()
    before = _snapshot(root)
    proc = lint(root, "--format", "sarif", "--output", str(tmp_path / "report.sarif"))  # a hang fails at TIMEOUT
    assert proc.returncode in (0, 1)
    assert _snapshot(root) == before
    assert not (tmp_path / "EXECUTED").exists()
    sarif = json.loads((tmp_path / "report.sarif").read_text())
    results = sarif["runs"][0]["results"]
    assert not any(r["ruleId"] == "LE000" for r in results), [r["message"]["text"] for r in results if r["ruleId"] == "LE000"]
    assert not any("OUTSIDE" in r["message"]["text"] or "outside-only" in r["message"]["text"] for r in results)


# -- issue #15: regex denial of service (class 2) --------------------------------------------------------

#: Backtracks for hours in Python's `re` on "" (each `(|){9}` multiplies the paths by 2**9).
EVIL_REGEX = "^(|){9}(|){9}(|){9}(|){9}(?!)"


def test_project_route_regexes_are_never_run(tmp_path, monkeypatch):
    import re

    real_compile = re.compile

    def guarded(pattern, flags=0):
        assert "(|){9}" not in str(pattern), "a project regex reached the regex engine"
        return real_compile(pattern, flags)

    monkeypatch.setattr(re, "compile", guarded)
    files = {
        "wsgi.py": "import os\nfrom django.core.wsgi import get_wsgi_application\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site_conf.settings')\napplication = get_wsgi_application()\n",
        "site_conf/__init__.py": "",
        "site_conf/settings.py": "ROOT_URLCONF = 'site_conf.urls'\n",
        "site_conf/views.py": "",
        "site_conf/urls.py": "from django.urls import re_path\nfrom . import views\nurlpatterns = [\n"
        f"    re_path(r'{EVIL_REGEX}api/$', views.x),\n    re_path(r'{EVIL_REGEX}', views.y),\n]\n",
    }
    write_project(tmp_path, files)
    report = run(tmp_path, select=("LE705",))
    no_internal_errors(report)
    # The second pattern may match "" (its negative lookahead is not modelled): no finding, and no hang.
    assert located(report, "LE705") == []
    (tmp_path / "site_conf/urls.py").write_text(files["site_conf/urls.py"].replace(f"    re_path(r'{EVIL_REGEX}', views.y),\n", ""))
    assert located(run(tmp_path, select=("LE705",)), "LE705") == ["site_conf/urls.py:3:1"]


# -- issue #15: stale caches (class 4) and a trusted cache (class 9) ----------------------------------------

_DJANGO_WSGI = ("import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n"
                "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n")
_FLASK_VIEW = "from flask import Flask, request\napp = Flask(__name__)\n@app.route('/')\ndef index():\n    return request.remote_addr\n"
#: Each file of the project and the versions an edit picks from (None: the file is deleted).
EDIT_POOL: dict[str, list] = {
    "wsgi.py": [
        "from app import app\napplication = app\n",
        "from werkzeug.middleware.proxy_fix import ProxyFix\nfrom app import app\n"
        "app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1)\napplication = app\n",
        "import a\napplication = None\n",
        "import b\napplication = None\n",
        _DJANGO_WSGI,
        None,
    ],
    "app.py": [_FLASK_VIEW, _FLASK_VIEW.replace("request.remote_addr", "'ok'"), "import b\nopen('log.txt', 'w')\n", None],
    "a/__init__.py": ["from . import helpers\n", "", None],
    "b/__init__.py": ["from . import helpers\n", "", None],
    "a/helpers.py": ["x = 1\n", "open('data.txt', 'w')\n"],
    "b/helpers.py": ["x = 1\n", "open('data.txt', 'w')\n", "import sqlite3\ndb = sqlite3.connect('b.db')\n"],
    "mysite/__init__.py": [""],
    "mysite/settings.py": [
        "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'db.sqlite3'}}\n",
        "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': 'app'}}\n",
        None,
    ],
    "requirements.txt": ["-r env/prod.txt\n", "flask\n", "-r build/more.txt\n", None],
    "env/prod.txt": ["flask\n", "Django\nflask\n", "flask\nthis is not a requirement !!\n", None],
    "build/more.txt": ["flask\n", "--frobnicate\n", None],
    "leanengine.yaml": [None, "run: gunicorn app:app\n", "buildRoot: build\n"],
    "build/wsgi.py": ["from app import app\napplication = app\n", None],
    "build/app.py": [_FLASK_VIEW, None],
    "build/requirements.txt": ["flask\n", "-r ../env/prod.txt\n", None],
}


def _findings_shape(report) -> list[tuple]:
    return [(f.code, f.path, f.span, f.message, f.suppressed, f.fix) for f in report.findings]


def _set_file(root: Path, rel: str, content: str | None, stamp: int) -> None:
    path = root / rel
    if content is None:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content)
    # Each edit gets a later modification time, as edits a person makes do; two writes within the
    # file system's timestamp granularity are the stat signature's known blind spot (as for git).
    os.utime(path, ns=(stamp, stamp))


from hypothesis import HealthCheck, given, settings  # noqa: E402 - the property tests' own imports
from hypothesis import strategies as st  # noqa: E402

_EDITS = st.lists(
    st.tuples(st.sampled_from(sorted(EDIT_POOL)), st.integers(min_value=0, max_value=5)), min_size=1, max_size=8
)


@settings(database=None, derandomize=True, deadline=None, max_examples=40,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(_EDITS)
def test_a_cached_run_prints_what_a_fresh_run_prints(tmp_path_factory, monkeypatch, edits):
    from analyzer.engine.run import analyze

    root = tmp_path_factory.mktemp("edits")
    monkeypatch.setenv("LEAN_LINT_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    stamp = 1_700_000_000_000_000_000
    for rel, pool in EDIT_POOL.items():
        stamp += 1_000_000_000
        _set_file(root, rel, pool[0], stamp)
    analyze(root, use_cache=True)
    for rel, choice in edits:
        stamp += 1_000_000_000
        pool = EDIT_POOL[rel]
        _set_file(root, rel, pool[choice % len(pool)], stamp)
        cached = analyze(root, use_cache=True)
        assert _findings_shape(cached) == _findings_shape(analyze(root, use_cache=False)), (rel, choice)
        assert cached.notices == analyze(root, use_cache=False).notices


_PROXIED = ("from werkzeug.middleware.proxy_fix import ProxyFix\nfrom app import app\n"
            "app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1)\napplication = app\n")
STALE_CASES = {
    "proxyfix-removed": ({"wsgi.py": _PROXIED, "app.py": _FLASK_VIEW}, {"wsgi.py": "from app import app\napplication = app\n"}),
    "env-requirements": ({"wsgi.py": "application = None\n", "requirements.txt": "-r env/prod.txt\n", "env/prod.txt": "flask\n"},
                         {"env/prod.txt": "flask\n!!! bad line\n"}),
    "build-root": ({"leanengine.yaml": "buildRoot: build\n", "build/wsgi.py": "application = None\n",
                    "build/requirements.txt": "flask\n"}, {"build/requirements.txt": "flask\n!!! bad\n"}),
    "same-init-two-packages": ({"wsgi.py": "import a\napplication = None\n", "a/__init__.py": "from . import helpers\n",
                                "b/__init__.py": "from . import helpers\n", "a/helpers.py": "x = 1\n",
                                "b/helpers.py": "open('d.txt', 'w')\n"}, {}),
}


@pytest.mark.parametrize("name", sorted(STALE_CASES))
def test_an_edit_the_cache_depends_on_is_seen(tmp_path, monkeypatch, name):
    from analyzer.engine.run import analyze

    monkeypatch.setenv("LEAN_LINT_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "app"
    before, after = STALE_CASES[name]
    stamp = 1_700_000_000_000_000_000
    for rel, content in before.items():
        _set_file(root, rel, content, stamp)
    analyze(root, use_cache=True)
    for rel, content in after.items():
        _set_file(root, rel, content, stamp + 10**9)
    assert _findings_shape(analyze(root, use_cache=True)) == _findings_shape(analyze(root, use_cache=False))


def test_replay_sees_files_read_under_pruned_directories(tmp_path, monkeypatch):
    """`-r env/prod.txt` reads a file under env/, which the tree signature prunes: the recorded run
    keeps its stat, so an edit there is not answered with the old output."""
    from analyzer.cli.replay import main

    monkeypatch.setenv("LEAN_LINT_CACHE_DIR", str(tmp_path / "cache"))
    root = write_project(tmp_path / "app", {"wsgi.py": "application = None\n", "requirements.txt": "-r env/prod.txt\n",
                                            "env/prod.txt": "flask\n"})
    args = [str(root), "--format", "json", "--select", "LE402"]
    assert main(args) == 0
    _set_file(root, "env/prod.txt", "flask\n!!! bad line\n", 1_700_000_000_000_000_000)
    assert main(args) == 1


def _tamper(tmp_path: Path, root: Path, change) -> None:
    from analyzer.engine.cache import Cache

    path = Cache(root.resolve(), "x").path
    doc = json.loads(path.read_text())
    change(doc)
    path.write_text(json.dumps(doc))


def test_fix_edits_from_a_tampered_cache_are_never_applied(tmp_path, monkeypatch):
    from analyzer.cli.main import main

    monkeypatch.setenv("LEAN_LINT_CACHE_DIR", str(tmp_path / "cache"))
    root = write_project(tmp_path / "app", {"wsgi.py": "application = None\n", "app.py": _FLASK_VIEW,
                                            "leanengine.yaml": "run: gunicorn app:app\n"})
    victim = tmp_path / "victim.txt"
    victim.write_text("untouched\n")
    assert main([str(root), "--format", "json"]) == 1

    def retarget(doc):
        for table in ("code", "project"):
            for entry in doc[table].values():
                for finding in entry["findings"]:
                    for edit in finding.get("fix", {}).get("edits", []):
                        edit[0] = "../victim.txt"
                    finding["path"] = "../victim.txt" if finding.get("fix") else finding["path"]

    _tamper(tmp_path, root, retarget)
    assert main([str(root), "--fix", "--no-cache"]) in (0, 1)  # the reference: what the fix does
    assert victim.read_text() == "untouched\n"
    write_project(root, {"app.py": _FLASK_VIEW})
    assert main([str(root), "--format", "json"]) == 1
    _tamper(tmp_path, root, retarget)
    main([str(root), "--fix"])
    assert victim.read_text() == "untouched\n"
    assert "X-Real-IP" in (root / "app.py").read_text()


@pytest.mark.parametrize("damage", ["garbage", "shortened", "unknown-code"])
def test_a_damaged_rules_table_is_a_miss(tmp_path, monkeypatch, capsys, damage):
    from analyzer.cli.main import main

    monkeypatch.setenv("LEAN_LINT_CACHE_DIR", str(tmp_path / "cache"))
    root = write_project(tmp_path / "app", {"wsgi.py": "application = None\n", "app.py": _FLASK_VIEW,
                                            "leanengine.yaml": "run: gunicorn app:app\n"})
    assert main([str(root), "--format", "json", "--no-cache"]) == 1
    expected = json.loads(capsys.readouterr().out)["findings"]
    assert main([str(root), "--format", "json"]) == 1
    capsys.readouterr()

    def damage_rules(doc):
        if damage == "garbage":
            doc["rules"] = [{"code": "LE702"}, 5]
        elif damage == "shortened":
            doc["rules"] = [m for m in doc["rules"] if m["code"] != "LE702"]
        else:
            doc["rules"][0]["code"] = "LE999"

    _tamper(tmp_path, root, damage_rules)
    for _ in range(2):  # the run that meets the damage, and the one after it
        assert main([str(root), "--format", "json"]) == 1
        assert json.loads(capsys.readouterr().out)["findings"] == expected


def test_cached_findings_of_unknown_rules_are_a_miss(tmp_path, monkeypatch):
    from analyzer.engine.run import analyze

    monkeypatch.setenv("LEAN_LINT_CACHE_DIR", str(tmp_path / "cache"))
    root = write_project(tmp_path / "app", {"wsgi.py": "application = None\n", "app.py": _FLASK_VIEW,
                                            "leanengine.yaml": "run: gunicorn app:app\n"})
    expected = _findings_shape(analyze(root, use_cache=True))

    def rename(doc):
        for entry in doc["code"].values():
            for finding in entry["findings"]:
                finding["code"] = "LE999"

    _tamper(tmp_path, root, rename)
    assert _findings_shape(analyze(root, use_cache=True)) == expected


def test_rule_codes_from_module_names_are_the_registry():
    """A cached rules table is checked against the codes found from module names (no import): they
    must be exactly the rules lean-lint loads."""
    from analyzer.engine.registry import all_rules, rule_codes

    assert rule_codes() == frozenset(r.code for r in all_rules())


# -- issue #15: silent passes become findings (class 8) ------------------------------------------------------


def test_an_oversized_requirements_file_is_a_finding_not_a_note(tmp_path, capsys):
    from analyzer.cli.main import main

    write_project(tmp_path, {"wsgi.py": "application = None\n",
                             "requirements.txt": "!!! not a requirement\n" + "flask>=2,<3\n" * 250_000})
    assert main([str(tmp_path), "--format", "json", "--no-cache"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert [(f["code"], f["path"], f["line"], f["message"].split(",")[0]) for f in doc["findings"]] == [
        ("LE003", "requirements.txt", 1, "requirements.txt was not analyzed: it is 3")
    ]


def test_a_requirements_file_linked_out_of_the_project_is_a_finding(tmp_path):
    outside = write_project(tmp_path / "outside", {"requirements.txt": "outside-only\n"})
    root = write_project(tmp_path / "app", {"wsgi.py": "application = None\n"})
    os.symlink(outside / "requirements.txt", root / "requirements.txt")
    report = run(root)
    no_internal_errors(report)
    assert messages(report, "LE003") == [
        "requirements.txt:1:1: requirements.txt was not analyzed: it is outside the project (through a symbolic "
        "link), and lean-lint does not follow it"
    ]
    assert not any("outside-only" in f.message for f in report.findings)


@pytest.mark.parametrize("leanignore,code", [("wsgi.py\n", "LE101"), ("*.txt\n", "LE102"), ("/*\n!app.py\n", "LE101")])
def test_a_leanignore_that_holds_back_what_the_platform_needs_is_a_finding(tmp_path, leanignore, code):
    write_project(tmp_path, {"wsgi.py": "application = None\n", "requirements.txt": "flask>=2,<3\n", ".leanignore": leanignore})
    report = run(tmp_path)
    no_internal_errors(report)
    assert [m.split(": ", 1)[1].split(":")[0] for m in messages(report, code)] == [
        f"`{'wsgi.py' if code == 'LE101' else 'requirements.txt'}` is excluded by .leanignore"
    ]


# -- issue #15: --fix and --add-ignore never corrupt a file (class 6) ---------------------------------------


def _utf16(text: str) -> bytes:
    return b"\xff\xfe" + text.encode("utf-16-le")


def test_fix_keeps_utf16_bom_and_every_line_ending(tmp_path, capsys):
    from analyzer.cli.main import main

    write_project(tmp_path, {"wsgi.py": "application = None\n",
                             "requirements.txt": _utf16("requests>=2,<3\r\nflask>=2,<3  # lean-lint: ignore[LE401]\n"
                                                        "Django>=4,<5  # lean-lint: ignore[LE401]\r\n"),
                             ".python-version": _utf16("3.11\r\n")})
    # LE002's fixes remove the two directives that suppress nothing.
    main([str(tmp_path), "--fix", "--no-cache", "--select", "LE002,LE401,LE602"])
    assert (tmp_path / "requirements.txt").read_bytes() == _utf16("requests>=2,<3\r\nflask>=2,<3\nDjango>=4,<5\r\n")
    # lean-cli reads .python-version as bytes: no edit of a UTF-16 file's text makes it start with
    # `3.`, so LE602 offers no fix there and nothing is reported fixed.
    assert (tmp_path / ".python-version").read_bytes() == _utf16("3.11\r\n")
    assert "fixed 2 problems" in capsys.readouterr().err


def test_add_ignore_keeps_a_lone_crlf_line(tmp_path):
    from analyzer.cli.main import main

    write_project(tmp_path, {"wsgi.py": "application = None\n", "requirements.txt": b"flask>=2\nrequests\r\nsix\n"})
    main([str(tmp_path), "--add-ignore", "--no-cache", "--select", "LE401"])
    assert (tmp_path / "requirements.txt").read_bytes() == (
        b"flask>=2  # lean-lint: ignore[LE401]\nrequests  # lean-lint: ignore[LE401]\r\nsix  # lean-lint: ignore[LE401]\n"
    )


def test_add_ignore_never_breaks_a_backslash_continuation(tmp_path, capsys):
    from analyzer.cli.main import main

    # A finding over both lines gets its comment on the last one (pip joins the lines first, then
    # drops the comment); one on a line that a backslash continues into an empty line gets none.
    text = b"Django>=4 \\\n  ; python_version > '3'\nflask>=2 \\\n"
    write_project(tmp_path, {"wsgi.py": "application = None\n", "requirements.txt": text})
    main([str(tmp_path), "--add-ignore", "--no-cache", "--select", "LE401"])
    assert (tmp_path / "requirements.txt").read_bytes() == (
        b"Django>=4 \\\n  ; python_version > '3'  # lean-lint: ignore[LE401]\nflask>=2 \\\n"
    )
    assert ("lean-lint: no ignore comment added at requirements.txt:3: the line ends with a backslash that "
            "continues it (a comment there would change the file)") in capsys.readouterr().err.splitlines()


def test_add_ignore_never_writes_into_a_multi_line_fstring(tmp_path, capsys):
    from analyzer.cli.main import main

    # On Python 3.12+ an f-string is tokens (FSTRING_START...), not one STRING token.
    source = "application = None\nmsg = f'''{open('visits.log', 'a')}\ndone'''\nopen('x.log', 'w')\n"
    write_project(tmp_path, {"wsgi.py": source, "requirements.txt": "flask>=2,<3\n"})
    main([str(tmp_path), "--add-ignore", "--no-cache", "--select", "LE501"])
    assert (tmp_path / "wsgi.py").read_text() == source.replace("'w')\n", "'w')  # lean-lint: ignore[LE501]\n")
    assert "lean-lint: no ignore comment added at wsgi.py:2: inside a multi-line" in capsys.readouterr().err


def test_a_read_only_file_is_a_one_line_error_and_nothing_is_fixed(tmp_path, capsys):
    from analyzer.cli.main import main

    write_project(tmp_path, {"wsgi.py": "application = None\n",
                             "requirements.txt": "flask>=2,<3  # lean-lint: ignore[LE401]\n",
                             ".python-version": "\ufeff3.11\n"})
    before = (tmp_path / ".python-version").read_bytes()
    os.chmod(tmp_path / "requirements.txt", 0o444)
    try:
        code = main([str(tmp_path), "--fix", "--no-cache", "--select", "LE002,LE401,LE602"])
    finally:
        os.chmod(tmp_path / "requirements.txt", 0o644)
    err = capsys.readouterr().err
    assert code == 2
    assert err == "lean-lint: error: cannot fix requirements.txt: it is read-only; no file was changed\n"
    assert (tmp_path / ".python-version").read_bytes() == before
    assert (tmp_path / "requirements.txt").read_text() == "flask>=2,<3  # lean-lint: ignore[LE401]\n"


# -- issue #15: time linear in the input, and a per-run budget (class 3) -------------------------------------
# Counted operations, not wall time: each of these took minutes when the work grew with the square.


def test_a_long_r_chain_resolves_each_file_once(tmp_path, monkeypatch):
    import analyzer.model.requirements as requirements

    calls = []
    real = requirements._real_key
    monkeypatch.setattr(requirements, "_real_key", lambda project, rel: calls.append(rel) or real(project, rel))
    n = 400
    files = {"wsgi.py": "application = None\n", "requirements.txt": "-r r0.txt\n"}
    files |= {f"r{i}.txt": f"-r r{i + 1}.txt\n" for i in range(n)} | {f"r{n}.txt": "flask>=2,<3\n-r r0.txt\n"}
    write_project(tmp_path, files)
    report = run(tmp_path, select=("LE402",))
    no_internal_errors(report)
    assert [f.line for f in report.findings if f.code == "LE402"] == [2]  # the cycle back to r0.txt
    assert len(calls) <= n + 4


def test_a_long_leanignore_over_a_deep_tree_steps_once_per_component(tmp_path, monkeypatch):
    import analyzer.readers.ignorefile as ignorefile

    calls = [0]
    one = ignorefile._one_component

    def counted(segment, name):
        calls[0] += 1
        return one(segment, name)

    monkeypatch.setattr(ignorefile, "_one_component", counted)
    patterns, depth = 200, 60
    files = {"wsgi.py": "application = None\n", "requirements.txt": "flask>=2,<3\n",
             ".leanignore": "".join(f"**/a/**/zz{i}\n" for i in range(patterns))}
    files |= {"/".join(["a"] * d) + "/m.py": "x = 1\n" for d in range(1, depth + 1)}
    write_project(tmp_path, files)
    project = Project(tmp_path, Config())
    assert len(project.python_files) == depth + 1
    # One step per pattern per directory or file name (matching each path from the root again
    # costs depth times more: 3,700,000 here).
    assert calls[0] <= 2 * patterns * (2 * depth + 4)


def test_a_run_line_with_a_thousand_problems_loads_the_yaml_a_bounded_number_of_times(tmp_path, monkeypatch):
    import analyzer.rules.listen._listen as listen

    loads = [0]
    load = listen.load_yaml

    def counted(text):
        loads[0] += 1
        return load(text)

    monkeypatch.setattr(listen, "load_yaml", counted)
    binds = " ".join("-b 127.0.0.1:3000" for _ in range(500))
    write_project(tmp_path, {"wsgi.py": "application = None\n", "requirements.txt": "flask>=2,<3\n",
                             "leanengine.yaml": f"run: gunicorn {binds} wsgi:application\n"})
    report = run(tmp_path, select=("LE2",))
    no_internal_errors(report)
    assert len([f for f in report.findings if f.code == "LE201"]) == 500
    assert len([f for f in report.findings if f.fix is not None]) == listen.RUN_FIX_BUDGET
    assert loads[0] <= listen.RUN_FIX_BUDGET


def test_python_past_the_per_run_budget_is_not_read_and_says_so(tmp_path, monkeypatch):
    import analyzer.model.project as project_module
    from analyzer.model.project import OVER_BUDGET

    monkeypatch.setattr(project_module, "PYTHON_BUDGET_BYTES", 3_000)
    files = {"wsgi.py": "application = None\n", "requirements.txt": "flask>=2,<3\n"}
    files |= {f"m{i}.py": "x = 1\n" * 150 for i in range(4)}  # 900 bytes each
    write_project(tmp_path, files)
    read = []
    real = project_module.Project.read_bytes
    monkeypatch.setattr(project_module.Project, "read_bytes", lambda self, rel: read.append(rel) or real(self, rel))
    report = run(tmp_path)
    no_internal_errors(report)
    assert messages(report, "LE003") == [f"{rel}:1:1: {rel} was not analyzed: {OVER_BUDGET}" for rel in ("m3.py", "wsgi.py")]
    assert "m3.py" not in read and "wsgi.py" not in read
