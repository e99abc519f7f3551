"""LE502 sqlite-database-file."""

from __future__ import annotations

import libcst as cst

from analyzer.model.resolver import argument
from analyzer.model.values import Value
from analyzer.rules.disk._disk import (
    _DATABASES_BINDING,
    _SQLITE_FILE_FUNCS,
    _SQLITE_MESSAGE,
    _URI_SETTING,
    _URL_FUNCS,
    _dict_get,
    _dict_items,
    _DiskRule,
    _is_database_file,
    _is_sqlite_file_url,
    _keyword_value,
    _names_setting,
    _shown,
    _unset_note,
    _url_file,
)
from analyzer.types import Case, Severity


class SqliteDatabaseFile(_DiskRule):
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
    example = Case(
        {
            "wsgi.py": """
                from flask import Flask
                from sqlalchemy import create_engine

                application = Flask(__name__)
                engine = create_engine('sqlite:///app.db')
                """,
        },
        ("wsgi.py:5:24",),
    )
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
            {
                "wsgi.py": """
                    import sqlite3
                    from store import Store
                    application = None


                    class Cache:
                        def __init__(self, path, other=None):
                            self.path = path

                        def connect(self):
                            return sqlite3.connect(self.path)


                    class Safe:
                        def __init__(self, path):
                            self.path = path

                        def connect(self):
                            return sqlite3.connect(self.path)


                    Cache('cache.db').connect()
                    Safe(input()).connect()
                    Store('store.db').connect()
                """,
                "store.py": """
                    import sqlite3
                    class Store:
                        def __init__(self, path):
                            self.path = path
                        def connect(self):
                            return sqlite3.connect(self.path)
                """,
            },
            (
                'store.py:6:32: sqlite3.connect() keeps a SQLite database in /home/leanengine/app/store.db: the next deploy starts on a fresh disk',
                'wsgi.py:11:32: sqlite3.connect() keeps a SQLite database in /home/leanengine/app/cache.db: the next deploy starts on a fresh disk',
            ),
            note="a constructor's argument kept in self (in this module and another); Safe's only caller passes an unknown value",
        ),
        Case(
            {
                "wsgi.py": """
                    import os
                    from flask import Flask
                    app = application = Flask(__name__)
                    if os.environ.get('LEANCLOUD_APP_ENV') != 'production':
                        app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite:///local.db'
                """,
            },
            (
                'wsgi.py:5:45: on stage (LEANCLOUD_APP_ENV=stage): the URL sqlite:///local.db keeps a SQLite database in /home/leanengine/app/local.db: the next deploy starts on a fresh disk',
            ),
            note='not production is stage on the platform, not only a laptop',
        ),
        Case(
            {
                "wsgi.py": """
                    import sqlite3
                    application = None
                    def get_conn(path):
                        return sqlite3.connect(path)
                    class Cache:
                        path = 'cache.db'
                        def connect(self):
                            return sqlite3.connect(self.path)
                    def open_db(path='log.db'):
                        return sqlite3.connect(path)
                    stock = get_conn('stock.db')
                    Cache().connect()
                    open_db()
                """,
            },
            (
                "wsgi.py:4:28: sqlite3.connect() keeps a SQLite database in /home/leanengine/app/stock.db: the next deploy starts on a fresh disk",
                "wsgi.py:8:32: sqlite3.connect() keeps a SQLite database in /home/leanengine/app/cache.db: the next deploy starts on a fresh disk",
                "wsgi.py:10:28: sqlite3.connect() keeps a SQLite database in /home/leanengine/app/log.db: the next deploy starts on a fresh disk",
            ),
            note="values through calls: a caller's argument, a class attribute, a default",
        ),
        Case(
            {"wsgi.py": "import sqlite3\napplication = None\ndb = sqlite3.connect('app.db')\n"},
            (
                "wsgi.py:3:22: sqlite3.connect() keeps a SQLite database in "
                "/home/leanengine/app/app.db: the next deploy starts on a fresh disk",
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
                "wsgi.py:7:41: the URL sqlite:////home/leanengine/app/app.db keeps a SQLite "
                "database in /home/leanengine/app/app.db: the next deploy starts on a fresh disk",
                "wsgi.py:8:24",
                "wsgi.py:9:47: the URL sqlite:///x.db (the default while DB is unset) keeps a "
                "SQLite database in /home/leanengine/app/x.db: the next deploy starts on a fresh "
                "disk",
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
                "mysite/settings.py:5:19: Django's DATABASES keeps a SQLite database in a file: "
                "the next deploy starts on a fresh disk",
            ),
        ),
        Case(
            {"wsgi.py": "import peewee\napplication = None\ndb = peewee.SqliteDatabase('people.db')\n"},
            ("wsgi.py:3:28",),
        ),
    )
    near_misses = (
        Case(
            {
                "wsgi.py": """
                    import os, sqlite3
                    application = None
                    def get_conn(path):
                        return sqlite3.connect(path)
                    def unused():
                        return sqlite3.connect('old.db')
                    get_conn(os.environ['DATABASE_FILE'])
                """,
            },
            note="the only caller passes an unknown value; a function nothing calls",
        ),
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
              "if os.environ.get('FLASK_ENV') == 'development':\n"
              "    app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite:///local.db'\n"},
             note="a development config class; a branch picked by a variable the user sets"),
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
        self.report(target, f"{api} keeps a SQLite database in {shown}{_unset_note(value)}: {_SQLITE_MESSAGE}")

    def _check_url(self, target: cst.BaseExpression, unset: tuple[str, ...] = ()) -> None:
        value = self.resolve(target)
        if not value.all(_is_sqlite_file_url) or self._skipped():
            return
        note = _unset_note(Value(value.options, tuple(dict.fromkeys(value.assumes_unset + unset))))
        files = [_url_file(o) for o in value.options]
        where = " or ".join(dict.fromkeys(files)) if all(files) else "a file"
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
                f"Django's DATABASES keeps a SQLite database in a file: {_SQLITE_MESSAGE}",
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
