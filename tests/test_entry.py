"""The command's entry point: an unchanged re-run is replayed without importing the analyzer, and
anything that changes an input (a file, the options, lean-lint's code) runs the analysis again."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from analyzer.cli.replay import _replayable
from analyzer.support.tree import tree_signature
from tests.helpers import write_project

PROBE = (
    "import sys; from analyzer.cli.replay import main; code = main(sys.argv[1:]); "
    "sys.stdout.flush(); print('CLI-IMPORTED' if 'analyzer.cli.main' in sys.modules else 'REPLAYED', code, file=sys.stderr)"
)


def lint(*args, env):
    return subprocess.run([sys.executable, "-c", PROBE, *map(str, args)], capture_output=True, text=True, env=env, timeout=120)


@pytest.fixture
def env(tmp_path):
    return {**os.environ, "LEAN_LINT_CACHE_DIR": str(tmp_path / "cache")}


def test_unchanged_rerun_is_replayed_exactly(tmp_path, env):
    project = write_project(tmp_path / "p", {"wsgi.py": "x = (\n", "requirements.txt": "flask\n"})
    first = lint(project, "--format", "json", env=env)
    second = lint(project, "--format", "json", env=env)
    assert first.stderr.splitlines()[-1] == "CLI-IMPORTED 1"
    assert second.stderr.splitlines()[-1] == "REPLAYED 1"
    assert second.stdout == first.stdout and second.stderr.splitlines()[:-1] == first.stderr.splitlines()[:-1]


def test_a_changed_file_is_analyzed_again(tmp_path, env):
    project = write_project(tmp_path / "p", {"wsgi.py": "x = (\n"})
    lint(project, "--select", "LE001", env=env)
    (project / "wsgi.py").write_text("x = 1\n")
    again = lint(project, "--select", "LE001", env=env)
    assert again.stderr.splitlines()[-1] == "CLI-IMPORTED 0"
    assert again.stdout == "No problems found.\n"


def test_other_options_are_another_record(tmp_path, env):
    project = write_project(tmp_path / "p", {"wsgi.py": "x = (\n"})
    lint(project, "--select", "LE001", env=env)
    other = lint(project, "--select", "LE001", "--fail-on", "never", env=env)
    assert other.stderr.splitlines()[-1] == "CLI-IMPORTED 0"


@pytest.mark.parametrize(
    "argv,expected",
    [
        ([], (".", [])),
        (["app", "--format", "sarif", "--select=LE2"], ("app", [])),
        (["--config", "c.toml", "--baseline", "b.json", "app"], ("app", ["c.toml", "b.json"])),
        (["app", "--fix"], None),
        (["--diff"], None),
        (["app", "--output", "x.json"], None),
        (["app", "--no-cache"], None),
        (["app", "--write-baseline", "b.json"], None),
        (["rules"], None),
        (["init"], None),
        (["app", "--some-new-option"], None),
        (["a", "b"], None),
    ],
)
def test_only_read_only_runs_are_replayable(argv, expected):
    assert _replayable(argv) == expected


def test_signature_sees_content_size_and_new_files_but_skips_vendored_dirs(tmp_path):
    write_project(tmp_path, {"a.py": "x = 1\n", "node_modules/x/y.js": "1"})
    first = tree_signature(str(tmp_path))
    (tmp_path / "node_modules" / "x" / "y.js").write_text("22")
    assert tree_signature(str(tmp_path)) == first
    (tmp_path / "b.txt").write_text("")
    assert tree_signature(str(tmp_path)) != first
