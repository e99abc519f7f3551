"""Property-based tests: generated and mutated inputs for every reader of project files.

The readers of Python files, leanengine.yaml, requirements files, .python-version and .leanignore
get random bytes and realistic files with random damage (bytes inserted, deleted, duplicated; NUL
bytes, stray carriage returns, BOMs, coding cookies, anchors and tags dropped in). Whatever they get,
no exception escapes, every finding points inside the file it names, messages stay on one line, and
the JSON and SARIF outputs parse (SARIF against its schema). Examples are derandomized and no example
database is written, so a run is reproducible and leaves nothing behind.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyzer.readers.config import Config
from analyzer.engine.run import analyze
from analyzer.readers.ignorefile import IgnoreMatcher
from analyzer.output import json_format, sarif
from analyzer.model.project import Project
from analyzer.readers.python import decode_text, load_python
from analyzer.readers.yaml_doc import load_yaml
from tests.helpers import write_project
from tests.test_output_sarif import validate as validate_sarif

#: `LEAN_LINT_FUZZ=N` runs N random (not derandomized) examples per test instead: a deeper search.
_FUZZ = int(os.environ.get("LEAN_LINT_FUZZ", "0") or 0)
FAST = settings(database=None, derandomize=not _FUZZ, deadline=None, max_examples=_FUZZ or 200,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SLOW = settings(database=None, derandomize=not _FUZZ, deadline=None, max_examples=_FUZZ or 60,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

PYTHON_SEEDS = [
    b"import os\nfrom flask import Flask\napp = Flask(__name__)\napplication = app\n",
    b"# -*- coding: latin-1 -*-\nx = '\xe9t\xe9'\n",
    b"\xef\xbb\xbfimport logging\r\nlogging.basicConfig(filename='x.log')\r\n",
    b"def f(a, *, b=1, **k):\n    return [i async for i in a] if b else {k: v for k, v in k.items()}\n",
    b"class A(B, metaclass=M):\n    '''doc'''\n    @property\n    def x(self): return f'{self!r:>{10}}'\n",
    b"if __name__ == '__main__':\n    app.run(host='0.0.0.0', port=int(os.environ.get('PORT', 5000)))\n",
    b"with open('/tmp/x', 'w') as f, open('y') as g:\n    f.write(g.read())\n",
    b"match x:\n    case [1, *rest] if rest:\n        pass\n    case {'a': b}:\n        pass\n",
    b"x = (1 +\n     2) \\\n    + 3\ny = lambda: (yield)\n",
    b"try:\n    import leancloud\nexcept ImportError:\n    leancloud = None\nfinally:\n    pass\n",
]

YAML_SEEDS = [
    "run: python wsgi.py\n",
    "runtime: python\nbuildRoot: api\nstartupTimeout: 60\n",
    "install:\n  - {use: default}\n  - require: [vendor/x.whl]\n  - pip install -r requirements.txt\n",
    "extraPorts:\n  - containerPort: 4000\n    name: admin\nsystemDependencies: [ffmpeg, imagemagick]\n",
    "a: &x {run: python app.py}\n<<: *x\nexposeEnvironmentsOnBuild: true\n",
    "functionsMode: strict\nrun: gunicorn -b 0.0.0.0:${LEANCLOUD_APP_PORT} wsgi:application\n",
    "# comment\n---\nrun: 'python wsgi.py'\nstartupTimeout: .inf\n",
]

REQUIREMENT_SEEDS = [
    "flask>=2.0,<3.0\nleancloud>=2.9.1,<3.0.0\n",
    "-r base.txt\n-c constraints.txt\n--index-url https://pypi.org/simple\n",
    "requests[socks] ; python_version >= '3.8' \\\n    --hash=sha256:abcd\n",
    "-e git+https://github.com/x/y.git#egg=y\n./local/pkg\nhttps://example.com/x.whl\n",
    "Django==4.2.*\n# comment\n\npsycopg2-binary~=2.9\n",
]

INSERTS = [b"\x00", b"\r", b"\r\n", b"\n", b"\t", b"\xff", b"\xef\xbb\xbf", b"\\", b"(", b"[", b"{", b")", b"'", b'"""',
           b"# coding: latin-1\n", b"# coding: nonsense\n", b"&a ", b"*a", b"!!python/object:os.system ", b"<<: ", b": ",
           b"- ", b"-r requirements.txt\n", b"-r base.txt\n", b"-c requirements.txt\n", b"--hash=sha256:", b" ; ",
           b"\xe4\xb8\xad", b"\x85", b"\xe2\x80\xa8", b"\x0c", b"    ", b"\\\n", b"if __name__ == '__main__':\n    "]


