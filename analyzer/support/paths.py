"""Where a finding's path is shown from: the current directory for people, the repository for tools.

Findings carry paths relative to the analyzed directory. A person reads them from where they stand
(`lean-lint examples/broken` prints `examples/broken/wsgi.py:18:14`, clickable in a terminal); GitHub
annotations and code scanning match paths relative to the repository root. Both are a prefix put in
front of the finding's path, computed here once for the CLI and the Action.
"""

from __future__ import annotations

import os
from pathlib import Path


def dir_prefix(base: Path, path: Path) -> str:
    """`path` relative to `base` as a prefix (`services/api/`; `` when they are the same directory).
    Raises ValueError when `path` is not under `base`."""
    rel = path.relative_to(base).as_posix()
    return "" if rel == "." else rel + "/"


def repository_root(path: Path) -> Path | None:
    """The nearest directory at or above `path` holding `.git` (a directory, or the file a worktree or
    a submodule has), as `git rev-parse --show-toplevel` finds it; None outside any repository."""
    for folder in (path, *path.parents):
        if os.path.lexists(folder / ".git"):
            return folder
    return None


def display_prefix(root: Path, given: str, cwd: Path) -> str:
    """The prefix that makes paths under the analyzed `root` relative to the current directory; the
    path as given (normalized) when `root` is not under it (`../other/`, `/srv/app/`)."""
    try:
        return dir_prefix(cwd.resolve(), root.resolve())
    except ValueError:
        norm = os.path.normpath(given).replace(os.sep, "/")
        return "" if norm == "." else norm.rstrip("/") + "/"


def repository_prefix(root: Path, cwd: Path) -> str:
    """The prefix that makes paths under `root` relative to its repository's top level, or to the
    current directory outside a repository (`` when `root` is neither under one nor under the other)."""
    root = root.resolve()
    for base in (repository_root(root), cwd.resolve()):
        if base is None:
            continue
        try:
            return dir_prefix(base, root)
        except ValueError:
            continue
    return ""
