"""The `lean-lint` command's entry point: an unchanged re-run is answered from the record of the last.

A pre-commit hook runs lean-lint again and again on a project that has not changed. Before anything
heavy is imported (libcst, PyYAML, jsonschema, even lean-lint's own engine), this module compares a
signature of every input with the one recorded by the last run of the same command: the path, size,
modification time and inode of every file in the project (the directories lean-lint never reads
pruned, as discovery prunes them), lean-lint's own code, the Python version, the options, the
working directory and the environment that changes the output. When they match, it prints what that
run printed and exits with its code; otherwise it runs the analysis (whose own cache is keyed by
file content) and records the result. Only read-only runs are recorded: not --fix, --diff,
--add-ignore, --write-baseline, --output, --no-cache, or the rules / explain / init / server commands.

Only the standard library is imported here, and this module imports nothing else of lean-lint's on
the replay path.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile

from analyzer.support.cachedir import NoCacheHome, cache_home, code_salt, enforce_cap, touch
from analyzer.support.tree import looked_at, outside_signature, stat_signature, tree_signature

_READ_ONLY_BLOCKERS = frozenset(
    {"--fix", "--diff", "--add-ignore", "--write-baseline", "--output", "-o", "--no-cache", "--help", "-h",
     "--version", "--unsafe-fixes", "--exit-non-zero-on-fix", "--resolve"}
)
_VALUED = frozenset(
    {"--format", "--fail-on", "--select", "--ignore", "--config", "--baseline", "--jobs", "-j", "--output-format"}
)
#: Read-only switches that only shape the output: part of the key, like every word of the command.
_SWITCHES = frozenset({"--statistics", "--show-fixes"})
_ENV_KEYS = ("NO_COLOR", "FORCE_COLOR", "TERM", "LEAN_LINT_CACHE_DIR", "XDG_CACHE_HOME", "HOME")


def _replayable(argv: list[str]) -> tuple[str, list[str]] | None:
    """(project path, files named by options) for a read-only analysis run, else None."""
    if argv and argv[0] in ("rules", "explain", "init", "clean", "server"):
        return None
    path, extra = None, []
    i = 0
    while i < len(argv):
        word = argv[i]
        name = word.split("=", 1)[0]
        if name in _READ_ONLY_BLOCKERS:
            return None
        if word in _SWITCHES:
            i += 1
            continue
        if name in _VALUED:
            value = word.split("=", 1)[1] if "=" in word else (argv[i + 1] if i + 1 < len(argv) else None)
            if value is None:
                return None
            if name in ("--config", "--baseline"):
                extra.append(value)
            i += 1 if "=" in word else 2
            continue
        if word.startswith("-") and word != "-":
            return None  # an option this module does not know: leave it to the full parser
        if path is not None:
            return None
        path = word
        i += 1
    return (path or "."), extra


def _key(argv: list[str], files: list[str]) -> str:
    h = hashlib.sha1()
    h.update(json.dumps([argv, os.getcwd(), sys.version, sys.executable]).encode("utf-8", "surrogateescape"))
    h.update(json.dumps({k: os.environ.get(k) for k in _ENV_KEYS}).encode("utf-8", "surrogateescape"))
    h.update(f"{sys.stdout.isatty()}{sys.stderr.isatty()}".encode())
    for name in files:
        try:
            st = os.stat(name)
            h.update(f"{name}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ino}\n".encode("utf-8", "surrogateescape"))
        except OSError:
            h.update(f"{name}\0missing\n".encode("utf-8", "surrogateescape"))
    return h.hexdigest()


def _record_path(key: str) -> str:
    return os.path.join(cache_home(), f"run-{key[:24]}.json")


class _Tee:
    """Passes writes through and keeps a copy (isatty and the rest come from the real stream).

    `unrecorded` is the real stream, for what a replay must not repeat: the progress indicator and
    the closing line with the run's time (a replay takes no time to speak of)."""

    def __init__(self, stream) -> None:
        self._stream = stream
        self.unrecorded = stream
        self.copy: list[str] = []

    def write(self, text: str) -> int:
        self.copy.append(text)
        return self._stream.write(text)

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    plan = _replayable(argv)
    if plan is None or not os.path.isdir(plan[0]):
        # start-up: an unchanged re-run is replayed before any of this is imported
        from analyzer.cli.main import main as run

        return run(argv)
    root, files = plan
    try:
        key = _key(argv, files)
        signature = code_salt() + tree_signature(root)
    except (OSError, ValueError):
        # start-up: an unchanged re-run is replayed before any of this is imported
        from analyzer.cli.main import main as run

        return run(argv)
    try:
        record = _record_path(key)
    except NoCacheHome:  # the run below says so in a notice
        # start-up: an unchanged re-run is replayed before any of this is imported
        from analyzer.cli.main import main as run

        return run(argv)
    try:
        with open(record, encoding="utf-8") as handle:
            doc = json.load(handle)
        extra = doc.get("extra")
        if (
            doc.get("signature") == signature
            and doc.get("code") in (0, 1)
            and isinstance(extra, list)
            and all(isinstance(p, str) for p in extra)
            and doc.get("extra_signature") == stat_signature(extra)
        ):
            touch(record)  # its last use, for the cache directory's size cap
            sys.stdout.write(doc["stdout"])
            sys.stderr.write(doc["stderr"])
            return doc["code"]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass  # no record, or an unreadable one: run

    # start-up: an unchanged re-run is replayed before any of this is imported
    from analyzer.cli.main import main as run

    looked_at.clear()
    out, err = _Tee(sys.stdout), _Tee(sys.stderr)
    real_out, real_err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        code = run(argv)
    finally:
        sys.stdout, sys.stderr = real_out, real_err
    if code in (0, 1):
        try:
            # Files the run read where the tree signature does not look (`-r env/prod.txt`, a
            # `buildRoot: build`): the record keeps their stat too.
            extra = outside_signature(os.path.realpath(root), set(looked_at))
            if code_salt() + tree_signature(root) == signature:  # nothing changed during the run
                os.makedirs(cache_home(), exist_ok=True)
                fd, tmp = tempfile.mkstemp(dir=cache_home(), prefix=".tmp-run-", suffix=".json")
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    json.dump({"signature": signature, "extra": extra, "extra_signature": stat_signature(extra),
                               "code": code, "stdout": "".join(out.copy),
                               "stderr": "".join(err.copy)}, handle)
                os.replace(tmp, record)
                enforce_cap(cache_home(), keep=record)
        except OSError:
            pass
    return code