@st.composite
def mutated(draw, seeds: list[bytes]) -> bytes:
    """A seed with a few random edits."""
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(["insert", "token", "delete", "duplicate", "flip"]))
        at = draw(st.integers(0, len(data)))
        if kind == "insert":
            data[at:at] = draw(st.binary(max_size=8))
        elif kind == "token":
            data[at:at] = draw(st.sampled_from(INSERTS))
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 10))]
        elif kind == "duplicate":
            data[at:at] = data[at : at + draw(st.integers(1, 40))] * draw(st.integers(1, 5))
        elif data:
            data[min(at, len(data) - 1)] = draw(st.integers(0, 255))
    return bytes(data)


def python_bytes():
    return st.one_of(st.binary(max_size=300), mutated([s for s in PYTHON_SEEDS]))


def yaml_bytes():
    return st.one_of(st.binary(max_size=200), st.text(max_size=200).map(str.encode), mutated([s.encode() for s in YAML_SEEDS]))


def requirement_bytes():
    return st.one_of(st.binary(max_size=200), st.text(max_size=200).map(str.encode), mutated([s.encode() for s in REQUIREMENT_SEEDS]))


def version_bytes():
    return st.one_of(st.binary(max_size=30), mutated([b"3.11\n", b"3.10.4", b"pypy3.10-7.3.15\n", b"\xef\xbb\xbf 3.9\r\n", b"system"]))


def _lines(text: str) -> int:
    return text.count("\n") + 1


# -- one reader at a time ----------------------------------------------------------------------------


@FAST
@given(python_bytes())
def test_python_reader_never_raises(data):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "m.py"
        path.write_bytes(data)
        src = load_python("m.py", path)
    assert src.unreadable is None or src.text is not None or src.syntax_error is None
    if src.syntax_error is not None:
        line, column, message = src.syntax_error
        lines = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1
        assert 1 <= line <= lines + 1 and column >= 1
        assert message and "\n" not in message
    if src.text is not None:
        assert "\r" not in src.text and not src.text.startswith("\ufeff")
    if src.ok:
        assert src.tree is not None


@FAST
@given(st.binary(max_size=300))
def test_text_decoding_never_raises(data):
    text = decode_text(data)
    assert "\r" not in text


@FAST
@given(yaml_bytes())
def test_yaml_reader_never_raises(data):
    text = decode_text(data)
    doc = load_yaml(text)
    for problem in doc.problems:
        assert "\n" not in problem.message
        assert 1 <= problem.span.line <= _lines(text) + 1 and problem.span.column >= 1
    if doc.problems:
        assert doc.data is None
    for key, first, repeated in doc.duplicates:
        assert 1 <= first.line <= repeated.line <= _lines(text)
    if doc.node is not None:
        for path in (("run",), ("install", 0), ("extraPorts", 0, "containerPort"), ()):
            span = doc.span_of(path)
            assert 1 <= span.line <= _lines(text) + 1
            doc.value_node(path)


_IGNORE_ATOMS = ["a", "b", "*", "?", "/", "**", "[ab]", "[!a]", "[a-c]", "\\*", "!", "#", " ", ".", "[", "]", "\\"]


@FAST
@given(
    st.lists(st.lists(st.sampled_from(_IGNORE_ATOMS), max_size=8).map("".join), max_size=4),
    st.lists(st.text(alphabet="ab.*[]! \n", min_size=1, max_size=6), min_size=1, max_size=5).map("/".join),
    st.booleans(),
)
def test_ignore_matching_agrees_with_a_reference(patterns, path, is_dir):
    got = IgnoreMatcher(patterns).matches(path, is_dir)
    assert got == _reference_matches(patterns, path, is_dir), (patterns, path)


