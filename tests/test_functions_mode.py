"""LE305 end to end, and the Engine check it rests on."""

from __future__ import annotations

import pytest

from analyzer.readers.config import Config
from analyzer.model.project import Project
from analyzer.rules.functions_mode._functions_mode import ENGINE, NOT_ENGINE, UNKNOWN, EngineCheck
from tests.helpers import located, run, write_project

STRICT = "functionsMode: strict\n"
SDK = "leancloud>=2.9.1,<3.0.0\n"
FLASK_APP = "from flask import Flask\napp = Flask(__name__)\n"
CLOUD = "from leancloud import Engine\nfrom app import app\nengine = Engine(app)\n"
NOT_AN_ENGINE = (
    "functionsMode: strict makes the deploy abort unless the served WSGI callable is a `leancloud.Engine` or "
    "wrapped by one, but {path}'s `application` is {what}"
)
NO_SDK = (
    "functionsMode: strict makes the deploy abort unless the LeanCloud SDK is installed, but {req} does not "
    "install `leancloud`"
)


def lint(tmp_path, files):
    write_project(tmp_path, files)
    return located(run(tmp_path, select=("LE305",)), with_message=True)


def verdict(tmp_path, files, rel="wsgi.py", name="application"):
    write_project(tmp_path, files)
    return EngineCheck(Project(tmp_path, Config())).name(rel, name)


@pytest.mark.parametrize(
    "files,kind",
    [
        ({"wsgi.py": "import leancloud\napplication = leancloud.Engine(app)\n"}, ENGINE),
        ({"wsgi.py": "import leancloud.engine\napplication = leancloud.engine.Engine(app)\n"}, ENGINE),
        ({"wsgi.py": "from leancloud import Engine\nengine = Engine()\napplication = engine.wrap(app)\n"}, ENGINE),
        ({"wsgi.py": "from leancloud import Engine\nengine = Engine()\nengine.wrap(app)\napplication = engine\n"}, ENGINE),
        ({"wsgi.py": "from cloud import engine\napplication = engine\n", "cloud.py": CLOUD, "app.py": FLASK_APP}, ENGINE),
        ({"wsgi.py": "import cloud\napplication = cloud.engine\n", "cloud.py": CLOUD}, ENGINE),
        ({"wsgi.py": "from cloud import engine as application\n", "cloud.py": CLOUD}, ENGINE),
        ({"wsgi.py": "from leancloud import Engine\nfrom app import app\napp = Engine(app)\napplication = app\n"}, ENGINE),
        ({"wsgi.py": "from leancloud import Engine\napplication = Engine(a) if x else Engine(b)\n"}, ENGINE),
        ({"wsgi.py": "from app import app\napplication = app\n", "app.py": FLASK_APP}, NOT_ENGINE),
        ({"wsgi.py": "from flask import Flask\napplication = Flask(__name__, static_folder='s')\n"}, NOT_ENGINE),
        ({"wsgi.py": "def application(e, s):\n    pass\n"}, NOT_ENGINE),
        ({"wsgi.py": "class application:\n    pass\n"}, NOT_ENGINE),
        ({"wsgi.py": "application = lambda e, s: []\n"}, NOT_ENGINE),
        (
            {"wsgi.py": "from django.core.wsgi import get_wsgi_application\nfrom whitenoise import WhiteNoise\n"
             "application = get_wsgi_application()\napplication = WhiteNoise(application, root='static')\n"},
            NOT_ENGINE,
        ),
        ({"wsgi.py": "from leancloud import Engine\nfrom flask import Flask\napplication = Engine(a) if x else Flask(b)\n"}, UNKNOWN),
        ({"wsgi.py": "from whitenoise import WhiteNoise\nfrom cloud import engine\napplication = WhiteNoise(engine)\n",
          "cloud.py": CLOUD}, UNKNOWN),
        ({"wsgi.py": "from app import create_app\napplication = create_app()\n", "app.py": "def create_app():\n    pass\n"}, UNKNOWN),
        ({"wsgi.py": "def make():\n    pass\napplication = make()\n"}, UNKNOWN),
        ({"wsgi.py": "@decorate\ndef application(e, s):\n    pass\n"}, UNKNOWN),
        ({"wsgi.py": "from cloud import engine\ndef application(e, s):\n    return engine(e, s)\n", "cloud.py": CLOUD}, UNKNOWN),
        ({"wsgi.py": "import leancloud\nsdk = leancloud.Engine()\ndef application(e, s):\n    return sdk(e, s)\n"}, UNKNOWN),
        ({"wsgi.py": "import leancloud\nsdk = leancloud.Engine()\napplication = lambda e, s: sdk(e, s)\n"}, UNKNOWN),
        ({"wsgi.py": "class application(Base):\n    pass\n"}, UNKNOWN),
        ({"wsgi.py": "from somewhere import application\n"}, UNKNOWN),
        ({"wsgi.py": "from app import app\napplication = app.wsgi_app\n"}, UNKNOWN),
        ({"wsgi.py": "from a import app\napplication = app\n", "a.py": "from wsgi import application as app\n"}, UNKNOWN),
        ({"wsgi.py": "from x import *\napplication = make()\n"}, UNKNOWN),
        ({"wsgi.py": "application = 1\ndef f():\n    global application\n    application = 2\n"}, UNKNOWN),
    ],
)
def test_engine_check(tmp_path, files, kind):
    assert verdict(tmp_path, files).kind == kind


def test_not_engine_description(tmp_path):
    v = verdict(tmp_path, {"wsgi.py": "from app import app\napplication = app\n", "app.py": FLASK_APP})
    assert v.what == "`Flask(__name__)` (app.py:2)"
    v = verdict(tmp_path, {"wsgi.py": "def application(environ, start_response):\n    return []\n"})
    assert v.what == "the plain function `application` (wsgi.py:1)"


