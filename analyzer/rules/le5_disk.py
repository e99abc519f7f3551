"""LE501-LE503: the container's disk: writes outside the write roots, SQLite files, log files.

Every deploy (and some reschedules) gives the app a new container whose local disk starts empty;
`/home/leanengine/tmp` is the place for temporary files, and only stdout / stderr reach the logs.
These rules ask the shared resolver (analyzer/values.py) what a path, a mode or a URL is, and report
only what it proves: an unknown path, mode or URL is never reported, nor a value that is fine on one
branch. Code in a branch chosen by the environment (`if DEBUG:`, `if os.environ.get(...)`) is left
alone too: which branch runs on the platform is not known.
"""

from __future__ import annotations

import posixpath
import re
from typing import Any, Iterable

import libcst as cst

from analyzer.ftypes import Case, Severity
from analyzer.rules.base import CodeRule
from analyzer.values import APP_DIR, Prefix, Value, argument, has_star_args

TMP_DIR = "/home/leanengine/tmp"
#: Device and process files: writing to them writes to no disk (`/dev/null`, `/dev/stdout`).
_PSEUDO_FILES = ("/dev/", "/proc/", "/sys/")
#: An `if` whose test mentions one of these selects an environment (local, test, production).
_ENVIRONMENT_TEST = re.compile(r"(?i)debug|test|dev|local|env|argv|prod|stag")
#: A config class for local development or tests (`DevelopmentConfig`, `TestingConfig`).
_LOCAL_CLASS = re.compile(r"(?i)dev|test|local")
_URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


# -- shared helpers ------------------------------------------------------------------------------------


class _DiskRule(CodeRule):
    """What the three rules share: names, arguments, environment branches. Not a rule itself."""

    def qualified(self, func: cst.BaseExpression) -> str | None:
        """The dotted name a call's target refers to; `builtins.X` for a name bound nowhere."""
        resolver = self.ctx.resolver
        qual = resolver.qualified_name(func)
        if qual is None and isinstance(func, cst.Name) and self.bindings(func) is None:
            return "builtins." + func.value
        return qual

    def bindings(self, name: cst.Name) -> list | None:
        """What the name can be bound to where it is used (None: bound nowhere, a builtin)."""
        return self.ctx.resolver.lookup(name)

    def in_environment_branch(self) -> bool:
        """Inside the body or `else` of an `if` that picks an environment (`if DEBUG:`, `if
        os.environ.get('DATABASE_URL'):`): whether that branch runs on the platform is unknown."""
        ancestors = self.ctx.ancestors
        module = self.ctx.parsed.module
        for node, child in zip(ancestors, ancestors[1:]):
            if isinstance(node, cst.If) and child is not node.test:
                if _ENVIRONMENT_TEST.search(module.code_for_node(node.test)):
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
    return f" (the default while {' and '.join(names)} {verb} not set in the console)"


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


# -- LE501 ---------------------------------------------------------------------------------------------

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
_LOST = (
    "each deploy starts a new container with a fresh disk, so what is written there is lost; write "
    f"temporary files under {TMP_DIR} and keep lasting data in a database or object storage"
)


