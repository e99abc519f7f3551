"""`--resolve` (issue #14): pip's own resolver on requirements.txt, against a local index the tests
write (tests/pkgindex.py): no network, pip's config files and PIP_* variables of the machine ignored."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from analyzer.rules.requirements import _resolve as resolve
from analyzer.types import Severity
from tests.helpers import located, run, write_project
from tests.pkgindex import fixture_index, isolated_pip_env

REQUIREMENTS = "alpha>=1\nnosuch==1.0\nonlynew\nbeta\ndelta\nbuildme\n  TA-Lib  # indicators\nnative\n"
STUB = "from flask import Flask\napplication = Flask(__name__)\n"


@pytest.fixture(scope="module")
def index(tmp_path_factory) -> Path:
    return fixture_index(tmp_path_factory.mktemp("index"))


@pytest.fixture
def pip_env(index, monkeypatch):
    for key in list(os.environ):
        if key.startswith("PIP_"):
            monkeypatch.delenv(key)
    for key, value in isolated_pip_env(index).items():
        if key.startswith("PIP_"):
            monkeypatch.setenv(key, value)
    return index


def test_each_line_pip_cannot_install_is_reported_where_it_is(tmp_path, pip_env):
    write_project(tmp_path, {"requirements.txt": REQUIREMENTS, ".python-version": "3.10\n", "wsgi.py": STUB})
    report = run(tmp_path, select=("LE407",), resolve=True)
    got = located(report, "LE407", with_message=True)
    target = "Python 3.10 (`.python-version`)"
    assert got == [
        f"requirements.txt:2:1: `nosuch==1.0`: the index has no distribution named nosuch for Linux x86_64 and {target} "
        "(no such name, or files for other platforms or Pythons only): pip stops with \"No matching distribution "
        "found\" and the install step fails",
        f"requirements.txt:3:1: `onlynew`: no version of onlynew installs on {target}: it requires Python >=3.12; "
        "pip fails the install",
        f"requirements.txt:4:1: `beta` conflicts with `delta` (requirements.txt:5) for {target}: beta 1.0 depends on "
        "gamma<2; delta 1.0 depends on gamma>=2; pip's resolver fails the install (ResolutionImpossible)",
        f"requirements.txt:5:1: `delta` conflicts with `beta` (requirements.txt:4) for {target}: beta 1.0 depends on "
        "gamma<2; delta 1.0 depends on gamma>=2; pip's resolver fails the install (ResolutionImpossible)",
        f"requirements.txt:6:1: `buildme`: buildme has no wheel for Linux x86_64 and {target}, so pip builds it from "
        "source during the deploy, which needs a compiler and the C libraries it uses",
        f"requirements.txt:7:3: `TA-Lib`: TA-Lib has no wheel for Linux x86_64 and {target}, so pip builds it from "
        "source during the deploy, which needs a compiler and the C libraries it uses; the platform installs the "
        "python-talib library with `systemDependencies: [python-talib]` in leanengine.yaml",
    ]
    severities = {f.line: f.severity for f in report.active if f.code == "LE407"}
    assert severities == {2: Severity.ERROR, 3: Severity.ERROR, 4: Severity.ERROR, 5: Severity.ERROR,
                          6: Severity.NOTE, 7: Severity.NOTE}
    assert list(report.notices) == []


def test_a_dependency_pip_cannot_find_is_reported_on_the_line_that_needs_it(tmp_path, pip_env):
    write_project(tmp_path, {"requirements.txt": "alpha<3\nepsilon\neta==1.0\n", ".python-version": "3.10\n"})
    assert located(run(tmp_path, select=("LE407",), resolve=True), "LE407", with_message=True) == [
        "requirements.txt:2:1: `epsilon`: no version of zeta (required by epsilon) matches `zeta>=5` (the index has "
        "1.0); pip stops with \"No matching distribution found\"",
        "requirements.txt:3:1: `eta==1.0`: the index has no distribution named nothere (required by eta) for Linux "
        "x86_64 and Python 3.10 (`.python-version`) (no such name, or files for other platforms or Pythons only): pip "
        "stops with \"No matching distribution found\" and the install step fails",
    ]


def test_a_conflict_with_a_constraint(tmp_path, pip_env):
    write_project(tmp_path, {"requirements.txt": "alpha<3\n-c constraints.txt\ndelta\n", "constraints.txt": "gamma<2\n",
                             ".python-version": "3.10\n"} | _REQUIRE_CONSTRAINTS)
    assert located(run(tmp_path, select=("LE407",), resolve=True), "LE407", with_message=True) == [
        "requirements.txt:3:1: `delta` conflicts for Python 3.10 (`.python-version`): delta 1.0 depends on gamma>=2; "
        "The user requested (constraint) gamma<2; pip's resolver fails the install (ResolutionImpossible)",
    ]


_REQUIRE_CONSTRAINTS = {"leanengine.yaml": "install:\n  - {require: [constraints.txt]}\n  - {use: default}\n"}


def test_with_resolve_le401_bounds_at_the_major_pip_installs_today(tmp_path, pip_env):
    write_project(tmp_path, {"requirements.txt": "alpha>=1\nnative\n", ".python-version": "3.10.4\n", "wsgi.py": STUB})
    report = run(tmp_path, select=("LE401",), resolve=True)
    assert located(report, "LE401", with_message=True) == [
        "requirements.txt:1:1: `alpha>=1` has no upper bound, so a deploy can install a new major version with "
        "breaking changes; write `alpha>=1,<3` (pip installs alpha 2.3.1 today for Python 3.10)",
        "requirements.txt:2:1: `native` has no upper bound, so a deploy can install a new major version with breaking "
        "changes; write `native<2` (pip installs native 1.0 today for Python 3.10)",
    ]
    assert all(f.fix is not None and f.fix.safe for f in report.active)


def test_without_python_version_the_platforms_default_python(tmp_path, pip_env):
    # `native` has a wheel for CPython 3.10 only: nothing pip can install on the default (newest) Python.
    write_project(tmp_path, {"requirements.txt": "native\n", "wsgi.py": STUB})
    report = run(tmp_path, select=("LE401", "LE407"), resolve=True)
    assert located(report, with_message=True) == [
        "requirements.txt:1:1: `native`: the index has no distribution named native for Linux x86_64 and Python 3.13 "
        "(the platform's default) (no such name, or files for other platforms or Pythons only): pip stops with \"No "
        "matching distribution found\" and the install step fails",
    ]


def test_fix_with_resolve_keeps_what_installs_today(tmp_path, pip_env):
    write_project(tmp_path, {"requirements.txt": "alpha>=1  # core\n", "wsgi.py": STUB})
    env = isolated_pip_env(pip_env)
    proc = subprocess.run([sys.executable, "-m", "analyzer", str(tmp_path), "--resolve", "--fix", "--select", "LE401"],
                          capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (tmp_path / "requirements.txt").read_text() == "alpha>=1,<3  # core\n"


def test_the_command_line_reports_with_positions_and_exit_1(tmp_path, index):
    write_project(tmp_path, {"requirements.txt": REQUIREMENTS, ".python-version": "3.10\n", "wsgi.py": STUB})
    proc = subprocess.run(
        [sys.executable, "-m", "analyzer", str(tmp_path), "--resolve", "--select", "LE407", "--format", "json"],
        capture_output=True, text=True, timeout=300, env=isolated_pip_env(index),
    )
    assert proc.returncode == 1, proc.stderr
    places = [(f["path"], f["line"], f["column"]) for f in json.loads(proc.stdout)["findings"]]
    assert places == [("requirements.txt", n, 3 if n == 7 else 1) for n in (2, 3, 4, 5, 6, 7)]


def test_index_options_of_the_requirements_file_are_used(tmp_path, index, monkeypatch):
    for key in list(os.environ):
        if key.startswith("PIP_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)
    fixture_index(tmp_path / "wheels")
    write_project(tmp_path, {"requirements.txt": "--no-index\n--find-links wheels\nonlynew\nalpha<2\n",
                             ".python-version": "3.11\n"})
    report = run(tmp_path, select=("LE407",), resolve=True)
    assert located(report, "LE407") == ["requirements.txt:3:1"]


def test_a_timeout_is_a_notice_not_a_hang(tmp_path, pip_env, monkeypatch):
    monkeypatch.setenv("LEAN_LINT_RESOLVE_TIMEOUT", "0")
    write_project(tmp_path, {"requirements.txt": "alpha>=1\n", "wsgi.py": STUB})
    report = run(tmp_path, select=("LE401", "LE407"), resolve=True)
    assert located(report, "LE407") == []
    assert [f.message.endswith("(lean-lint does not know which major is current)") for f in report.active] == [True]
    assert list(report.notices) == [
        "--resolve: pip did not finish within 0 s; the resolver's findings are missing (set "
        "LEAN_LINT_RESOLVE_TIMEOUT to wait longer)"
    ]


def test_no_pip_runs_without_resolve(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("pip ran without --resolve")

    monkeypatch.setattr(resolve._Resolver, "run", refuse)
    write_project(tmp_path, {"requirements.txt": REQUIREMENTS, "wsgi.py": STUB})
    report = run(tmp_path)
    assert located(report, "LE407") == []


def test_paths_urls_and_variables_are_not_given_to_pip(tmp_path, pip_env):
    write_project(tmp_path, {
        "requirements.txt": "-e .\n./libs/x\nhttps://example.com/y-1.0.tar.gz\n${PKG}==1\nalpha>=1\n",
        "setup.py": "raise SystemExit('lean-lint must not run this')\n", "libs/x/setup.py": "",
        "leanengine.yaml": "exposeEnvironmentsOnBuild: true\n",
    })
    resolution = resolve.project_resolution(_project(tmp_path))
    assert resolution.problems == [] and resolution.notices == []
    assert resolution.versions == {"alpha": "2.3.1"}


def test_the_action_input_resolve(tmp_path, pip_env, monkeypatch, capsys):
    from tests.test_action import FakeRunner

    gh = FakeRunner(tmp_path, monkeypatch, capsys)
    gh.write({"requirements.txt": "nosuch==1.0\n", "wsgi.py": STUB, ".lean-lint.toml": 'select = ["LE407"]\n'})
    quiet = gh.run()
    assert quiet.code == 0 and gh.outputs()["findings"] == "0"
    result = gh.run(resolve="true")
    assert result.code == 1
    assert result.annotations == [
        "::error file=requirements.txt,line=1,col=1,endLine=1,endColumn=11,title=LE407::`nosuch==1.0`: the index has "
        "no distribution named nosuch for Linux x86_64 and Python 3.13 (the platform's default) (no such name, or "
        "files for other platforms or Pythons only): pip stops with \"No matching distribution found\" and the "
        "install step fails%0AFix: Check the name on the index (a typo, or a module name instead of the distribution's)."
    ]
    bad = gh.run(resolve="yes")
    assert bad.code == 2 and "input `resolve` must be `true` or `false`" in bad.stderr


def _project(root: Path):
    from analyzer.model.project import Project
    from analyzer.readers.config import Config

    import dataclasses

    return Project(root, dataclasses.replace(Config(), resolve=True))


def test_a_resolve_run_is_never_replayed(tmp_path, index):
    # The index changes without the project changing: the second run must ask pip again.
    own_index = tmp_path / "index"
    fixture_index(own_index)
    project = tmp_path / "app"
    write_project(project, {"requirements.txt": "latecomer==1.0\n", "wsgi.py": STUB})
    env = isolated_pip_env(own_index) | {"LEAN_LINT_CACHE_DIR": str(tmp_path / "cache")}
    command = [sys.executable, "-m", "analyzer", str(project), "--resolve", "--select", "LE407"]
    first = subprocess.run(command, capture_output=True, text=True, timeout=300, env=env)
    assert first.returncode == 1 and "latecomer" in first.stdout
    from tests.pkgindex import wheel

    wheel(own_index, "latecomer", "1.0")
    second = subprocess.run(command, capture_output=True, text=True, timeout=300, env=env)
    assert second.returncode == 0, second.stdout
