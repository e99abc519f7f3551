"""Where lean-lint keeps its cache, and the salt that invalidates it when lean-lint's code changes."""

from __future__ import annotations

import hashlib
import os


def cache_home() -> str:
    explicit = os.environ.get("LEAN_LINT_CACHE_DIR")
    if explicit:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "lean-lint")


def code_salt() -> str:
    """Changes whenever lean-lint's own code does (every module's path, size and mtime)."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # analyzer/
    h = hashlib.sha1()
    for dirpath, dirnames, filenames in os.walk(package):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in sorted(filenames):
            if name.endswith((".py", ".json")):
                path = os.path.join(dirpath, name)
                try:
                    st = os.stat(path)
                except OSError:
                    continue
                h.update(f"{os.path.relpath(path, package)}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    return h.hexdigest()