class WriteOutsideTmp(_DiskRule):
    code = "LE501"
    name = "write-outside-tmp"
    severity = Severity.WARNING
    summary = "A file is written outside the write roots (`/home/leanengine/tmp`), where it does not last."
    why = (
        "Each deploy, and some reschedules, start the app in a new container with a fresh local disk: a "
        "file written at runtime is gone after the next deploy, and instances, each in its own container, "
        "do not see each other's files. The "
        "Python runtime page names `/home/leanengine/tmp` (at most 1 GB) as the place for temporary "
        "files; the app's code lives in `/home/leanengine/app`, which is also where a relative path "
        "lands, since the app runs from there. Data that must last belongs in a database or object "
        "storage. lean-lint reports writes (`open()` with a writing mode, pathlib's `write_text` / "
        "`write_bytes` / `touch` / `mkdir`, `os.makedirs`, `os.rename`, `shutil.copy*` / `move` "
        "destinations, `.save(path)` of uploads and images, pandas `to_csv` and kin, numpy `save`) "
        "whose path it can work out and that is outside the write roots (config `write-roots`); "
        "`tempfile`, which picks its directory from `TMPDIR`, is left alone."
    )
    example = 'with open("visits.log", "a") as f:  # /home/leanengine/app/visits.log\n    f.write("visit\\n")'
    fix = (
        "Write temporary files under /home/leanengine/tmp, and keep lasting data in a database or object "
        "storage.\n"
        "```\n"
        "import os\n"
        "UPLOADS = '/home/leanengine/tmp/uploads'\n"
        "os.makedirs(UPLOADS, exist_ok=True)\n"
        "request.files['file'].save(os.path.join(UPLOADS, name))\n"
        "```\n"
        "If your platform gives you another writable place, add it to `write-roots` in lean-lint's config."
    )
    tags = ("python", "filesystem")
    keywords = (
        "open", "write_text", "write_bytes", "touch", "mkdir", "makedirs", "rename", "replace", "copy",
        "move", "save", "to_csv", "to_excel", "to_json", "to_parquet", "to_pickle", "to_feather",
        "to_hdf", "ExcelWriter", "urlretrieve", "dump", "ZipFile",
    )

    fires = (
        Case(
            {"wsgi.py": "import app\napplication = app.app\n", "app.py": 'def visit():\n    with open("visits.txt", "a") as f:\n        f.write("x")\n'},
            (
                "app.py:2:15: open() writes to /home/leanengine/app/visits.txt (a relative path is relative "
                "to the app's directory), outside the write roots (/home/leanengine/tmp): " + _LOST,
            ),
        ),
        Case(
            {
                "wsgi.py": """
                    import os
                    from pathlib import Path
                    from shutil import copy as cp
                    BASE = Path(__file__).parent
                    application = None
                    os.makedirs(os.path.join(os.path.dirname(__file__), 'cache'), exist_ok=True)
                    (BASE / 'state.json').write_text('{}')
                    cp('/home/leanengine/tmp/a', '/data/a')
                    open('/home/leanengine/tmp/../x', mode='wb')
                    os.open('out.bin', os.O_WRONLY | os.O_CREAT)
                """
            },
            (
                "wsgi.py:6:13: os.makedirs() creates /home/leanengine/app/cache, outside the write roots "
                "(/home/leanengine/tmp): " + _LOST,
                "wsgi.py:7:1: .write_text() writes to /home/leanengine/app/state.json, outside the write "
                "roots (/home/leanengine/tmp): " + _LOST,
                "wsgi.py:8:30: shutil.copy() writes to /data/a, outside the write roots (/home/leanengine/tmp): " + _LOST,
                "wsgi.py:9:6: open() writes to /home/leanengine/x, outside the write roots (/home/leanengine/tmp): " + _LOST,
                "wsgi.py:10:9",
            ),
        ),
        Case(
            {
                "wsgi.py": """
                    import os
                    from flask import Flask, request
                    app = application = Flask(__name__)
                    @app.post('/upload')
                    def upload():
                        f = request.files['file']
                        f.save(os.path.join('uploads', f.filename))
                        return 'ok'
                    @app.get('/report')
                    def report(df):
                        df.to_csv('report.csv', index=False)
                        return 'ok'
                """
            },
            (
                "wsgi.py:7:12: .save() writes to /home/leanengine/app/uploads/... (a relative path is "
                "relative to the app's directory), outside the write roots (/home/leanengine/tmp): " + _LOST,
                "wsgi.py:11:15",
            ),
        ),
        Case(
            {"wsgi.py": "import os\napplication = None\nDIR = os.environ.get('DATA_DIR', '/data')\nos.makedirs(DIR)\n"},
            (
                "wsgi.py:4:13: os.makedirs() creates /data (the default while DATA_DIR is not set in "
                "the console), outside the write roots (/home/leanengine/tmp): " + _LOST,
            ),
        ),
        Case(
            {"wsgi.py": "application = None\nopen('/srv/x', 'w')\nopen('/tmp/x', 'w')\n"},
            ("wsgi.py:2:6: open() writes to /srv/x, outside the write roots (/home/leanengine/tmp, /tmp): " + _LOST,),
            note="configured write roots",
            config={"write-roots": ["/home/leanengine/tmp", "/tmp"]},
        ),
    )
    near_misses = (
        Case({"wsgi.py": "application = None\ntext = open('templates/x.txt').read()\nb = open('x.bin', 'rb').read()\n"}, note="reads"),
        Case({"wsgi.py": "application = None\ndef f(mode, path):\n    open('x.txt', mode)\n    open(path, 'w')\n"}, note="unknown mode and path"),
        Case(
            {"wsgi.py": "import os\napplication = None\nos.makedirs('/home/leanengine/tmp/uploads', exist_ok=True)\n"
             "open('/home/leanengine/tmp', 'a')\nopen(os.path.expanduser('~/tmp/x'), 'w')\n"},
            note="inside the write root",
        ),
        Case({"wsgi.py": "application = None\nimport sys\np = '/home/leanengine/tmp/x' if sys.platform else 'local.txt'\nopen(p, 'w')\n"},
             note="outside on one branch only"),
        Case({"wsgi.py": "application = None\ndef f(name):\n    open(f'/home/leanengine/tmp{name}', 'w')\n    open(f'/home/leanengine/{name}', 'w')\n"},
             note="a prefix that may still reach the root"),
        Case({"wsgi.py": "import tempfile\napplication = None\nwith tempfile.NamedTemporaryFile('w') as f:\n    f.write('x')\n"
              "open('/dev/null', 'w')\n"}, note="tempfile, /dev/null"),
        Case(
            {"wsgi.py": "from flask import Flask\napp = application = Flask(__name__)\nif __name__ == '__main__':\n"
             "    open('dev.log', 'w')\n    app.run()\n"},
            note="a __main__ block that does not run under WSGI",
        ),
        Case({"wsgi.py": "application = None\ndef f(form, model, img, df):\n    form.save(commit=False)\n    model.save()\n"
              "    img.save(buffer, 'PNG')\n    df.to_csv()\n    df.to_csv('s3://bucket/x.csv')\n"
              "    storage.save('avatars/x.png', content)\n    text = 'abc'.replace('a', 'b')\n"},
             note="save() without a path, to a buffer, to storage; URLs; str.replace"),
        Case({"tools/export.py": "open('out.txt', 'w')\n", "wsgi.py": "application = None\n"}, note="not imported by the app"),
        Case({"wsgi.py": "import os\napplication = None\nif os.environ.get('DEBUG'):\n    open('debug.txt', 'w')\n"},
             note="a branch picked by the environment"),
    )

    def visit_Call(self, node: cst.Call) -> None:
        found = self._write_target(node)
        if found is None:
            return
        api, target, report_at = found
        path = self.resolve_path(target)
        if not path.known or not all(_leaves_roots(o, self.roots) for o in path.options):
            return
        raw = self.resolve(target)
        if raw.any(lambda o: isinstance(o, (str, Prefix)) and bool(_URL_SCHEME.match(_text(o)))):
            return
        if self.in_environment_branch():
            return
        relative = raw.any(lambda o: isinstance(o, (str, Prefix)) and not _text(o).startswith(("/", "~")))
        where = _shown(path)
        if relative:
            where += " (a relative path is relative to the app's directory)"
        verb = "creates" if api in _CREATES else "writes to"
        roots = ", ".join(self.ctx.project.config.write_roots)
        self.report(
            report_at,
            f"{api}() {verb} {where}{_unset_note(path)}, outside the write roots ({roots}): {_LOST}",
        )

    @property
    def roots(self) -> tuple[str, ...]:
        return tuple(posixpath.normpath(r) for r in self.ctx.project.config.write_roots)

    def _write_target(self, call: cst.Call) -> tuple[str, cst.BaseExpression, cst.CSTNode] | None:
        """(what writes, the path expression, the node to report at), or None when `call` is not a
        write lean-lint can see."""
        qual = self.qualified(call.func)
        if qual in _OPEN_FUNCS:
            (path_pos, path_kw), (mode_pos, mode_kw) = _OPEN_FUNCS[qual]
            target = argument(call, path_pos, path_kw)
            mode = argument(call, mode_pos, mode_kw)
            if target is None or mode is None or not self._writing_mode(mode):
                return None
            return ("open" if qual == "builtins.open" else qual), target, target
        if qual == "os.open":
            target, flags = argument(call, 0, "path"), argument(call, 1, "flags")
            if target is None or flags is None or not self._writing_flags(flags):
                return None
            return qual, target, target
        if qual in _WRITE_FUNCS:
            target = argument(call, *_WRITE_FUNCS[qual])
            return (qual, target, target) if target is not None else None
        if not isinstance(call.func, cst.Attribute) or (qual is not None and not self._project_object(qual)):
            return None  # another function, or a method of an imported library: not a write seen above
        method = call.func.attr.value
        receiver = call.func.value
        if method in _PATH_METHODS:
            return f".{method}", receiver, call
        if method == "open":
            mode = argument(call, 0, "mode")
            if mode is None or not self.resolve(mode).all(_is_file_mode):
                return None
            return ".open", receiver, call
        if method in _SAVE_METHODS:
            target = argument(call, 0, None)
            for kw in _SAVE_METHODS[method]:
                if target is None:
                    target = argument(call, None, kw)
            if target is None or has_star_args(call):
                return None
            if method == "save":
                # `img.save(path, 'PNG')` is PIL; `storage.save(name, content)` is Django's storage,
                # whose names are relative to MEDIA_ROOT, not to the working directory.
                second = argument(call, 1, None)
                if second is not None and not self.resolve(second).all(lambda o: isinstance(o, str)):
                    return None
            return f".{method}", target, target
        return None

    def _project_object(self, qual: str) -> bool:
        """`config.DATA_FILE.write_text`: a method of an object a project module defines (not of a
        module, not of a library)."""
        receiver = qual.rpartition(".")[0]
        project = self.ctx.project
        return project.module_file(receiver) is None and project.is_project_module(receiver.split(".")[0])

    def _writing_mode(self, mode: cst.BaseExpression) -> bool:
        return self.resolve(mode).all(_is_writing_mode)

    def _writing_flags(self, flags: cst.BaseExpression) -> bool:
        """`os.O_WRONLY | os.O_CREAT`: some flag asks for writing (the others only add)."""
        if isinstance(flags, cst.BinaryOperation) and isinstance(flags.operator, cst.BitOr):
            return self._writing_flags(flags.left) or self._writing_flags(flags.right)
        qual = self.ctx.resolver.qualified_name(flags)
        return qual is not None and qual.startswith("os.") and qual[3:] in _WRITE_FLAGS


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


