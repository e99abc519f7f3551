"""Shared by the disk rules (LE501, LE502, LE503)."""

from __future__ import annotations

import posixpath
import re
from typing import Any, Iterable

import libcst as cst

from analyzer.model.conditions import ALL, truth
from analyzer.model.values import Prefix, Value
from analyzer.platform.paths import APP_DIR
from analyzer.rules.base import CodeRule
from analyzer.support.visiting import children

TMP_DIR = "/home/leanengine/tmp"


#: Device and process files: writing to them writes to no disk (`/dev/null`, `/dev/stdout`).
_PSEUDO_FILES = ("/dev/", "/proc/", "/sys/")


#: An `if` whose test mentions one of these selects an environment (local, test, production).
_ENVIRONMENT_TEST = re.compile(r"(?i)debug|test|dev|local|env|argv|prod|stag")


#: A config class for local development or tests (`DevelopmentConfig`, `TestingConfig`).
_LOCAL_CLASS = re.compile(r"(?i)dev|test|local")


_URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


class _DiskRule(CodeRule):
    """What the three rules share: names, arguments, environment branches. Not a rule itself."""

    def qualified(self, func: cst.BaseExpression) -> str | None:
        """The dotted name a call's target refers to; `builtins.X` for a name bound nowhere."""
        return self.ctx.resolver.qualified_name(func, builtins=True)

    def bindings(self, name: cst.Name) -> list | None:
        """What the name can be bound to where it is used (None: bound nowhere, a builtin)."""
        return self.ctx.resolver.lookup(name)

    def in_environment_branch(self) -> bool:
        """Inside the body or `else` of an `if` that picks an environment the platform's facts do not
        decide (`if DEBUG:` with DEBUG from a setting, `if os.environ.get('DATABASE_URL'):`): whether
        that branch runs on the platform is unknown. Branches the facts decide (LEANCLOUD_APP_ENV,
        constants, defaults) are the engine's: it drops findings in dead ones (model/conditions.py)."""
        ancestors = self.ctx.ancestors
        resolver = self.ctx.resolver
        for node, child in zip(ancestors, ancestors[1:]):
            if isinstance(node, cst.If) and child is not node.test:
                if all(truth(resolver, node.test, env) is not None for env in ALL):
                    continue
                if any(_ENVIRONMENT_TEST.search(word) for word in _words(node.test)):
                    return True
        return False

    def in_local_config_class(self) -> bool:
        return any(isinstance(n, cst.ClassDef) and _LOCAL_CLASS.search(n.name.value) for n in self.ctx.ancestors)

    def at_module_level(self) -> bool:
        return not any(isinstance(n, (cst.FunctionDef, cst.ClassDef, cst.Lambda)) for n in self.ctx.ancestors[:-1])

    def resolve(self, expr: cst.BaseExpression) -> Value:
        return self.ctx.resolver.resolve(expr)

    def resolve_path(self, expr: cst.BaseExpression) -> Value:
        return self.ctx.resolver.resolve_path(expr)


def _words(test: cst.CSTNode) -> Iterable[str]:
    """The names, attributes and strings a condition mentions (`settings.DEBUG`, 'dev')."""
    stack = [test]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.Name):
            yield node.value
        elif isinstance(node, cst.SimpleString):
            yield node.value
        stack.extend(children(node))


def _keyword_value(call: cst.Call, name: str) -> cst.Arg | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg
    return None


def _strings(value: Value) -> bool:
    """Every outcome is a string or a known prefix of one."""
    return value.all(lambda o: isinstance(o, (str, Prefix)))


def _text(option: Any) -> str:
    return option.text if isinstance(option, Prefix) else option


def _shown(value: Value) -> str:
    shown = []
    for o in value.options:
        text = f"{o.text}..." if isinstance(o, Prefix) else str(o)
        if text not in shown:
            shown.append(text)
    return " or ".join(shown)


def _unset_note(value: Value) -> str:
    names = value.assumes_unset
    if not names:
        return ""
    verb = "is" if len(names) == 1 else "are"
    return f" (the default while {' and '.join(names)} {verb} unset)"


def _is_stream_file(option: Any) -> bool:
    """/dev/stdout, /dev/stderr, /proc/self/fd/1...: a "file" that is the process's output."""
    return isinstance(option, str) and option.startswith(_PSEUDO_FILES)


def _dict_items(node: cst.BaseExpression) -> Iterable[tuple[Any, cst.BaseExpression]]:
    """(evaluated string key, value) of a dict literal's string-keyed entries."""
    if not isinstance(node, cst.Dict):
        return
    for element in node.elements:
        if isinstance(element, cst.DictElement) and isinstance(element.key, (cst.SimpleString, cst.ConcatenatedString)):
            try:
                key = element.key.evaluated_value
            except Exception:  # noqa: BLE001 - odd escapes
                continue
            yield key, element.value


