"""`lean-lint init`: set a project up for lean-lint without overwriting anything it finds.

`leanengine.yaml` goes into the project. The pre-commit config and the GitHub workflow go where
pre-commit and GitHub read them, the repository's root (the nearest folder up from the project that
holds `.git`, else the project itself); for a project in a subfolder of its repository they name the
subfolder: the hook's `args` and `files`, the workflow step's `path`. Files are created through
analyzer.support.safecreate: never over an existing file, never through a symlink.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from analyzer import __version__
from analyzer.support.safecreate import Refused, create_file, existing_kind

SCHEMA_URL = "https://raw.githubusercontent.com/lean-lint/lean-lint/main/schemas/leanengine.schema.json"
SCHEMA_LINE = f"# yaml-language-server: $schema={SCHEMA_URL}"
REPO_URL = "https://github.com/lean-lint/lean-lint"
#: The action versions the generated workflow uses (tests/test_packaging.py checks the README's agree).
CHECKOUT = "actions/checkout@v5"
UPLOAD_SARIF = "github/codeql-action/upload-sarif@v4"
WORKFLOW_PATH = ".github/workflows/lean-lint.yml"
#: When the generated workflow uploads the SARIF report: on pushes, also when lean-lint fails the step
#: because it found problems; not on pull requests, where the step's annotations show the findings and
#: code scanning would show each one a second time (README: "Annotations and code scanning").
UPLOAD_IF = "(success() || failure()) && github.event_name != 'pull_request'"
PRE_COMMIT_PATH = ".pre-commit-config.yaml"

LEANENGINE_YAML = f"""{SCHEMA_LINE}
# Cloud Engine settings. With no `run:`, the platform imports wsgi.py and serves its `application`.
# `lean-lint explain LE302` lists the keys and values the platform accepts.
# run: python wsgi.py
# startupTimeout: 30
"""


def repository_root(project: Path) -> Path:
    """The nearest folder from `project` up that holds `.git` (a folder, or a file in a worktree or
    submodule); the project itself when there is none."""
    for folder in (project, *project.parents):
        if os.path.lexists(folder / ".git"):
            return folder
    return project


def _scalar(text: str) -> str:
    """`text` as a YAML scalar: plain when it reads back as the same string, else double-quoted."""
    if re.fullmatch(r"\^?[A-Za-z0-9_][A-Za-z0-9_./-]*", text) and not re.fullmatch(
        r"(?i)[0-9._-]+|true|false|yes|no|on|off|null|~", text
    ):
        return text
    return json.dumps(text)  # a JSON string is a YAML double-quoted scalar


def _regex_prefix(rel: str) -> str:
    return "^" + re.sub(r"([.^$*+?{}\[\]\\|()])", r"\\\1", rel) + "/"


def pre_commit_hook(rel: str) -> str:
    """The hook entry (under `hooks:`) for the project at `rel` from the repository root."""
    hook = "      - id: lean-lint\n"
    if rel != ".":
        hook += (
            f"        name: {f'lean-lint ({rel})' if _scalar(rel) == rel else json.dumps(f'lean-lint ({rel})')}\n"
            f"        args: [{_scalar(rel)}]\n"
            f"        files: {_scalar(_regex_prefix(rel))}\n"
        )
    return hook


def pre_commit_config(rel: str) -> str:
    return f"repos:\n  - repo: {REPO_URL}\n    rev: v{__version__}\n    hooks:\n" + pre_commit_hook(rel)


def workflow(rel: str) -> str:
    step_inputs = f"        with:\n          path: {_scalar(rel)}\n" if rel != "." else ""
    category = "lean-lint" if rel == "." else _scalar(f"lean-lint-{rel}")
    return f"""name: lean-lint
on:
  push:
    branches: [main]
  pull_request:
permissions:
  contents: read
