"""The project's target Python: read from `.python-version`, and what it decides (LE001, Python 2).

`.ci/run` runs this file under every Python lean-lint supports: none of these verdicts may depend on
the interpreter running lean-lint."""

from __future__ import annotations

import os
import sys

import pytest

from analyzer.readers.config import Config
from analyzer.engine.run import analyze
from analyzer.model.target import python_target
from analyzer.platform.python_target import DEFAULT_TARGET, version_of
from analyzer.model.project import Project
from analyzer.readers.python2 import python3_view
from tests.helpers import NO_PIN, compiles_with, located, pyenv_python, run, write_project

MATCH = "def f(x):\n    match x:\n        case 1:\n            return 1\n"


@pytest.mark.parametrize(
    "word,version",
    [
        ("3.10", (3, 10)),
        ("3.10.4", (3, 10)),
        ("3.13t", (3, 13)),
        ("3.11-dev", (3, 11)),
        ("2.7.18", (2, 7)),
        ("2.", (2, 7)),
        ("pypy3.10-7.3.15", (3, 10)),
        ("python-3.10.4", (3, 10)),
        ("cinder-3.8-dev", (3, 8)),
        ("system", None),
        ("myvenv", None),
        ("miniconda3-latest", None),
        ("3", None),
        ("3." + "9" * 5000, None),
    ],
)
def test_version_words(word, version):
    assert version_of(word) == version


def test_target_of_a_project(tmp_path):
    write_project(tmp_path, {"leanengine.yaml": "buildRoot: api\n", "api/.python-version": "3.9\n3.8\n"})
    target = python_target(Project(tmp_path, Config()))
    assert (target.version, target.source, target.asked) == ((3, 9), "api/.python-version", "`.python-version` asks for 3.9")
    other = tmp_path / "other"
    other.mkdir()
    assert python_target(Project(other, Config())) == DEFAULT_TARGET


@pytest.mark.parametrize(
    "content,le6,asked",
    [
        (b"3.8", [], "`.python-version` asks for 3.8"),
        (b"3.8.10\n", [], "`.python-version` asks for 3.8"),
        (b"system\n", ["LE602"], None),
        (b"my-venv\n", ["LE602"], None),
        (b"pypy3.8-7.3.11\n", ["LE601"], "`.python-version` asks for 3.8"),
        (b"anaconda3-2023.09-0\n", ["LE601"], None),
        (b"python-3.8.10\n", ["LE602"], "`.python-version` asks for 3.8"),
    ],
)
def test_every_form_keeps_its_le60x_finding_and_sets_the_target(tmp_path, content, le6, asked):
    write_project(tmp_path, {".python-version": content, "wsgi.py": "application = None\n", "lib.py": MATCH})
    report = run(tmp_path, select=("LE001", "LE6"))
    assert [f.code for f in report.active if f.code.startswith("LE6")] == le6
    if asked is None:  # the default: 3.14 has `match`
        assert located(report, "LE001") == []
    else:
        assert located(report, "LE001", with_message=True) == [
            f"lib.py:2:5: `match` needs Python 3.10; {asked} (nothing the platform runs imports this file)"
        ]


def test_le001_is_an_error_where_the_platform_imports_the_file(tmp_path):
    write_project(
        tmp_path,
        {".python-version": "3.9\n", "wsgi.py": "import app\napplication = None\n", "app.py": "x = 1\n" + MATCH},
    )
    assert [(f.path, f.line, f.column, int(f.severity), f.message, f.hint) for f in run(tmp_path, select=("LE001",)).active] == [
        ("app.py", 3, 5, 3, "`match` needs Python 3.10; `.python-version` asks for 3.9",
         "The platform cannot import this module; fix the syntax (Python 3.9)."),
    ]


