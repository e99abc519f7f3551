"""Shared by the project rules (LE101, LE102, LE105)."""

from __future__ import annotations

import json
import os
from typing import Any

from analyzer.readers.python import UnreadableFile


def _anchor(project, *candidates: str) -> str:
    """The first candidate that is a regular file; else the build root folder (`` for the analyzed
    directory, `api/`), never line 1 of a file that is not there."""
    for rel in candidates:
        if project.is_file(rel):
            return rel
    return project.build_prefix


def not_a_project_message(candidates: list[str]) -> str:
    """LE101 on a folder with none of the files the platform looks for, naming subfolders that are projects."""
    message = "no wsgi.py, requirements.txt or leanengine.yaml here: not a Cloud Engine project"
    if not candidates:
        return message
    names = [f"`{c}`" for c in candidates]
    if len(names) == 1:
        return f"{message}; {names[0]} looks like one"
    return f"{message}; {', '.join(names[:-1])} and {names[-1]} look like ones"


def _absent_kind(project, rel: str) -> str | None:
    """None when `rel` is usable as a file (or a link out of the project lean-lint does not follow);
    else "missing", "a directory" or "not a regular file"."""
    if project.is_file(rel):
        return None
    st = project.lstat(rel)
    if st is None:
        return "missing"
    if not project.exists(rel):
        return None if _link_target_exists(project, rel) else "missing"
    return "a directory" if project.is_dir(rel) else "not a regular file (a FIFO, socket or device)"


def _leanignored(project, rel: str) -> bool:
    """Is `rel` (or a directory above it) excluded by .leanignore? lean-cli does not upload it."""
    return bool(project.leanignore) and project.leanignore.matches_path_or_parent(rel)


def _link_target_exists(project, rel: str) -> bool:
    return os.path.exists(project.abspath(rel))


def _has_run(project) -> bool:
    run = project.le_value("run")
    return run is not None and not (isinstance(run, str) and not run.strip())


def _default_install_runs(project) -> bool:
    """Does the install step run the runtime's own `pip install -r requirements.txt`?"""
    install = project.le_value("install")
    if install is None:
        return True
    if isinstance(install, list):
        return any(isinstance(step, dict) and step.get("use") == "default" for step in install)
    return False


def package_start_script(project, rel: str) -> str | None:
    """`scripts.start` of a package.json, read as lean-cli's Go code reads it (BOM stripped; keys
    matched case-insensitively, the last one winning; any type mismatch or invalid JSON means none)."""
    try:
        data = project.read_bytes(rel)
    except UnreadableFile:
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        pairs = json.loads(data.decode("utf-8", errors="replace"), object_pairs_hook=lambda p: ("obj", p))
    except (ValueError, RecursionError):
        return None
    scripts = _go_field(pairs, "scripts")
    if scripts is None:
        return None
    start = _go_field(scripts, "start")
    return start if isinstance(start, str) and start else None


def _go_field(node: Any, key: str) -> Any:
    if not (isinstance(node, tuple) and len(node) == 2 and node[0] == "obj"):
        return None
    value = None
    for name, item in node[1]:
        if isinstance(name, str) and name.lower() == key:
            value = item
    return value
