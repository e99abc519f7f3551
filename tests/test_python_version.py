""".python-version and runtime.txt (LE601-LE604), end to end."""

from __future__ import annotations

import pytest

from analyzer.rules.python_version._python_version import other_implementation
from tests.helpers import located, run, write_project

CODES = ("LE601", "LE602", "LE603", "LE604")


def findings(tmp_path, files):
    write_project(tmp_path, files)
    return located(run(tmp_path, select=CODES), with_message=True)


def codes(tmp_path, files):
    write_project(tmp_path, files)
    return [f.code for f in run(tmp_path, select=CODES).active]


@pytest.mark.parametrize(
    "content",
    [b"3.10", b"3.10\n", b"3.12.1\n", b"3.10\r\n", b"3.9\n3.8\n", b"3.13t\n", b"3.11-dev\n", b"3.10 # comment\n"],
)
def test_accepted_versions(tmp_path, content):
    assert codes(tmp_path, {".python-version": content}) == []


@pytest.mark.parametrize(
    "content,code",
    [
        (b"pypy3.10-7.3.15\n", "LE601"),
        (b"PyPy3.9\n", "LE601"),
        (b"ironpython-2.7.7\n", "LE601"),
        (b"graalpython-20.1.0\n", "LE601"),
        (b"micropython-1.20.0\n", "LE601"),
        (b"anaconda3-2023.09-0\n", "LE601"),
        (b"mambaforge\n", "LE601"),
        (b"miniforge3-24.1.2-0\n", "LE601"),
        (b"pyston-2.3.5\n", "LE601"),
        (b"activepython-3.6.0\n", "LE601"),
        (b"cinder-3.10-dev\n", "LE601"),
        (b"nogil-3.9.10\n", "LE601"),
        (b"\xef\xbb\xbfpypy3.10\n", "LE601"),
        (b"system\n", "LE602"),
        (b"3\n", "LE602"),
        (b"2\n", "LE602"),
        (b"", "LE602"),
        (b"   \n", "LE602"),
        (b"\t3.10\n", "LE602"),
        (b"v3.10\n", "LE602"),
        (b"cpython-3.12.1\n", "LE602"),
        (b"\xef\xbb\xbf3.10\n", "LE602"),
        (b"3,10\n", "LE602"),
        (b"2.7\n", "LE603"),
        (b"2.7.18", "LE603"),
    ],
)
def test_one_finding_each(tmp_path, content, code):
    assert codes(tmp_path, {".python-version": content}) == [code]


def test_messages(tmp_path):
    assert findings(tmp_path, {".python-version": b"v3.10\n"}) == [
        ".python-version:1:1: lean-cli refuses to deploy: `.python-version` must start with `2.` or `3.`, but it "
        "starts with `v3.10`; write `3.10` at the start of the file"
    ]
    assert findings(tmp_path, {".python-version": b"activepython-3.6.0\n"}) == [
        ".python-version:1:1: `.python-version` asks for ActivePython (`activepython-3.6.0`), but the platform runs "
        "CPython only and lean-cli refuses the deploy; write `3.6.0`"
    ]
    assert findings(tmp_path, {".python-version": b"pypy2.7-7.3.1\n"}) == [
        ".python-version:1:1: `.python-version` asks for PyPy (`pypy2.7-7.3.1`), but the platform runs CPython only "
        "and lean-cli refuses the deploy; write a CPython version such as `3.12`"
    ]


def test_directory_named_python_version(tmp_path):
    assert findings(tmp_path, {".python-version/x": ""}) == [
        ".python-version:1:1: lean-cli cannot read `.python-version` (it is a directory, not a file) and refuses to "
        "deploy; make it a file holding a CPython version such as `3.12`"
    ]


def test_runtime_txt_with_python_version_present(tmp_path):
    assert codes(tmp_path, {"runtime.txt": "python-3.10.4\n", ".python-version": "system\n"}) == ["LE602"]


def test_runtime_txt_alone(tmp_path):
    assert findings(tmp_path, {"runtime.txt": "python-2.7.18\r\n"}) == [
        "runtime.txt:1:1: the platform ignores runtime.txt (Heroku's format) and, without `.python-version`, installs "
        "the latest stable CPython instead of `python-2.7.18`; create `.python-version` containing `2.7.18`"
    ]


def test_files_at_the_build_root_only(tmp_path):
    files = {
        "leanengine.yaml": "buildRoot: api\n",
        "api/wsgi.py": "",
        ".python-version": "pypy3.10\n",  # not at the build root: not what the platform reads
        "runtime.txt": "python-3.10\n",
    }
    assert codes(tmp_path, files) == []


@pytest.mark.parametrize("runtime", ["nodejs", "static", "go"])
def test_other_runtimes_are_skipped(tmp_path, runtime):
    files = {"leanengine.yaml": f"runtime: {runtime}\n", ".python-version": "pypy3\n", "runtime.txt": "python-3.9\n"}
    assert codes(tmp_path, files) == []


def test_other_implementation_names():
    assert other_implementation("pypy3.10-7.3.15") == "PyPy"
    assert other_implementation("Jython-2.7.2") == "Jython"
    assert other_implementation("3.10") is None
    assert other_implementation("system") is None