def _dict_get(node: cst.BaseExpression, key: str) -> cst.BaseExpression | None:
    for k, value in _dict_items(node):
        if k == key:
            return value
    return None


#: Functions that write to a path: qualified name -> (position, keyword) of the path argument.
_WRITE_FUNCS: dict[str, tuple[int, str]] = {
    "os.makedirs": (0, "name"),
    "os.mkdir": (0, "path"),
    "os.rename": (1, "dst"),
    "os.renames": (1, "new"),
    "os.replace": (1, "dst"),
    "shutil.copy": (1, "dst"),
    "shutil.copy2": (1, "dst"),
    "shutil.copyfile": (1, "dst"),
    "shutil.copytree": (1, "dst"),
    "shutil.move": (1, "dst"),
    "numpy.save": (0, "file"),
    "numpy.savez": (0, "file"),
    "numpy.savez_compressed": (0, "file"),
    "numpy.savetxt": (0, "fname"),
    "pandas.ExcelWriter": (0, "path"),
    "matplotlib.pyplot.savefig": (0, "fname"),
    "urllib.request.urlretrieve": (1, "filename"),
    "torch.save": (1, "f"),
    "joblib.dump": (1, "filename"),
}


#: Functions that open a path with a mode: qualified name -> ((path pos, kw), (mode pos, kw)).
#: A missing mode is the default, a read.
_OPEN_FUNCS: dict[str, tuple[tuple[int, str], tuple[int, str]]] = {
    "builtins.open": ((0, "file"), (1, "mode")),
    "io.open": ((0, "file"), (1, "mode")),
    "codecs.open": ((0, "filename"), (1, "mode")),
    "gzip.open": ((0, "filename"), (1, "mode")),
    "bz2.open": ((0, "filename"), (1, "mode")),
    "lzma.open": ((0, "filename"), (1, "mode")),
    "zipfile.ZipFile": ((0, "file"), (1, "mode")),
    "tarfile.open": ((0, "name"), (1, "mode")),
}


#: pathlib methods that write to the path they are called on.
_PATH_METHODS = ("write_text", "write_bytes", "touch", "mkdir")


#: Methods (of objects whose type is rarely known) that write to the path they are given:
#: method -> keywords the path may be passed as (else the first positional argument).
_SAVE_METHODS: dict[str, tuple[str, ...]] = {
    "save": ("fp", "dst", "filename", "fname", "path"),  # Werkzeug uploads, PIL images, openpyxl...
    "savefig": ("fname",),  # matplotlib figures
    "to_csv": ("path_or_buf",),  # pandas
    "to_excel": ("excel_writer",),
    "to_json": ("path_or_buf",),
    "to_parquet": ("path",),
    "to_pickle": ("path",),
    "to_feather": ("path",),
    "to_hdf": ("path_or_buf",),
}


_WRITE_FLAGS = frozenset({"O_WRONLY", "O_RDWR", "O_CREAT", "O_APPEND", "O_TRUNC"})


_CREATES = frozenset({"os.makedirs", "os.mkdir", ".mkdir", ".touch"})


_LOST = "lost on redeploy"


def _is_writing_mode(mode: Any) -> bool:
    """`w`, `ab`, `r+`, `x`, tarfile's `w:gz`: anything but a read."""
    return isinstance(mode, str) and any(c in re.split(r"[:|]", mode)[0] for c in "wax+")


def _is_file_mode(mode: Any) -> bool:
    """A string that can only be an `open()` mode (`Path.open('w')`), not a file name."""
    return isinstance(mode, str) and bool(mode) and set(mode) <= set("rwxabt+") and _is_writing_mode(mode)


def _leaves_roots(option: Any, roots: tuple[str, ...]) -> bool:
    """Is this outcome of a path certainly outside every root? A Prefix only when no continuation
    can reach a root (`/data/...` yes; `/home/leanengine/...` or `/home/leanengine/tmp...` no)."""
    if "/" in roots:
        return False
    if isinstance(option, str):
        if option.startswith(_PSEUDO_FILES):
            return False
        return not any(option == r or option.startswith(r + "/") for r in roots)
    if isinstance(option, Prefix):
        text = option.text
        if text.startswith(_PSEUDO_FILES) or not text.startswith("/"):
            return False
        return not any(r.startswith(text) or text == r or text.startswith(r + "/") for r in roots)
    return False