def test_django_with_whitenoise_fires(tmp_path):
    got = lint(
        tmp_path,
        {
            "leanengine.yaml": STRICT,
            "requirements.txt": SDK,
            "wsgi.py": "from django.core.wsgi import get_wsgi_application\nfrom whitenoise import WhiteNoise\n"
            "application = get_wsgi_application()\napplication = WhiteNoise(application, root='static')\n",
        },
    )
    assert got == [
        "leanengine.yaml:1:1: "
        + NOT_AN_ENGINE.format(path="wsgi.py", what="`WhiteNoise(application, root='static')` (wsgi.py:4)")
    ]


def test_build_root(tmp_path):
    got = lint(
        tmp_path,
        {
            "leanengine.yaml": "buildRoot: api\n" + STRICT,
            "api/requirements.txt": "flask\n",
            "api/app.py": FLASK_APP,
            "api/wsgi.py": "from app import app\napplication = app\n",
        },
    )
    assert got == [
        "leanengine.yaml:2:1: " + NO_SDK.format(req="api/requirements.txt"),
        "leanengine.yaml:2:1: " + NOT_AN_ENGINE.format(path="api/wsgi.py", what="`Flask(__name__)` (api/app.py:2)"),
    ]


def test_flow_mapping_position(tmp_path):
    got = lint(tmp_path, {"leanengine.yaml": "{startupTimeout: 60, functionsMode: strict}\n", "requirements.txt": "flask\n"})
    assert got == ["leanengine.yaml:1:22: " + NO_SDK.format(req="requirements.txt")]


def test_included_requirements(tmp_path):
    files = {"leanengine.yaml": STRICT, "requirements.txt": "-r base.txt\n", "base.txt": SDK}
    assert lint(tmp_path / "a", files) == []
    files = {"leanengine.yaml": STRICT, "requirements.txt": "-r base.txt\n", "base.txt": "flask\n"}
    assert lint(tmp_path / "b", files) == [
        "leanengine.yaml:1:1: " + NO_SDK.format(req="requirements.txt (with the files it includes)")
    ]


@pytest.mark.parametrize(
    "extra",
    [
        {"leancloud/__init__.py": "class Engine: pass\n"},  # the SDK vendored into the project
        {"leanengine.yaml": STRICT + "install: pip install -r requirements.txt leancloud\n"},
        {"requirements.txt": "LeanCloud_SDK==1.13.0\n"},
        {"requirements.txt": "./vendor/leancloud-3.0.0.tar.gz\n", "vendor/leancloud-3.0.0.tar.gz": b""},
    ],
)
def test_sdk_installed_some_other_way(tmp_path, extra):
    files = {"leanengine.yaml": STRICT, "requirements.txt": "flask\n", "wsgi.py": "from cloud import engine\napplication = engine\n",
             "cloud.py": CLOUD, "app.py": FLASK_APP}
    files.update(extra)
    assert lint(tmp_path, files) == []


def test_other_runtime_is_silent(tmp_path):
    files = {"leanengine.yaml": "runtime: nodejs\n" + STRICT, "requirements.txt": "flask\n", "wsgi.py": "application = 1\n"}
    assert lint(tmp_path, files) == []


def test_run_mode_gunicorn_with_engine(tmp_path):
    files = {
        "leanengine.yaml": "run: gunicorn -b 0.0.0.0:${LEANCLOUD_APP_PORT} wsgi:application\n" + STRICT,
        "requirements.txt": SDK + "gunicorn\n",
        "wsgi.py": "from cloud import engine\napplication = engine\n",
        "cloud.py": CLOUD,
        "app.py": FLASK_APP,
    }
    assert lint(tmp_path, files) == []


def test_run_mode_without_engine(tmp_path):
    files = {
        "leanengine.yaml": "run: gunicorn -b 0.0.0.0:${LEANCLOUD_APP_PORT} wsgi:app\n" + STRICT,
        "requirements.txt": SDK + "gunicorn\n",
        "wsgi.py": "from app import app\n",
        "app.py": "import leancloud\n" + FLASK_APP,
    }
    assert lint(tmp_path, files) == [
        "leanengine.yaml:2:1: functionsMode: strict makes the deploy abort unless the app the `run:` program serves "
        "is a `leancloud.Engine` or wrapped by one, but no file it loads (wsgi.py and the project modules it "
        "imports) constructs a `leancloud.Engine`"
    ]


def test_run_mode_engine_in_a_file_not_imported_is_silent(tmp_path):
    # The import graph may miss a dynamic import: an Engine anywhere in the project keeps LE305 quiet.
    files = {
        "leanengine.yaml": "run: python app.py\n" + STRICT,
        "requirements.txt": SDK,
        "app.py": FLASK_APP + "import importlib\nimportlib.import_module(PLUGIN)\n",
        "plugins/cloud.py": "import leancloud\nengine = leancloud.Engine()\n",
    }
    assert lint(tmp_path, files) == []


def test_run_mode_unparsable_runtime_file_is_silent(tmp_path):
    files = {
        "leanengine.yaml": "run: python app.py\n" + STRICT,
        "requirements.txt": SDK,
        "app.py": "import helpers\n" + FLASK_APP,
        "helpers.py": "def (\n",
    }
    assert lint(tmp_path, files) == []


def test_missing_application_is_not_le305s(tmp_path):
    files = {"leanengine.yaml": STRICT, "requirements.txt": SDK, "wsgi.py": "from app import app\n", "app.py": FLASK_APP}
    assert lint(tmp_path, files) == []
