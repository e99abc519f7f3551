"""The project tree as lean-lint walks it: what it prunes, and a signature of what it may read."""

from __future__ import annotations

import hashlib
import os

#: Directories never uploaded or never the app's code: discovery and the signature prune them.
SKIP_DIRS = frozenset(
    {
        ".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv", ".env", "env",
        ".tox", ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".eggs", "build", "dist",
        "site-packages", ".lean-lint-cache", ".idea", ".vscode", ".hypothesis",
    }
)


def is_environment(path: str) -> bool:
    """A virtual or conda environment under a name SKIP_DIRS does not know."""
    return os.path.exists(os.path.join(path, "pyvenv.cfg")) or os.path.isdir(os.path.join(path, "conda-meta"))


def tree_signature(root: str) -> str:
    """Every file and directory under `root` that lean-lint may read, by path, size, mtime and inode."""
    h = hashlib.sha1()
    stack = [""]
    while stack:
        rel = stack.pop()
        try:
            with os.scandir(os.path.join(root, rel) if rel else root) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            h.update(f"!{rel}:{exc.errno}\n".encode("utf-8", "surrogateescape"))
            continue
        for entry in entries:
            path = f"{rel}/{entry.name}" if rel else entry.name
            try:
                st = entry.stat(follow_symlinks=False)
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                continue
            h.update(f"{path}\0{st.st_mode}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ino}\n".encode("utf-8", "surrogateescape"))
            if entry.is_symlink():
                try:
                    target = os.readlink(entry.path)
                    real = os.stat(entry.path)
                    h.update(f"->{target}\0{real.st_size}\0{real.st_mtime_ns}\n".encode("utf-8", "surrogateescape"))
                except OSError:
                    pass
            if is_dir and entry.name not in SKIP_DIRS and not is_environment(entry.path):
                stack.append(path)
    return h.hexdigest()


#: Every path (absolute) the run looked at: listed directories, files read or stat'ed. The command's
#: replay record keeps the stat of those tree_signature prunes (`-r env/prod.txt`, `buildRoot: build`).
looked_at: set[str] = set()


def outside_signature(root: str, paths: set[str]) -> list[str]:
    """The paths tree_signature does not cover: under a pruned directory, or outside `root`."""
    out = []
    environments: dict[str, bool] = {}

    def environment(folder: str) -> bool:
        if folder not in environments:
            environments[folder] = is_environment(folder)
        return environments[folder]

    for path in paths:
        rel = os.path.relpath(path, root)
        parts = rel.split(os.sep)
        if parts[0] == ".." or any(part in SKIP_DIRS for part in parts) or os.path.isabs(rel):
            out.append(path)
        elif any(environment(os.path.join(root, *parts[:i])) for i in range(1, len(parts))):
            out.append(path)
    return sorted(out)


def stat_signature(paths: list[str]) -> str:
    """Type, size, mtime and inode of each path (following links), or that it is missing."""
    h = hashlib.sha1()
    for path in paths:
        try:
            st = os.stat(path)
            h.update(f"{path}\0{st.st_mode}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ino}\n".encode("utf-8", "surrogateescape"))
        except (OSError, ValueError):
            h.update(f"{path}\0-\n".encode("utf-8", "surrogateescape"))
    return h.hexdigest()