#: Calls that open a SQLite database by file name: qualified name -> (position, keyword).
_SQLITE_FILE_FUNCS: dict[str, tuple[int, str]] = {
    "sqlite3.connect": (0, "database"),
    "sqlite3.dbapi2.connect": (0, "database"),
    "aiosqlite.connect": (0, "database"),
    "peewee.SqliteDatabase": (0, "database"),
    "playhouse.sqlite_ext.SqliteExtDatabase": (0, "database"),
    "playhouse.sqlite_ext.CSqliteExtDatabase": (0, "database"),
    "playhouse.pool.PooledSqliteDatabase": (0, "database"),
    "playhouse.pool.PooledSqliteExtDatabase": (0, "database"),
    "playhouse.sqliteq.SqliteQueueDatabase": (0, "database"),
}


#: Calls that take a database URL: qualified name -> (position or None, keyword).
_URL_FUNCS: dict[str, tuple[int | None, str]] = {
    "sqlalchemy.create_engine": (0, "url"),
    "sqlalchemy.engine.create_engine": (0, "url"),
    "sqlalchemy.ext.asyncio.create_async_engine": (0, "url"),
    "sqlmodel.create_engine": (0, "url"),
    "databases.Database": (0, "url"),
    "playhouse.db_url.connect": (0, "url"),
    "dj_database_url.parse": (0, "url"),
    "tortoise.Tortoise.init": (None, "db_url"),
    "tortoise.contrib.fastapi.register_tortoise": (None, "db_url"),
}


_URI_SETTING = "SQLALCHEMY_DATABASE_URI"


_SQLITE_URL = re.compile(r"(?i)^sqlite(?:\+\w+)?://(.*)$", re.S)


_MEMORY_PATHS = ("", "/", ":memory:", "/:memory:", "/file::memory:")


_DATABASES_BINDING = re.compile(r"(?m)^[ \t]*DATABASES\b[^\n=]*(?:=(?!=)|\.\s*update\b)")


_SQLITE_MESSAGE = "the next deploy starts on a fresh disk"


def _names_setting(target: cst.BaseExpression, resolve: Any) -> bool:
    """`SQLALCHEMY_DATABASE_URI = ...`, `config.SQLALCHEMY_DATABASE_URI = ...`,
    `app.config['SQLALCHEMY_DATABASE_URI'] = ...`."""
    if isinstance(target, cst.Name):
        return target.value == _URI_SETTING
    if isinstance(target, cst.Attribute):
        return target.attr.value == _URI_SETTING
    if isinstance(target, cst.Subscript) and len(target.slice) == 1 and isinstance(target.slice[0].slice, cst.Index):
        key = target.slice[0].slice.value
        return isinstance(key, (cst.SimpleString, cst.ConcatenatedString)) and resolve(key).single == _URI_SETTING
    return False


def _is_database_file(option: Any) -> bool:
    """A `sqlite3.connect()` database argument that names a file (not `:memory:`, not `''`)."""
    if isinstance(option, Prefix):
        text = option.text
        return bool(text) and not ":memory:".startswith(text) and not text.startswith("file:") and "?" not in text
    if not isinstance(option, str) or option in ("", ":memory:"):
        return False
    if option.startswith("file:"):
        return not option.startswith("file::memory:") and "mode=memory" not in option
    return True


def _is_sqlite_file_url(option: Any) -> bool:
    if isinstance(option, Prefix):
        match = _SQLITE_URL.match(option.text)
        if not match:
            return False
        rest = match.group(1)
        return "?" not in rest and not any(memory.startswith(rest) for memory in _MEMORY_PATHS)
    if not isinstance(option, str):
        return False
    match = _SQLITE_URL.match(option)
    if not match:
        return False
    path, _, query = match.group(1).partition("?")
    return path not in _MEMORY_PATHS and "mode=memory" not in query


def _url_file(option: Any) -> str | None:
    """The file a SQLite URL names, on the platform: `sqlite:///a.db` (SQLAlchemy: relative),
    `sqlite:////data/a.db` (absolute), `sqlite://a.db` (Tortoise); None for a Prefix."""
    if not isinstance(option, str):
        return None
    match = _SQLITE_URL.match(option)
    if not match:
        return None
    path = match.group(1).partition("?")[0]
    path = path[1:] if path.startswith("/") else path
    return posixpath.normpath(posixpath.join(APP_DIR, path)) if path else None


_FILE_HANDLERS = frozenset(
    {
        "logging.FileHandler",
        "logging.handlers.RotatingFileHandler",
        "logging.handlers.TimedRotatingFileHandler",
        "logging.handlers.WatchedFileHandler",
        "concurrent_log_handler.ConcurrentRotatingFileHandler",
        "concurrent_log_handler.ConcurrentTimedRotatingFileHandler",
    }
)


_LOG_MESSAGE = "the platform keeps only stdout and stderr"