def test_le001_is_a_warning_in_a_file_nothing_that_runs_imports(tmp_path):
    write_project(
        tmp_path,
        {".python-version": "3.9\n", "wsgi.py": "import app\napplication = None\n", "app.py": "x = 1\n", "scripts/once.py": MATCH},
    )
    assert [(f.path, f.line, f.column, int(f.severity), f.message, f.hint) for f in run(tmp_path, select=("LE001",)).active] == [
        ("scripts/once.py", 2, 5, 2,
         "`match` needs Python 3.10; `.python-version` asks for 3.9 (nothing the platform runs imports this file)",
         "Running it with Python 3.9 fails; fix the syntax, or exclude the file if it is not meant to run."),
    ]


def test_le001_stays_an_error_when_what_runs_is_unknown(tmp_path):
    write_project(tmp_path, {".python-version": "3.9\n", "wsgi.py": "import (\n", "tool.py": MATCH})
    report = run(tmp_path, select=("LE001",))
    assert sorted((f.path, int(f.severity)) for f in report.active) == [("tool.py", 3), ("wsgi.py", 3)]


def test_except_comma_under_a_311_pin(tmp_path):
    write_project(tmp_path, {".python-version": "3.11\n", "wsgi.py": "try:\n    pass\nexcept ValueError, e:\n    pass\n"})
    assert located(run(tmp_path, select=("LE001",)), with_message=True) == [
        "wsgi.py:3:1: `except A, B:` without parentheses (a tuple of exceptions; Python 2's `except E, e:` is "
        "`except E as e:` in Python 3) needs Python 3.14; `.python-version` asks for 3.11"
    ]


def test_unpinned_projects_get_the_default_and_a_notice(tmp_path):
    write_project(tmp_path, {"wsgi.py": "application = None\ntype X = int\n"})
    report = run(tmp_path)
    assert located(report, "LE001") == []
    assert NO_PIN in report.notices
    write_project(tmp_path, {".python-version": "3.12\n"})
    assert not any(".python-version" in n for n in run(tmp_path).notices)


def test_newer_syntax_than_the_running_python_keeps_the_imports(tmp_path):
    # `type` (3.12) at the top level: a Python older than 3.12 parses the other statements alone.
    write_project(
        tmp_path,
        {
            ".python-version": "3.12\n",
            "wsgi.py": "import app\ntype Alias = int\napplication = app.app\n",
            "app.py": "import os\napp = None\nPORT = 3000\n",
        },
    )
    project = Project(tmp_path, Config())
    report = run(tmp_path)
    assert located(report, "LE001") == []
    notices = [n for n in report.notices if n.startswith("wsgi.py:")]
    if sys.version_info >= (3, 12):
        assert notices == []
    else:
        assert notices == [
            f"wsgi.py: the Python running lean-lint ({sys.version_info[0]}.{sys.version_info[1]}) cannot parse the "
            "statement at line 2, which uses newer syntax, so the imports inside it were not followed; run "
            "lean-lint on the platform's Python (3.12) for the complete import graph"
        ]
    from analyzer.model.first_pass import cheap_pass

    result = cheap_pass(str(tmp_path / "wsgi.py"), "wsgi.py", "wsgi", False, (), python_target(project))
    assert [ref[0] for ref in result["info"]["imports"]] == ["app"]


