"""The pre-commit hook for real: `pre-commit try-repo` on temporary git repositories.

try-repo clones the hook repository at its HEAD, so the hook repository here is a fresh git
repository holding this working tree's package (uncommitted changes included), not the checkout
itself. pre-commit then builds the hook's environment with pip, from PyPI, in a store of its own for
each run: that takes most of this module's time (a pip cache shared by the two runs shortens the
second).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import write_project

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
#: What the hook repository needs: the manifest and what `pip install .` reads.
HOOK_REPO_FILES = (".pre-commit-hooks.yaml", "pyproject.toml", "README.md", "LICENSE", "analyzer", "schemas")

CLEAN_APP = {
    "wsgi.py": """
        import os

        import leancloud
        from flask import Flask

        app = Flask(__name__)


        @app.route("/")
        def index():
            return "Hello from Cloud Engine"


        leancloud.init(
            os.environ["LEANCLOUD_APP_ID"],
            app_key=os.environ["LEANCLOUD_APP_KEY"],
            master_key=os.environ["LEANCLOUD_APP_MASTER_KEY"],
        )
        application = leancloud.Engine(app)
        """,
    "requirements.txt": "leancloud>=2.9.1,<3.0.0\nFlask>=2.0,<4.0\n",
    ".python-version": "3.12\n",
    "README.md": "An app.\n",
}


def git(cwd: Path, *args: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull)
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, timeout=60)


def git_repo(path: Path, files: dict, *, commit: bool = True) -> Path:
    write_project(path, files) if files else path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q")
    git(path, "config", "user.email", "tests@lean-lint.invalid")
    git(path, "config", "user.name", "lean-lint tests")
    git(path, "config", "commit.gpgsign", "false")
    git(path, "add", "-A")
    if commit:
        git(path, "commit", "-q", "-m", "snapshot")
    return path


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory) -> Path:
    repo = tmp_path_factory.mktemp("hook-repo")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for name in HOOK_REPO_FILES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, repo / name, ignore=ignore)
        elif src.is_file():
            shutil.copy2(src, repo / name)
    return git_repo(repo, {})


@pytest.fixture(scope="module")
def pip_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pip-cache")


def try_repo(project: Path, hook_repo: Path, pip_cache: Path) -> subprocess.CompletedProcess:
    exe = BIN / "pre-commit"
    command = [str(exe)] if exe.is_file() else [sys.executable, "-m", "pre_commit"]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT", "INPUT_", "GITHUB_"))}
    # try-repo installs the hook into a store of its own each time: a shared pip cache spares the
    # second run the downloads.
    env.update(PRE_COMMIT_COLOR="never", PIP_CACHE_DIR=str(pip_cache), PIP_DISABLE_PIP_VERSION_CHECK="1")
    env.pop("PIP_NO_CACHE_DIR", None)
    return subprocess.run(
        [*command, "try-repo", str(hook_repo), "lean-lint", "--all-files"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def test_hook_fails_on_a_broken_project_and_shows_the_findings(tmp_path, hook_repo, pip_cache):
    broken = dict(CLEAN_APP, **{"wsgi.py": "application = (\n", "lib/old.py": 'print "hello"\n'})
    project = git_repo(tmp_path / "app", broken, commit=False)  # staged is enough for --all-files
    proc = try_repo(project, hook_repo, pip_cache)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert "lean-lint" in out and "Failed" in out
    assert "- exit code: 1" in out
    assert "wsgi.py:1:15: LE001 '(' was never closed" in out
    assert "lib/old.py:1:1: LE001 Missing parentheses in call to 'print'" in out


def test_hook_passes_on_a_clean_project(tmp_path, hook_repo, pip_cache):
    project = git_repo(tmp_path / "app", CLEAN_APP)
    proc = try_repo(project, hook_repo, pip_cache)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert "lean-lint" in out and "Passed" in out