jobs:
  lean-lint:
    runs-on: ubuntu-latest
    timeout-minutes: 10  # a stuck job stops here, not after GitHub's default of 6 hours
    permissions:
      contents: read
      security-events: write  # upload-sarif sends the report to code scanning
      actions: read           # upload-sarif needs it in private repositories
    steps:
      - uses: {CHECKOUT}
      - uses: lean-lint/lean-lint@v{__version__}
        id: lean-lint
{step_inputs}      - uses: {UPLOAD_SARIF}
        # Code scanning records the findings of each push; on a pull request the annotations show them,
        # once. Upload also when lean-lint fails the step because it found problems.
        if: {UPLOAD_IF}
        with:
          sarif_file: ${{{{ steps.lean-lint.outputs.sarif-file }}}}
          category: {category}
"""


def _shown(path: Path) -> str:
    """`path` as the user finds it: relative to the current directory when under it."""
    try:
        return path.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _read_existing(path: Path) -> str:
    with open(path, "rb") as handle:
        return handle.read(1 << 20).decode("utf-8", "replace")


def init_project(project: Path) -> list[str]:
    """Create what is missing; return one line per file saying what was done or left alone."""
    project = project.resolve()
    repo = repository_root(project)
    rel = project.relative_to(repo).as_posix()
    on_rel = "" if rel == "." else f" on {rel}"
    lines = []

    def create(base: Path, name: str, text: str, done: str, exists) -> None:
        shown = _shown(base / name)
        kind = existing_kind(base / name)
        if kind == "symlink":
            lines.append(f"left alone: {shown} (a symlink: lean-lint init never writes through one)")
        elif kind == "file":
            try:
                lines.append(f"left alone: {shown} ({exists(_read_existing(base / name))})")
            except OSError as exc:
                lines.append(f"left alone: {shown} (it exists; lean-lint cannot read it: {exc.strerror or exc})")
        elif kind == "other":
            lines.append(f"left alone: {shown} (it exists and is not a file)")
        else:
            try:
                create_file(base, name, text)
            except Refused as why:
                lines.append(f"left alone: {shown} ({why}: lean-lint init never writes through one)"
                             if "symlink" in str(why) else f"left alone: {shown} ({why})")
            except OSError as exc:
                lines.append(f"not created: {shown} ({exc.strerror or exc})")
            except UnicodeEncodeError:
                lines.append(f"not created: {shown} (the project's path is not valid UTF-8)")
            else:
                lines.append(f"created: {shown} ({done})")

    def yaml_exists(text: str) -> str:
        if "yaml-language-server: $schema=" in text:
            return "it already names its schema"
        return f"add this first line so editors validate it: {SCHEMA_LINE}"

    def hook_exists(text: str) -> str:
        if "id: lean-lint" in text and (rel == "." or rel in text):
            return f"it already runs lean-lint{on_rel}"
        hook = "{id: lean-lint}" if rel == "." else (
            f"{{id: lean-lint, args: [{_scalar(rel)}], files: {_scalar(_regex_prefix(rel))}}}"
        )
        return f"add this under `repos:`: - repo: {REPO_URL}, rev: v{__version__}, hooks: [{hook}]"

    def workflow_exists(text: str) -> str:
        if rel == ".":
            return "it exists"
        if re.search(rf"path:\s*{re.escape(_scalar(rel))}\s*$", text, re.M):
            return f"it already analyzes {rel}"
        return (f"it exists; to analyze {rel} too, give its lean-lint step `with: path: {_scalar(rel)}`, "
                "or one matrix job per project as in the README's \"A monorepo\"")

    create(project, "leanengine.yaml", LEANENGINE_YAML, "with the schema line editors use to validate it", yaml_exists)
    create(repo, PRE_COMMIT_PATH, pre_commit_config(rel),
           f"runs lean-lint{on_rel}; run `pre-commit install` to enable the hook", hook_exists)
    if "${{" in rel:  # GitHub would evaluate it as an expression in the workflow
        lines.append(f"not created: {_shown(repo / WORKFLOW_PATH)} (the project's path contains `${{{{`)")
    else:
        create(repo, WORKFLOW_PATH, workflow(rel),
               f"runs lean-lint{on_rel}: annotations on pull requests, code scanning on pushes", workflow_exists)
    return lines
