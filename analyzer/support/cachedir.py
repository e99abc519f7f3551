"""Where lean-lint keeps its cache, the salt that invalidates it when lean-lint's code changes, and
the folder's upkeep: a size cap with least-recently-used eviction, and `lean-lint clean`.

lean-lint's files there are `<20 hex digits>.json` (one project's analysis cache,
analyzer/engine/cache.py), `run-<24 hex digits>.json` (the record of one command line's last run,
analyzer/cli/replay.py), and `.tmp-*.json` while one of those is being written. A run that uses a
file touches it, so its mtime is its last use; after writing one, lean-lint removes the least
recently used until the total is within the cap: `$LEAN_LINT_CACHE_MAX_SIZE` (bytes, or with a K, M
or G suffix: `200M`; 0 keeps only the file just written), 64 MiB when unset or unreadable. A
temporary file is removed once it is an hour old (a run that was killed while writing). Nothing else
in the folder is ever touched: `$LEAN_LINT_CACHE_DIR` may name a folder that holds other files.
Standard library only (`os`, `time`): analyzer/cli/replay.py imports this on its fast path.
"""

from __future__ import annotations

import hashlib
import os
import time


class NoCacheHome(Exception):
    """The cache has no usable location; `str()` says why, for a one-line notice."""


def cache_home() -> str:
    """`$LEAN_LINT_CACHE_DIR`, else `$XDG_CACHE_HOME/lean-lint`, else `~/.cache/lean-lint`.

    Raise NoCacheHome when the folder would be a relative path: a relative XDG_CACHE_HOME (the XDG
    spec calls it invalid) or no usable HOME would put the cache wherever lean-lint runs, which is
    often the analyzed project itself (a CI job with HOME unset)."""
    explicit = os.environ.get("LEAN_LINT_CACHE_DIR")
    if explicit:
        return os.path.abspath(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg:
        if not os.path.isabs(xdg):
            raise NoCacheHome(f"XDG_CACHE_HOME is a relative path ({xdg!r})")
        return os.path.join(xdg, "lean-lint")
    home = os.path.expanduser("~")
    if not os.path.isabs(home):  # no HOME and no entry in the password database
        raise NoCacheHome("HOME is not set")
    return os.path.join(home, ".cache", "lean-lint")


def cache_off_notice(why: NoCacheHome) -> str:
    return f"the cache is off: {why}; set LEAN_LINT_CACHE_DIR (or XDG_CACHE_HOME) to an absolute path"


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


DEFAULT_MAX_BYTES = 64 * 1024 * 1024
MAX_SIZE_ENV = "LEAN_LINT_CACHE_MAX_SIZE"
STALE_TEMP_SECONDS = 3600
_HEX = frozenset("0123456789abcdef")
_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


def max_bytes(env=None) -> int:
    value = (os.environ if env is None else env).get(MAX_SIZE_ENV, "").strip().lower()
    value = value.removesuffix("ib").removesuffix("b")  # 64MiB, 64MB, 64M
    unit = value[-1:] if value[-1:] in _UNITS else ""
    number = value[: len(value) - len(unit)].strip()
    if not (number.isascii() and number.isdigit()):
        return DEFAULT_MAX_BYTES
    return int(number) * _UNITS[unit]


def _is_hex(text: str, length: int) -> bool:
    return len(text) == length and set(text) <= _HEX


def is_entry(name: str) -> bool:
    """A cache or run-record file lean-lint wrote."""
    if not name.endswith(".json"):
        return False
    stem = name[: -len(".json")]
    return _is_hex(stem, 20) or (stem.startswith("run-") and _is_hex(stem[4:], 24))


def is_temporary(name: str) -> bool:
    return name.startswith(".tmp-") and name.endswith(".json")


def _files(directory: str) -> list[tuple[str, str, os.stat_result]]:
    """(name, path, stat) of lean-lint's regular files in `directory` (symlinks are not followed)."""
    out = []
    try:
        with os.scandir(directory) as it:
            for entry in it:
                if not (is_entry(entry.name) or is_temporary(entry.name)):
                    continue
                try:
                    if entry.is_file(follow_symlinks=False):
                        out.append((entry.name, entry.path, entry.stat(follow_symlinks=False)))
                except OSError:
                    continue
    except (FileNotFoundError, NotADirectoryError):
        pass
    return out


def touch(path: str | os.PathLike) -> None:
    """Mark a cache file as just used."""
    try:
        os.utime(path)
    except OSError:
        pass


def _remove(path: str) -> bool:
    try:
        os.unlink(path)
        return True
    except FileNotFoundError:
        return False  # another run removed it first


def enforce_cap(directory: str | os.PathLike, keep: str | os.PathLike | None = None, limit: int | None = None,
                now: float | None = None) -> int:
    """Remove the least recently used files until lean-lint's files total at most `limit` bytes
    (default: max_bytes()); `keep` (the file just written) stays. Returns the bytes removed; never
    raises for a file it cannot remove."""
    limit = max_bytes() if limit is None else limit
    now = time.time() if now is None else now
    keep_name = os.path.basename(keep) if keep is not None else None
    removed, entries = 0, []
    for name, path, st in _files(os.fspath(directory)):
        if is_temporary(name):
            if now - st.st_mtime > STALE_TEMP_SECONDS:
                try:
                    removed += st.st_size if _remove(path) else 0
                except OSError:
                    pass
            continue
        entries.append((st.st_mtime_ns, name, path, st.st_size))
    total = sum(size for *_, size in entries)
    for _, name, path, size in sorted(entries):
        if total <= limit:
            break
        if name == keep_name:
            continue
        try:
            if _remove(path):
                removed += size
        except OSError:
            continue
        total -= size
    return removed


def clean(directory: str | os.PathLike) -> tuple[int, int]:
    """Remove every file lean-lint wrote in `directory`: (files, bytes) removed. OSError (a file
    that cannot be removed) propagates."""
    count = size = 0
    for _, path, st in _files(os.fspath(directory)):
        if _remove(path):
            count += 1
            size += st.st_size
    return count, size


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024**2:
        return f"{size / 1024:.1f} KiB"
    return f"{size / 1024**2:.1f} MiB"
