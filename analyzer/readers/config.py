"""lean-lint's own configuration: `[tool.lean-lint]` in pyproject.toml, or `.lean-lint.toml`.

Unknown keys and wrong types are errors (exit 2) that name the key: a typo in a linter's config
that silently does nothing is exactly the kind of bug lean-lint exists to catch in leanengine.yaml.
"""

from __future__ import annotations

import difflib
import os
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path

from analyzer.errors import ConfigError
from analyzer.readers.python import UnreadableFile, read_bytes
from analyzer.types import Severity

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

CONFIG_FILES = (".lean-lint.toml", "pyproject.toml")
DEFAULT_WRITE_ROOTS = ("/home/leanengine/tmp",)


@dataclass(frozen=True)
class Config:
    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    fail_on: str = "error"
    write_roots: tuple[str, ...] = DEFAULT_WRITE_ROOTS
    module_map: tuple[tuple[str, str], ...] = ()
    #: `--resolve` (command line or the Action's input only, never a config file: no network unless asked).
    resolve: bool = False
    source: str | None = None  # the file it came from, for messages
    extra: dict = field(default_factory=dict, compare=False, repr=False)


FAIL_ON_VALUES = ("error", "warning", "note", "never")
KNOWN_KEYS = ("select", "ignore", "exclude", "per-file-ignores", "fail-on", "write-roots", "module-map")


def fail_on_threshold(value: str) -> Severity | None:
    """`never` means no threshold."""
    return None if value == "never" else Severity.parse(value)


def _codes(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: expected a list of rule codes such as [\"LE201\", \"LE5\"]")
    # Checked against the rules by the engine (analyzer.engine.registry.check_codes), which knows them.
    return tuple(v.strip().upper() for v in value)


def _strings(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: expected a list of strings")
    return tuple(value)


def parse_codes_arg(text: str) -> tuple[str, ...]:
    """`--select LE2,LE501` on the command line (checked against the rules by the engine)."""
    return tuple(c.strip().upper() for c in text.split(",") if c.strip())


def from_table(table: dict, source: str) -> Config:
    values: dict = {"source": source}
    for key, value in table.items():
        where = f"{source}: {key}"
        if key not in KNOWN_KEYS:
            near = difflib.get_close_matches(key, KNOWN_KEYS, n=1)
            hint = f" (did you mean {near[0]!r}?)" if near else f" (known keys: {', '.join(KNOWN_KEYS)})"
            raise ConfigError(f"{source}: unknown key {key!r}{hint}")
        if key in ("select", "ignore"):
            values[key] = _codes(value, where)
        elif key == "exclude":
            values["exclude"] = _strings(value, where)
        elif key == "write-roots":
            roots = _strings(value, where)
            for root in roots:
                if not root.startswith("/"):
                    raise ConfigError(f"{where}: {root!r} must be an absolute path on the platform")
            values["write_roots"] = roots
        elif key == "fail-on":
            if value not in FAIL_ON_VALUES:
                raise ConfigError(f"{where}: expected one of {', '.join(FAIL_ON_VALUES)}, got {value!r}")
            values["fail_on"] = value
        elif key == "per-file-ignores":
            if not isinstance(value, dict):
                raise ConfigError(f"{where}: expected a table of glob = [codes]")
            values["per_file_ignores"] = tuple(
                (str(glob), _codes(codes, f"{where}.{glob}")) for glob, codes in value.items()
            )
        elif key == "module-map":
            if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
                raise ConfigError(f"{where}: expected a table of import-name = \"distribution\"")
            values["module_map"] = tuple((str(k), v) for k, v in value.items())
    return Config(**values)


MAX_CONFIG_BYTES = 1024 * 1024


def _project_file(root: Path, path: Path) -> bool:
    """A config file found in the project is read only when it is a regular file inside it: a fork's
    pull request must not make lean-lint read a file elsewhere on the machine through a link."""

    try:
        real = Path(os.path.realpath(path))
        real_root = Path(os.path.realpath(root))
        return stat.S_ISREG(os.stat(real).st_mode) and (real_root == real.parent or real_root in real.parents)
    except (OSError, ValueError):
        return False


def _read_toml(path: Path) -> dict:
    """A config file's TOML: a regular file of at most MAX_CONFIG_BYTES (a FIFO, a device such as
    /dev/zero or a huge file is refused before a byte is read: none can block or fill memory)."""
    try:
        data = read_bytes(path, MAX_CONFIG_BYTES)
    except UnreadableFile as why:
        if not os.path.lexists(path):
            raise ConfigError(f"{path}: no such file") from None
        raise ConfigError(f"{path}: cannot read: {why}") from None
    try:
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: cannot read: not UTF-8 ({exc.reason} at byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(f"{path}: invalid TOML: nested too deeply") from None


def load_config(root: Path, explicit: Path | None = None) -> Config:
    """The config for the project at `root`: `explicit` if given, else the first of CONFIG_FILES that
    has lean-lint settings. No config file means the defaults."""
    candidates = [explicit] if explicit is not None else [root / name for name in CONFIG_FILES]
    for path in candidates:
        if explicit is None and not _project_file(root, path):
            continue
        data = _read_toml(path)
        tool = data.get("tool", {})
        if path.name == "pyproject.toml":
            table = tool.get("lean-lint") if isinstance(tool, dict) else None
            if table is None:
                if explicit is not None:
                    raise ConfigError(f"{path}: no [tool.lean-lint] table")
                continue
        elif "tool" in data:
            # .lean-lint.toml: top-level keys, or a [tool.lean-lint] table like pyproject's.
            if not isinstance(tool, dict) or "lean-lint" not in tool:
                raise ConfigError(f"{path}: `tool` must be a table holding a [tool.lean-lint] table")
            table = tool["lean-lint"]
        else:
            table = data
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: [tool.lean-lint] must be a table")
        return from_table(table, str(path))
    return Config()