# -- LE502 ---------------------------------------------------------------------------------------------

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
_SQLITE_MESSAGE = (
    "each deploy (and some reschedules) starts a new container with a fresh disk, so the data is lost; "
    "keep data in a database service (the platform's data storage, LeanDB or another hosted database) instead"
)


class SqliteFile(_DiskRule):
    code = "LE502"
    name = "sqlite-database-file"
    severity = Severity.WARNING
    summary = "A SQLite database is kept in a file on the container's disk, which starts empty on every deploy."
    why = (
        "Each deploy, and some reschedules, start the app in a new container with a fresh local disk, so "
        "a SQLite file loses its data (wherever it is, `/home/leanengine/tmp` included), and instances, "
        "each in its own container, do not share it. The platform does not support storing data on the "
        "file system: data belongs in its data storage or a database service (LeanDB offers Redis, "
        "MongoDB and more). lean-lint reports "
        "`sqlite3.connect('x.db')`, Django's `DATABASES` with `django.db.backends.sqlite3`, SQLAlchemy / "
        "Flask-SQLAlchemy `sqlite:///...` URLs and peewee's `SqliteDatabase(...)`; an in-memory database "
        "(`:memory:`, `sqlite://`) is fine."
    )
    example = "engine = create_engine('sqlite:///app.db')"
    fix = (
        "Keep data in a database service, and read its URL from an environment variable set in the console.\n"
        "```\n"
        "engine = create_engine(os.environ['DATABASE_URL'])\n"
        "```"
    )
    tags = ("python", "filesystem", "database")
    keywords = ("sqlite", "Sqlite", "create_engine", "create_async_engine", _URI_SETTING, "Database", "db_url", "DATABASES")

    fires = (
        Case(
            {"wsgi.py": "import sqlite3\napplication = None\ndb = sqlite3.connect('app.db')\n"},
            (
                "wsgi.py:3:22: sqlite3.connect() keeps a SQLite database in the file "
                "/home/leanengine/app/app.db: each deploy (and some reschedules) starts a new container "
                "with a fresh disk, so the data is lost; keep data in a database service (the platform's "
                "data storage, LeanDB or another hosted database) instead",
            ),
        ),
        Case(
            {
                "wsgi.py": """
                    import os
                    from flask import Flask
                    from flask_sqlalchemy import SQLAlchemy
                    from sqlalchemy import create_engine
                    app = application = Flask(__name__)
                    basedir = os.path.abspath(os.path.dirname(__file__))
                    app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite:///' + os.path.join(basedir, 'app.db')
                    engine = create_engine("sqlite+pysqlite:///data.db", echo=True)
                    app.config.update({'SQLALCHEMY_DATABASE_URI': os.environ.get('DB', 'sqlite:///x.db')})
                """
            },
            (
                "wsgi.py:7:41: the URL sqlite:////home/leanengine/app/app.db keeps a SQLite database in the "
                "file /home/leanengine/app/app.db: " + _SQLITE_MESSAGE,
                "wsgi.py:8:24",
                "wsgi.py:9:47: the URL sqlite:///x.db (the default while DB is not set in the console) keeps "
                "a SQLite database in the file /home/leanengine/app/x.db: " + _SQLITE_MESSAGE,
            ),
        ),
        Case(
            {
                "wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n"
                "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
                "mysite/__init__.py": "",
                "mysite/settings.py": """
                    from pathlib import Path
                    BASE_DIR = Path(__file__).resolve().parent.parent
                    DATABASES = {
                        'default': {
                            'ENGINE': 'django.db.backends.sqlite3',
                            'NAME': BASE_DIR / 'db.sqlite3',
                        }
                    }
                """,
            },
            (
                "mysite/settings.py:5:19: Django's DATABASES uses django.db.backends.sqlite3, a SQLite "
                "database in a file: " + _SQLITE_MESSAGE,
            ),
        ),
        Case(
            {"wsgi.py": "import peewee\napplication = None\ndb = peewee.SqliteDatabase('people.db')\n"},
            ("wsgi.py:3:28",),
        ),
    )
    near_misses = (
        Case({"wsgi.py": "import sqlite3\nfrom sqlalchemy import create_engine\napplication = None\n"
              "a = sqlite3.connect(':memory:')\nb = create_engine('sqlite://')\nc = create_engine('sqlite:///:memory:')\n"
              "d = create_engine('sqlite+pysqlite:///:memory:')\ne = create_engine('postgresql://db/x')\n"},
             note="in memory, or another database"),
        Case({"wsgi.py": "import os, sqlite3\nfrom sqlalchemy import create_engine\napplication = None\n"
              "e = create_engine(os.environ['DATABASE_URL'])\ndef f(path):\n    return sqlite3.connect(path)\n"
              "g = create_engine(f'sqlite:///{name}')\n"},
             note="unknown URLs and paths"),
        Case({"wsgi.py": "import os\nfrom flask import Flask\napp = application = Flask(__name__)\n"
              "class DevelopmentConfig:\n    SQLALCHEMY_DATABASE_URI = 'sqlite:///dev.db'\n"
              "if os.environ.get('LEANCLOUD_APP_ENV') != 'production':\n"
              "    app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite:///local.db'\n"},
             note="a development config class; a branch picked by the environment"),
        Case(
            {
                "wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n"
                "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
                "mysite/__init__.py": "",
                "mysite/settings.py": "import dj_database_url\nDATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'db.sqlite3'}}\n"
                "DATABASES['default'].update(dj_database_url.config(conn_max_age=500))\n",
            },
            note="DATABASES replaced from the environment",
        ),
        Case({"wsgi.py": "import sqlite3\nfrom flask import Flask\napp = application = Flask(__name__)\n"
              "if __name__ == '__main__':\n    sqlite3.connect('dev.db')\n    app.run()\n"},
             note="a __main__ block that does not run under WSGI"),
    )

    def visit_Call(self, node: cst.Call) -> None:
        qual = self.qualified(node.func)
        if qual in _SQLITE_FILE_FUNCS:
            target = argument(node, *_SQLITE_FILE_FUNCS[qual])
            if target is not None:
                self._check_file(target, f"{qual}()")
        elif qual in _URL_FUNCS:
            position, keyword = _URL_FUNCS[qual]
            target = argument(node, position, keyword)
            if target is not None:
                self._check_url(target)
        elif qual == "dj_database_url.config":
            target = argument(node, None, "default")
            env_arg = argument(node, None, "env")
            env = self.resolve(env_arg).single if env_arg is not None else "DATABASE_URL"
            if target is not None and isinstance(env, str):
                self._check_url(target, (env,))
        elif isinstance(node.func, cst.Attribute) and node.func.attr.value in ("update", "from_mapping"):
            arg = _keyword_value(node, _URI_SETTING)
            if arg is not None:
                self._check_url(arg.value)

    def visit_DictElement(self, node: cst.DictElement) -> None:
        if isinstance(node.key, cst.SimpleString) and self.resolve(node.key).single == _URI_SETTING:
            self._check_url(node.value)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            if _names_setting(target.target, self.resolve):
                self._check_url(node.value)
                return
        if self.at_module_level() and any(
            isinstance(t.target, cst.Name) and t.target.value == "DATABASES" for t in node.targets
        ):
            self._check_databases(node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None and _names_setting(node.target, self.resolve):
            self._check_url(node.value)

    def _skipped(self) -> bool:
        return self.in_environment_branch() or self.in_local_config_class()

    def _check_file(self, target: cst.BaseExpression, api: str) -> None:
        value = self.resolve(target)
        if not value.all(_is_database_file) or self._skipped():
            return
        path = self.resolve_path(target)
        shown = _shown(path) if path.known else _shown(value)
        self.report(target, f"{api} keeps a SQLite database in the file {shown}{_unset_note(value)}: {_SQLITE_MESSAGE}")

    def _check_url(self, target: cst.BaseExpression, unset: tuple[str, ...] = ()) -> None:
        value = self.resolve(target)
        if not value.all(_is_sqlite_file_url) or self._skipped():
            return
        note = _unset_note(Value(value.options, tuple(dict.fromkeys(value.assumes_unset + unset))))
        files = [_url_file(o) for o in value.options]
        where = "the file " + " or ".join(dict.fromkeys(files)) if all(files) else "a file"
        self.report(target, f"the URL {_shown(value)}{note} keeps a SQLite database in {where}: {_SQLITE_MESSAGE}")

    def _check_databases(self, value: cst.BaseExpression) -> None:
        """Django's `DATABASES = {...}`, unless something else in the project binds or updates it."""
        if self._databases_rebound():
            return
        for _, config in _dict_items(value):
            engine = _dict_get(config, "ENGINE")
            if engine is None or not self.resolve(engine).all(lambda o: o == "django.db.backends.sqlite3"):
                continue
            name = _dict_get(config, "NAME")
            if name is not None and self.resolve(name).any(lambda o: isinstance(o, str) and not _is_database_file(o)):
                continue
            if self._skipped():
                return
            self.report(
                engine,
                f"Django's DATABASES uses django.db.backends.sqlite3, a SQLite database in a file: {_SQLITE_MESSAGE}",
            )

    def _databases_rebound(self) -> bool:
        """DATABASES bound more than once here, or bound in another module the platform runs (split
        settings: `production.py` doing `from .base import *` and its own DATABASES)."""
        project = self.ctx.project
        counts = project.memo.setdefault(__name__ + ".databases", {})
        for rel in project.runtime_files | {self.ctx.path}:
            if rel not in counts:
                text = project.source(rel).text or ""
                counts[rel] = len(_DATABASES_BINDING.findall(text)) if "DATABASES" in text else 0
        here = counts[self.ctx.path]
        return here > 1 or any(n for rel, n in counts.items() if rel != self.ctx.path and rel in project.runtime_files)


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


# -- LE503 ---------------------------------------------------------------------------------------------

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
_LOG_MESSAGE = (
    "the platform collects only stdout and stderr, so these lines never reach the app's logs (and the "
    "file is lost with the container)"
)


class LogFile(_DiskRule):
    code = "LE503"
    name = "log-to-file"
    severity = Severity.WARNING
    summary = "Logging goes to a file, but the platform only collects what the app writes to stdout and stderr."
    why = (
        "Cloud Engine collects the app's standard output and standard error and shows them as the app's "
        "logs (4096 characters a line, 600 lines a minute). A log file on the container's disk is never "
        "shown there, and it disappears with the container on the next deploy. lean-lint reports "
        "`logging.FileHandler` and its rotating kin, `logging.basicConfig(filename=...)`, `dictConfig` "
        "handlers of those classes (Django's `LOGGING` setting included) and loguru's "
        "`logger.add('file.log')`."
    )
    example = "logging.basicConfig(filename='app.log', level=logging.INFO)"
    fix = (
        "Log to a stream: logging.StreamHandler() writes to stderr, and basicConfig() without filename= does too.\n"
        "```\n"
        "logging.basicConfig(stream=sys.stdout, level=logging.INFO)\n"
        "```"
    )
    tags = ("python", "logging")
    keywords = ("FileHandler", "basicConfig", "loguru")

    fires = (
        Case(
            {"wsgi.py": "import logging\napplication = None\nlogging.getLogger().addHandler(logging.FileHandler('app.log'))\n"},
            (
                "wsgi.py:3:32: logging.FileHandler writes the log to a file: the platform collects only "
                "stdout and stderr, so these lines never reach the app's logs (and the file is lost with "
                "the container); use logging.StreamHandler() instead",
            ),
        ),
        Case(
            {
                "wsgi.py": """
                    import logging
                    from logging.handlers import RotatingFileHandler as RFH
                    application = None
                    logging.basicConfig(filename='/home/leanengine/tmp/app.log', level=logging.INFO)
                    handler = RFH('app.log', maxBytes=10000)
                """
            },
            (
                "wsgi.py:4:21: logging.basicConfig(filename=...) writes the log to a file: the platform "
                "collects only stdout and stderr, so these lines never reach the app's logs (and the file "
                "is lost with the container); leave out filename= so that basicConfig() logs to stderr",
                "wsgi.py:5:11",
            ),
        ),
        Case(
            {
                "wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n"
                "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
                "mysite/__init__.py": "",
                "mysite/settings.py": """
                    LOGGING = {
                        'version': 1,
                        'handlers': {
                            'file': {'class': 'logging.FileHandler', 'filename': 'debug.log'},
                            'console': {'class': 'logging.StreamHandler'},
                        },
                        'root': {'handlers': ['file', 'console']},
                    }
                """,
            },
            (
                "mysite/settings.py:4:27: the logging handler 'file' is a logging.FileHandler, which writes "
                "the log to a file: the platform collects only stdout and stderr, so these lines never "
                "reach the app's logs (and the file is lost with the container); use 'class': "
                "'logging.StreamHandler' instead",
            ),
        ),
        Case(
            {"wsgi.py": "import logging.config\nfrom loguru import logger\napplication = None\n"
             "logger.add('app.log', rotation='1 MB')\n"
             "logging.config.dictConfig({'version': 1, 'handlers': {'f': {'class': 'logging.handlers.WatchedFileHandler', 'filename': 'x.log'}}})\n"},
            ("wsgi.py:4:1", "wsgi.py:5:70"),
        ),
    )
    near_misses = (
        Case({"wsgi.py": "import logging, sys\napplication = None\nlogging.basicConfig(stream=sys.stdout)\n"
              "logging.basicConfig(filename=None)\nlogging.getLogger().addHandler(logging.StreamHandler())\n"
              "logging.FileHandler('/dev/stdout')\n"}, note="streams"),
        Case({"wsgi.py": "from loguru import logger\nimport sys\napplication = None\nlogger.add(sys.stderr)\n"},
             note="loguru to stderr"),
        Case({"wsgi.py": "import logging\nfrom flask import Flask\napp = application = Flask(__name__)\n"
              "if __name__ == '__main__':\n    logging.basicConfig(filename='dev.log')\n    app.run()\n"},
             note="a __main__ block that does not run under WSGI"),
        Case({"wsgi.py": "import logging\napplication = None\nif os.environ.get('LOG_TO_FILE'):\n"
              "    logging.getLogger().addHandler(logging.FileHandler('app.log'))\n"
              "def setup(path):\n    logging.basicConfig(filename=path)\n"},
             note="a branch picked by the environment; an unknown filename"),
        Case({"wsgi.py": "application = None\nCONFIG = {'version': 1, 'handlers': {'f': {'class': 'logging.FileHandler'}}}\n"},
             note="a dict that is neither Django's LOGGING nor given to dictConfig"),
    )

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self._reported: set[int] = set()

    def visit_Call(self, node: cst.Call) -> None:
        qual = self.qualified(node.func)
        if qual in _FILE_HANDLERS:
            filename = argument(node, 0, "filename")
            if filename is not None and self.resolve_path(filename).all(_is_stream_file):
                return
            self._report(node, f"{qual} writes the log to a file: {_LOG_MESSAGE}; use logging.StreamHandler() instead")
        elif qual == "logging.basicConfig":
            arg = _keyword_value(node, "filename")
            if arg is None or not _strings(self.resolve(arg.value)):
                return
            if self.resolve_path(arg.value).all(_is_stream_file):
                return
            self._report(
                arg,
                f"logging.basicConfig(filename=...) writes the log to a file: {_LOG_MESSAGE}; leave out "
                "filename= so that basicConfig() logs to stderr",
            )
        elif qual == "loguru.logger.add":
            sink = argument(node, 0, "sink")
            if sink is None or not _strings(self.resolve(sink)) or self.resolve_path(sink).all(_is_stream_file):
                return
            self._report(node, f"logger.add() with a file path writes the log to a file: {_LOG_MESSAGE}; use logger.add(sys.stderr) instead")
        elif qual == "logging.config.dictConfig":
            config = argument(node, 0, "config")
            if isinstance(config, cst.Name):
                bindings = self.bindings(config) or []
                config = bindings[0].expr if len(bindings) == 1 and bindings[0].kind == "value" else None
            if config is not None:
                self._check_dict_config(config)

    def visit_Assign(self, node: cst.Assign) -> None:
        """Django's LOGGING setting: Django passes it to dictConfig."""
        if self.at_module_level() and any(isinstance(t.target, cst.Name) and t.target.value == "LOGGING" for t in node.targets):
            if _dict_get(node.value, "version") is not None:
                self._check_dict_config(node.value)

    def _check_dict_config(self, config: cst.BaseExpression) -> None:
        handlers = _dict_get(config, "handlers")
        for name, handler in _dict_items(handlers) if handlers is not None else ():
            cls = _dict_get(handler, "class")
            if cls is None or not self.resolve(cls).all(lambda o: o in _FILE_HANDLERS):
                continue
            filename = _dict_get(handler, "filename")
            if filename is not None and self.resolve_path(filename).all(_is_stream_file):
                continue
            self._report(
                cls,
                f"the logging handler {name!r} is a {_shown(self.resolve(cls))}, which writes the log to a file: "
                f"{_LOG_MESSAGE}; use 'class': 'logging.StreamHandler' instead",
            )

    def _report(self, node: cst.CSTNode, message: str) -> None:
        if id(node) in self._reported or self.in_environment_branch():
            return
        self._reported.add(id(node))
        self.report(node, message)