def test_the_target_is_part_of_the_cache_key(tmp_path, monkeypatch):
    monkeypatch.setenv("LEAN_LINT_CACHE_DIR", str(tmp_path / "cache"))
    root = write_project(tmp_path / "p", {".python-version": "3.9 \n", "wsgi.py": "application = None\n" + MATCH})
    first = analyze(root, select=("LE001",), use_cache=True)
    assert located(first) == ["wsgi.py:3:5"]
    stat = os.stat(root / ".python-version")
    (root / ".python-version").write_text("3.10\n")  # same size and time: only the content tells
    os.utime(root / ".python-version", ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert located(analyze(root, select=("LE001",), use_cache=True)) == []


# -- Python 2 ------------------------------------------------------------------------------------------

PY2 = '''\
import sys
print "a", 1
print >>sys.stderr, "b"
print
print("c")
exec "x = 1" in ns
try:
    pass
except (IOError, OSError), e:
    raise KeyError, "k", tb
y = `x` if x <> 0777L else ur"\\d" + 10l
def f(a, (b, c)=(1, 2), *args):
    async = lambda (k, v): k
'''

PY2_VIEW = '''\
import sys
print;"a", 1
print;  sys.stderr, "b"
print
print("c")
exec;"x = 1" in ns
try:
    pass
except (IOError, OSError)   :
    raise KeyError; "k", tb
y = (x) if x !=   511 else  r"\\d" + 10 
def f(a,  b, c =(1, 2), *args):
    _sync = lambda  k, v : k
'''


def test_python2_view_keeps_every_position():
    view = python3_view(PY2)
    assert view == PY2_VIEW
    assert [len(line) for line in view.split("\n")] == [len(line) for line in PY2.split("\n")]
    compile(view, "view", "exec")


def test_python2_with_print_function():
    text = "from __future__ import (absolute_import,\n    print_function)\nprint('a', end='')\n"
    assert python3_view(text) == text


@pytest.mark.parametrize(
    "text,line,offset,message",
    [
        ("print x y\n", 1, 9, "invalid Python 2 syntax at `y`"),
        ("def f(:\n", 1, 7, "invalid Python 2 syntax at `:`"),
        ("print('a', end='')\n", 1, 15, "invalid Python 2 syntax at `=`"),
        ("x = (\n", 2, 1, "invalid Python 2: EOF in multi-line statement"),
    ],
)
def test_invalid_python2(text, line, offset, message):
    with pytest.raises(SyntaxError) as info:
        python3_view(text)
    assert (info.value.lineno, info.value.offset, info.value.msg) == (line, offset, message)


def test_python2_project(tmp_path):
    write_project(
        tmp_path,
        {
            ".python-version": "2.7\n",
            "requirements.txt": "leancloud>=2.9.1,<3.0.0\n",
            "wsgi.py": (
                "import leancloud\n"
                "print 'starting'\n"
                "try:\n"
                "    leancloud.init('q3XvT9bLm2ZkR8wPd4NcH7sJ-gzGzoHsz', master_key='Tz5Rn8Wq2Lk7Xv4Mb9Pc6Hs3')\n"
                "except KeyError, e:\n"
                "    print >>sys.stderr, `e`\n"
                "application = leancloud.Engine()\n"
            ),
            "tools/py3only.py": "def f(x: int) -> int:\n    return x\n",
            "tools/broken.py": "print 'a' 'b' 1\n",
        },
    )
    report = run(tmp_path)
    assert [(f.path, f.line, f.column, f.code) for f in report.active] == [
        (".python-version", 1, 1, "LE603"),
        ("tools/broken.py", 1, 15, "LE001"),
        ("tools/py3only.py", 1, 7, "LE001"),
        ("wsgi.py", 4, 20, "LE701"),
        ("wsgi.py", 4, 68, "LE701"),
    ]
    messages = {f.path: f.message for f in report.active if f.code == "LE001"}
    assert messages["tools/py3only.py"] == (
        "annotations (`def f(x: int) -> str`) need Python 3.0; `.python-version` asks for 2.7 "
        "(nothing the platform runs imports this file)"
    )
    assert messages["tools/broken.py"].startswith("invalid Python 2 syntax at `1`; `.python-version` asks for 2.7")


def test_a_python2_module_without_a_python3_view_is_not_analyzed(tmp_path):
    write_project(tmp_path, {".python-version": "2.7\n", "wsgi.py": b"# coding: latin-1\nx = b'\xe9'\n"})
    (finding,) = run(tmp_path, select=("LE001", "LE003")).active
    assert (finding.code, finding.path) == ("LE003", "wsgi.py")
    assert finding.message.startswith(
        "wsgi.py was not analyzed: it is valid Python 2, but lean-lint could not read it as Python 3 (line 2: "
    )


def test_fixes_apply_to_python2_modules(tmp_path):
    from analyzer.engine.fixes import plan_fixes

    write_project(
        tmp_path,
        {
            ".python-version": "2.7\n",
            "leanengine.yaml": "run: python app.py\n",
            "app.py": "from flask import Flask\napp = Flask(__name__)\nprint 'x'\nif __name__ == '__main__':\n"
            "    app.run(host='127.0.0.1')\n",
        },
    )
    report = run(tmp_path, select=("LE201",))
    assert located(report) == ["app.py:5:18"]
    (plan,) = plan_fixes(tmp_path, report.active)
    assert plan.after.decode().splitlines()[-1] == "    app.run(host='0.0.0.0')"
    assert plan.after.decode().splitlines()[2] == "print 'x'"


def test_python2_fingerprints_are_those_of_the_file_itself(tmp_path, monkeypatch):
    # A warm run reads the file's text, not its view: the fingerprint must not change between runs.
    monkeypatch.setenv("LEAN_LINT_CACHE_DIR", str(tmp_path / "cache"))
    root = write_project(
        tmp_path / "p",
        {".python-version": "2.7\n", "tools/x.py": "import leancloud\nprint leancloud.init('a', master_key='Tz5Rn8Wq2Lk7Xv4Mb9Pc6Hs3')\n"},
    )
    cold = analyze(root, select=("LE701",), use_cache=True)
    warm = analyze(root, select=("LE701",), use_cache=True)
    assert [(f.line, f.column, f.fingerprint) for f in cold.active] == [(f.line, f.column, f.fingerprint) for f in warm.active]
    assert [(f.line, f.column) for f in cold.active] == [(2, 38)]


@pytest.mark.parametrize(
    "text",
    ["x = " + "f'{" * 3000 + "1" + "}'" * 3000 + "\n", "x = f'{a # no end", "x = f'\\N{DASH", "x = f'''{\n" * 2000],
    ids=["deep", "unterminated-comment", "unterminated-name", "many-unterminated"],
)
def test_hostile_strings_are_answered(tmp_path, text):
    write_project(tmp_path, {".python-version": "3.11\n", "wsgi.py": text})
    report = run(tmp_path, select=("LE001", "LE003"))
    assert [f.code for f in report.active if f.code == "LE000"] == []


def test_a_large_python2_module_is_not_analyzed(tmp_path):
    write_project(tmp_path, {".python-version": "2.7\n", "big.py": "x = 1\n" * 100_000})
    (finding,) = run(tmp_path, select=("LE001", "LE003")).active
    assert (finding.code, finding.message) == (
        "LE003", "big.py was not analyzed: it is over 512 KiB, the limit of lean-lint's Python 2 parser",
    )


PY2_SAMPLES = [
    PY2,
    "from __future__ import (absolute_import,\n    print_function)\nprint('a', end='')\n",
    "print x y\n",
    "def f(:\n",
    "print('a', end='')\n",
    "x = (\n",
    "print 'a' 'b' 1\n",
    "def f(x: int) -> int:\n    return x\n",
    "class A:\n    def f(self):\n        print >>self.out, `self`, 0777L <> 10l, ur'\\d'\n",
]


def test_python2_verdicts_are_those_of_python_2_7():
    """fissix accepts what Python 2.7 compiles (annotations: fissix's grammar has them; the version
    check reports them)."""
    python = pyenv_python("2.7")
    if python is None:
        pytest.skip("no CPython 2.7 on this machine")
    compiles = compiles_with(python, PY2_SAMPLES)

    def accepted(text):
        try:
            python3_view(text)
        except SyntaxError:
            return False
        return True

    annotations = PY2_SAMPLES.index("def f(x: int) -> int:\n    return x\n")
    assert compiles[annotations] is False and accepted(PY2_SAMPLES[annotations])
    assert [c for i, c in enumerate(compiles) if i != annotations] == [
        accepted(t) for i, t in enumerate(PY2_SAMPLES) if i != annotations
    ]