def _reference_matches(patterns: list[str], path: str, is_dir: bool) -> bool:
    """gitignore(5) by brute force: each pattern as a regular expression (fine on tiny inputs)."""
    ignored = False
    for line in patterns:
        line = line.rstrip("\n\r")
        if not line.strip() or line.startswith("#"):
            continue
        stripped = line.rstrip(" ")
        if stripped.endswith("\\") and len(stripped) < len(line):
            stripped += " "
        line = stripped
        negated = line.startswith("!")
        if negated:
            line = line[1:]
        elif line.startswith(("\\!", "\\#")):
            line = line[1:]
        dir_only = line.endswith("/")
        line = line.rstrip("/")
        if not line:
            continue
        anchored = "/" in line
        parts = [p for p in line.lstrip("/").split("/") if p]
        if not parts:
            continue
        regex = "" if anchored else "(?:[^/]+/)*"
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            if part == "**":
                regex += "[^/]+(?:/[^/]+)*" if last else "(?:[^/]+/)*"
            else:
                regex += _reference_component(part) + ("" if last else "/")
        if dir_only and not is_dir:
            continue
        if re.fullmatch(regex, "/".join(p for p in path.split("/") if p), re.DOTALL):
            ignored = not negated
    return ignored


def _reference_component(glob: str) -> str:
    out, i = "", 0
    while i < len(glob):
        c = glob[i]
        if c == "*":
            out += "[^/]*"
        elif c == "?":
            out += "[^/]"
        elif c == "[":
            start = i + 1 + (glob[i + 1 : i + 2] in ("!", "^"))
            start += glob[start : start + 1] == "]"
            j = glob.find("]", start)
            if j == -1:
                out += re.escape(c)
            else:
                body = glob[i + 1 : j]
                negated = body[:1] in ("!", "^")
                body = body[1:] if negated else body
                items, k = "", 0
                while k < len(body):
                    if k + 2 < len(body) and body[k + 1] == "-":
                        if body[k] <= body[k + 2]:
                            items += re.escape(body[k]) + "-" + re.escape(body[k + 2])
                        k += 3
                    else:
                        items += re.escape(body[k])
                        k += 1
                out += (f"[^/{items}]" if negated else f"[{items}]") if items else ("[^/]" if negated else "(?!)")
                i = j
        elif c == "\\" and i + 1 < len(glob):
            i += 1
            out += re.escape(glob[i])
        else:
            out += re.escape(c)
        i += 1
    return out


@FAST
@given(requirement_bytes(), requirement_bytes())
def test_requirements_reader_never_raises(main, included):
    from analyzer.model.requirements import project_requirements

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_project(root, {"requirements.txt": main, "base.txt": included, "constraints.txt": included})
        reqs = project_requirements(Project(root, Config()))
        for problem in reqs.problems:
            assert "\n" not in problem.message
        for entry in reqs.entries:
            assert entry.span.line >= 1 and entry.span.column >= 1


@FAST
@given(version_bytes())
def test_python_version_reader_never_raises(data):
    from analyzer.rules.python_version._python_version import read_version_file

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_project(root, {".python-version": data})
        version = read_version_file(Project(root, Config()))
        assert version is not None and version.data == data
        assert isinstance(version.accepted, bool) and isinstance(version.first_token, str)


# -- the whole run, every rule, every output ------------------------------------------------------------------


@SLOW
@given(
    wsgi=python_bytes(),
    module=python_bytes(),
    leanengine=yaml_bytes(),
    requirements=requirement_bytes(),
    version=version_bytes(),
)
def test_a_run_over_generated_projects(wsgi, module, leanengine, requirements, version):
    files = {
        "wsgi.py": b"import lib\n" + wsgi,
        "lib.py": module,
        "leanengine.yaml": leanengine,
        "requirements.txt": requirements,
        "base.txt": requirements[::-1],
        ".python-version": version,
    }
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_project(root, files)
        report = analyze(root, config=Config(), jobs=1)
        assert [f.message for f in report.findings if f.code == "LE000"] == []
        for f in report.findings:
            assert "\n" not in f.message, f
            assert f.span.line >= 1 and f.span.column >= 1 and f.span.end_line >= f.span.line
            if not f.path:
                continue
            assert f.path in files or (root / f.path).exists(), f
            if f.path in files:
                text = decode_text(files[f.path])
                assert f.span.line <= _lines(text) + 1, f
        doc = json.loads(json_format.render(report))
        assert len(doc["findings"]) == len(report.active)
        log = json.loads(sarif.render(report))
        validate_sarif(log)
        assert len(log["runs"][0]["results"]) == len(report.findings)


@pytest.mark.parametrize("seed", range(len(PYTHON_SEEDS)))
def test_python_seeds_parse(seed, tmp_path):
    """The seeds are valid Python: the mutations start from real code."""
    path = tmp_path / "m.py"
    path.write_bytes(PYTHON_SEEDS[seed])
    assert load_python("m.py", path).ok
