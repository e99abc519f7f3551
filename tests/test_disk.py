"""LE501-LE503 (analyzer/rules/disk/): end-to-end projects, then one line per edge case.

The rules' own `fires` / `near_misses` run in tests/test_rule_cases.py; here are whole projects
(Flask and Django under WSGI, FastAPI and Flask under `run:`) and the corners of each API.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.readers.config import Config
from analyzer.engine.run import analyze
from analyzer.rules.base import first_line
from analyzer.rules.disk._disk import _LOG_MESSAGE, _LOST, _SQLITE_MESSAGE, _is_sqlite_file_url, _leaves_roots
from analyzer.rules.disk.le503_log_to_file import LogToFile
from analyzer.rules.disk.le502_sqlite_database_file import SqliteDatabaseFile
from analyzer.rules.disk.le501_write_outside_tmp import WriteOutsideTmp
from analyzer.model.values import Prefix
from analyzer.model.project import Project
from tests.helpers import located, run, write_project

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ROOTS = ("/home/leanengine/tmp",)


def disk_findings(name: str) -> list[str]:
    report = analyze(FIXTURES / name, select=("LE5",), config=Config())
    return [f"{f.path}:{f.line}:{f.column}: {f.code} {f.message}" for f in report.active]


# -- whole projects ------------------------------------------------------------------------------------


def test_flask_under_wsgi():
    assert disk_findings("disk_flask_wsgi") == [
        "app.py:16:41: LE502 the URL sqlite:////home/leanengine/app/app.db keeps a SQLite database in "
        "/home/leanengine/app/app.db: " + _SQLITE_MESSAGE,
        "app.py:19:11: LE503 logging.handlers.RotatingFileHandler logs to a file: " + _LOG_MESSAGE,
        "app.py:23:13: LE501 os.makedirs() creates /home/leanengine/app/uploads, outside "
        "/home/leanengine/tmp: " + _LOST,
        "app.py:35:15: LE501 .save() writes to /home/leanengine/app/uploads/..., outside "
        "/home/leanengine/tmp: " + _LOST,
        "app.py:50:15: LE501 open() writes to /home/leanengine/app/visits.txt, outside /home/leanengine/tmp: " + _LOST,
    ]  # wsgi.py's __main__ block, the reads, tempfile, /home/leanengine/tmp and tools/seed.py: quiet


def test_django_under_wsgi():
    assert disk_findings("disk_django_wsgi") == [
        "mysite/settings.py:21:19: LE502 Django's DATABASES keeps a SQLite database "
        "in a file: " + _SQLITE_MESSAGE,
        "mysite/settings.py:34:22: LE503 the logging handler 'file' is a logging.handlers.TimedRotatingFileHandler, "
        "which logs to a file: " + _LOG_MESSAGE,
        "polls/views.py:18:5: LE501 .mkdir() creates /home/leanengine/app/exports, outside "
        "/home/leanengine/tmp: " + _LOST,
        "polls/views.py:19:15: LE501 open() writes to /home/leanengine/app/exports/questions.csv, outside "
        "/home/leanengine/tmp: " + _LOST,
    ]  # manage.py, default_storage.save(name, content) and Model.save(): quiet


def test_fastapi_under_run():
    assert disk_findings("disk_fastapi_run") == [
        "database.py:6:24: LE502 the URL sqlite:///./sql_app.db keeps a SQLite database in "
        "/home/leanengine/app/sql_app.db: " + _SQLITE_MESSAGE,
        "main.py:10:21: LE503 logging.basicConfig(filename=...) logs to a file: " + _LOG_MESSAGE,
        "main.py:24:15: LE501 open() writes to /home/leanengine/app/uploads/..., outside /home/leanengine/tmp: " + _LOST,
    ]  # writes and moves inside /home/leanengine/tmp, and the __main__ block uvicorn never runs: quiet


def test_flask_under_run_python():
    """`run: python app.py`: the `__main__` block runs on the platform, so its basicConfig counts."""
    assert disk_findings("disk_flask_run") == [
        "app.py:10:28: LE502 peewee.SqliteDatabase() keeps a SQLite database in "
        "/home/leanengine/app/data/app.db: " + _SQLITE_MESSAGE,
        "app.py:20:25: LE503 logging.basicConfig(filename=...) logs to a file: " + _LOG_MESSAGE,
    ]


def test_same_main_block_is_quiet_under_wsgi(tmp_path):
    app = (FIXTURES / "disk_flask_run" / "app.py").read_text()
    write_project(tmp_path, {"wsgi.py": "from app import app as application\n", "app.py": app})
    assert located(run(tmp_path, select=("LE503",))) == []


def test_hint_is_the_fix(tmp_path):
    write_project(tmp_path, {"wsgi.py": "import sqlite3, logging\napplication = None\nopen('x', 'w')\n"
                             "sqlite3.connect('x.db')\nlogging.FileHandler('x.log')\n"})
    report = run(tmp_path, select=("LE5",))
    hints = {f.code: f.hint for f in report.active}
    assert hints == {
        "LE501": first_line(WriteOutsideTmp.fix),
        "LE502": first_line(SqliteDatabaseFile.fix),
        "LE503": first_line(LogToFile.fix),
    }
    assert hints["LE501"].startswith("Write temporary files under /home/leanengine/tmp")
    assert hints["LE503"].startswith("Log to a stream")


# -- LE501 corners -------------------------------------------------------------------------------------

HEADER = (
    "import os, io, codecs, gzip, zipfile, tarfile, shutil, webbrowser, tempfile\n"
    "import numpy as np\nimport pandas as pd\nimport matplotlib.pyplot as plt\nimport urllib.request\n"
    "import torch\nfrom pathlib import Path\nfrom PIL import Image\napplication = None\n"
)


def _located(tmp_path, code, body, config=None, extra=None):
    files = {"wsgi.py": HEADER + body}
    files.update(extra or {})
    write_project(tmp_path, files)
    lines = HEADER.count("\n")
    out = []
    for f in run(tmp_path, select=(code,), config=config).active:
        out.append(f"{f.line - lines if f.path == 'wsgi.py' else f.line}:{f.column}" + ("" if f.path == "wsgi.py" else f" {f.path}"))
    return out


@pytest.mark.parametrize(
    "body,expected",
    [
        ("Path('x').open('w')\n", ["1:1"]),
        ("Path('/data/x').open(mode='a')\n", ["1:1"]),
        ("io.open('x', 'w')\ncodecs.open('x', 'w', 'utf-8')\ngzip.open('x.gz', 'wt')\n", ["1:9", "2:13", "3:11"]),
        ("open('x', 'r+')\nopen(file='x', mode='xb')\n", ["1:6", "2:11"]),
        ("zipfile.ZipFile('a.zip', 'w')\ntarfile.open('a.tgz', 'w:gz')\n", ["1:17", "2:14"]),
        ("os.open('x', os.O_RDWR)\nos.open('x', os.O_CREAT | os.O_EXCL | flags)\n", ["1:9", "2:9"]),
        ("os.rename('/home/leanengine/tmp/a', 'b')\nos.replace('a', dst='/srv/b')\n", ["1:37", "2:21"]),
        ("shutil.move(src, 'done/')\nshutil.copytree(src, 'backup')\nshutil.copyfile(src, '/var/x')\n", ["1:18", "2:22", "3:22"]),
        ("np.save('arr.npy', a)\nnp.savetxt('a.txt', a)\nplt.savefig('plot.png')\n", ["1:9", "2:12", "3:13"]),
        ("torch.save(model.state_dict(), 'model.pt')\nurllib.request.urlretrieve(url, 'x.bin')\n", ["1:32", "2:33"]),
        ("df.to_excel('r.xlsx')\ndf.to_parquet(path='r.parquet')\npd.ExcelWriter('r.xlsx')\n", ["1:13", "2:20", "3:16"]),
        ("(Path.home() / 'data').mkdir(parents=True)\n", ["1:1"]),
        ("open('/home/leanengine/tmpfoo/x', 'w')\n", ["1:6"]),
        ("def f(name):\n    open(f'/data/{name}', 'w')\n    open('/data/' + name, 'w')\nf(input())\n", ["2:10", "3:10"]),
        ("def f(c):\n    p = 'a.txt' if c else '/data/b.txt'\n    open(p, 'w')\nf(input())\n", ["3:10"]),
        ("from data import OUT\nOUT.write_text('x')\n", ["2:1"]),
        ("img = Image.new('RGB', (1, 1))\nimg.save('thumb.png', 'PNG')\n", ["2:10"]),
    ],
)
def test_write_fires(tmp_path, body, expected):
    extra = {"data.py": "from pathlib import Path\nOUT = Path('out.txt')\n"}
    assert _located(tmp_path, "LE501", body, extra=extra) == expected


@pytest.mark.parametrize(
    "body",
    [
        "open('x')\nopen('x', 'r')\nopen('x', 'rb')\nopen('x', mode='rt')\n",
        "def f(mode, c):\n    open('x', mode)\n    open('x', 'w' if c else 'r')\n",
        "open(1, 'w')\nopen(os.devnull, 'w')\nopen('/dev/stderr', 'w')\n",
        "def f(path):\n    os.makedirs(os.path.dirname(path))\n    open(path + '.bak', 'w')\n",
        "open(os.path.join(tempfile.gettempdir(), 'x'), 'w')\nPath(tempfile.mkdtemp()).joinpath('x').write_text('x')\n",
        "webbrowser.open('x.html')\nImage.open('x.png')\nnp.load('x.npy')\n",
        "def f(df, buf):\n    df.to_csv(buf)\n    df.to_json(orient='records')\n    df.to_csv('gs://bucket/x.csv')\n",
        "os.open('x', os.O_RDONLY)\nos.open('x', flags)\nos.open('x', 577)\n",
        "shutil.copy('/data/a', '/home/leanengine/tmp/a')\nos.rename('a', '/home/leanengine/tmp/b')\n",
        "def f(upload, dst, storage, content):\n    upload.save(dst)\n    storage.save('a/b.png', content)\n    upload.save(*dst)\n",
        "def f(zf, sftp):\n    zf.open('a.txt', 'w')\n    sftp.mkdir('/data/x')\n    sftp.open('/data/x', 'w')\n",
        "class Config:\n    DEBUG = os.environ.get('X')\nif Config.DEBUG:\n    open('debug.txt', 'w')\n",
        "import settings\nsettings.save('x.txt')\n",
        "def open(path, mode):\n    return path\nopen('x', 'w')\ndef f(open):\n    open('y', 'w')\n",
        "def f(path):\n    open(f'{path}/x', 'w')\n    open(f'/home/leanengine/{path}', 'w')\n",
    ],
)
def test_write_quiet(tmp_path, body):
    extra = {"settings.py": "def save(key):\n    return key\n"}
    assert _located(tmp_path, "LE501", body, extra=extra) == []


def test_write_roots_config(tmp_path):
    body = "open('x', 'w')\nopen('/srv/x', 'w')\n"
    assert _located(tmp_path, "LE501", body, config={"write-roots": ["/home/leanengine"]}) == ["2:6"]
    assert _located(tmp_path, "LE501", body, config={"write-roots": ["/"]}) == []
    assert _located(tmp_path, "LE501", body, config={"write-roots": ["/srv/"]}) == ["1:6"]


def test_build_root(tmp_path):
    """`__file__` is under /home/leanengine/app even when the app sits in a `buildRoot` folder."""
    write_project(tmp_path, {
        "leanengine.yaml": "buildRoot: api\n",
        "api/wsgi.py": "import os\napplication = None\nopen(os.path.join(os.path.dirname(__file__), 'x'), 'w')\n",
    })
    report = run(tmp_path, select=("LE501",))
    assert [f"{f.path}:{f.line}:{f.column}" for f in report.active] == ["api/wsgi.py:3:6"]
    assert "/home/leanengine/app/x," in report.active[0].message


@pytest.mark.parametrize(
    "option,outside",
    [
        ("/home/leanengine/tmp", False),
        ("/home/leanengine/tmp/a/b", False),
        ("/home/leanengine/tmpx", True),
        ("/home/leanengine/app/x", True),
        ("/dev/null", False),
        ("/proc/self/fd/1", False),
        (Prefix("/home/leanengine/"), False),
        (Prefix("/home/leanengine/tm"), False),
        (Prefix("/home/leanengine/tmp"), False),
        (Prefix("/home/leanengine/tmp/"), False),
        (Prefix("/home/leanengine/app/uploads/"), True),
        (Prefix("/data/"), True),
        (Prefix("/"), False),
        (None, False),
    ],
)
def test_leaves_roots(option, outside):
    assert _leaves_roots(option, ROOTS) is outside


# -- LE502 corners -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body,expected",
    [
        ("import sqlite3\nsqlite3.connect(database='x.db')\n", ["2:26"]),
        ("from sqlite3 import connect\nconnect('/home/leanengine/tmp/x.db')\n", ["2:9"]),
        ("import sqlite3\nsqlite3.connect('file:x.db?mode=ro', uri=True)\n", ["2:17"]),
        ("import aiosqlite\naiosqlite.connect('x.db')\n", ["2:19"]),
        ("from playhouse.sqlite_ext import SqliteExtDatabase\nSqliteExtDatabase('x.db')\n", ["2:19"]),
        ("from sqlalchemy.ext.asyncio import create_async_engine\ncreate_async_engine('sqlite+aiosqlite:///./x.db')\n", ["2:21"]),
        ("from tortoise.contrib.fastapi import register_tortoise\nregister_tortoise(app, db_url='sqlite://db.sqlite3')\n", ["2:31"]),
        ("class Config:\n    SQLALCHEMY_DATABASE_URI = 'sqlite:///x.db'\n", ["2:31"]),
        ("class ProductionConfig:\n    SQLALCHEMY_DATABASE_URI: str = 'sqlite:///x.db'\n", ["2:36"]),
        ("def make(app):\n    app.config.update(SQLALCHEMY_DATABASE_URI='sqlite:////data/x.db')\nmake(None)\n", ["2:47"]),
        ("import sqlite3\nDB = 'a.db'\ndef get():\n    return sqlite3.connect(DB)\nget()\n", ["4:28"]),
    ],
)
def test_sqlite_fires(tmp_path, body, expected):
    assert _located(tmp_path, "LE502", body) == expected


def test_sqlite_env_default_is_named(tmp_path):
    body = "import dj_database_url\nDATABASES = {'default': dj_database_url.config(default='sqlite:///db.sqlite3')}\n"
    write_project(tmp_path, {"wsgi.py": "application = None\n" + body})
    (finding,) = run(tmp_path, select=("LE502",)).active
    assert (finding.line, finding.column) == (3, 56)
    assert finding.message == (
        "the URL sqlite:///db.sqlite3 (the default while DATABASE_URL is unset) keeps a "
        "SQLite database in /home/leanengine/app/db.sqlite3: " + _SQLITE_MESSAGE
    )


@pytest.mark.parametrize(
    "body",
    [
        "import sqlite3\nsqlite3.connect('')\nsqlite3.connect('file::memory:?cache=shared', uri=True)\n"
        "sqlite3.connect('file:mem?mode=memory&cache=shared', uri=True)\n",
        "import peewee\npeewee.SqliteDatabase(None)\npeewee.SqliteDatabase(':memory:')\n",
        "from sqlalchemy import create_engine\ncreate_engine('mysql+pymysql://u@h/db')\n"
        "create_engine('sqlite:///file::memory:?uri=true')\ncreate_engine('sqlite:///x.db?mode=memory&uri=true')\n",
        "from sqlalchemy import create_engine\ndef f(path, c):\n    create_engine(f'sqlite:///{path}')\n"
        "    create_engine('sqlite:///x.db' if c else 'postgresql://h/db')\n",
        "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': ':memory:'}}\n",
        "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': 'x'}}\n",
        "def settings():\n    DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'x'}}\n",
        "class TestingConfig:\n    SQLALCHEMY_DATABASE_URI = 'sqlite:///test.db'\n"
        "class LocalConfig:\n    SQLALCHEMY_DATABASE_URI = 'sqlite:///local.db'\n",
        "SQLALCHEMY_TRACK_MODIFICATIONS = False\nNAME = 'sqlite:///x.db'\n",
    ],
)
def test_sqlite_quiet(tmp_path, body):
    assert _located(tmp_path, "LE502", body) == []


def test_django_split_settings_are_quiet(tmp_path):
    """base.py keeps the startproject default; production.py, the module the platform uses, replaces it."""
    write_project(tmp_path, {
        "wsgi.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings.production')\n"
        "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n",
        "mysite/__init__.py": "",
        "mysite/settings/__init__.py": "",
        "mysite/settings/base.py": "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'db.sqlite3'}}\n",
        "mysite/settings/production.py": "import os\nfrom .base import *\n"
        "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': os.environ['DB_NAME']}}\n",
    })
    report = run(tmp_path, select=("LE502",))
    assert "mysite/settings/base.py" in Project(tmp_path, Config()).runtime_files
    assert located(report) == []


@pytest.mark.parametrize(
    "url,file",
    [
        ("sqlite:///x.db", True),
        ("sqlite:////data/x.db", True),
        ("SQLite+pysqlite:///x.db", True),
        ("sqlite://db.sqlite3", True),
        ("sqlite://", False),
        ("sqlite:///", False),
        ("sqlite:///:memory:", False),
        ("sqlite://:memory:", False),
        ("postgresql://h/db", False),
        (Prefix("sqlite:///"), False),
        (Prefix("sqlite:///:mem"), False),
        (Prefix("sqlite:////data/"), True),
        (Prefix("sqlite:///x.db?"), False),
        (Prefix("postgres"), False),
    ],
)
def test_sqlite_urls(url, file):
    assert _is_sqlite_file_url(url) is file


# -- LE503 corners -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body,expected",
    [
        ("from logging import FileHandler\nFileHandler('x.log')\n", ["2:1"]),
        ("import logging.handlers\nlogging.handlers.WatchedFileHandler(filename='x.log')\n", ["2:1"]),
        ("import logging\nLOG = 'x.log'\nlogging.basicConfig(level=logging.INFO, filename=LOG)\n", ["3:41"]),
        ("from concurrent_log_handler import ConcurrentRotatingFileHandler as H\nH('x.log')\n", ["2:1"]),
        ("from loguru import logger\nlogger.add(Path('logs') / 'x.log')\n", ["2:1"]),
        ("import logging.config\ndef setup():\n    cfg = {'version': 1, 'handlers': {'f': {'class': 'logging.FileHandler', 'filename': 'x'}}}\n"
         "    logging.config.dictConfig(cfg)\nsetup()\n", ["3:54"]),
        ("import logging.config\nLOGGING = {'version': 1, 'handlers': {'f': {'class': 'logging.FileHandler'}}}\n"
         "logging.config.dictConfig(LOGGING)\n", ["2:54"]),
    ],
)
def test_log_file_fires(tmp_path, body, expected):
    assert _located(tmp_path, "LE503", body) == expected


@pytest.mark.parametrize(
    "body",
    [
        "import logging\nlogging.FileHandler(filename='/dev/stderr')\nlogging.basicConfig(level=logging.INFO)\n",
        "import logging.config\nlogging.config.dictConfig({'version': 1, 'handlers': {'c': {'class': 'logging.StreamHandler'}, "
        "'o': {'class': 'logging.FileHandler', 'filename': '/dev/stdout'}}})\n",
        "import sys\nfrom loguru import logger\nlogger.add(sys.stdout)\nlogger.add(lambda m: print(m))\n",
        "import logging\ndef setup(handler_cls):\n    handler_cls('x.log')\n    logging.basicConfig(filename=os.environ.get('LOG_FILE'))\n",
        "def f():\n    LOGGING = {'version': 1, 'handlers': {'f': {'class': 'logging.FileHandler'}}}\n",
        "import logging\nclass MyHandler(logging.FileHandler):\n    pass\n",
    ],
)
def test_log_file_quiet(tmp_path, body):
    assert _located(tmp_path, "LE503", body) == []
