"""LE709 end to end: cloud functions and hooks registered twice on one leancloud.Engine."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import located, run, write_project

FIXTURES = Path(__file__).resolve().parent / "fixtures"
APP = "from flask import Flask\napp = Flask(__name__)\n"
CLOUD = "from leancloud import Engine\nfrom app import app\nengine = Engine(app)\n"


def le709(tmp_path, files, messages=False):
    write_project(tmp_path, {"app.py": APP} | files)
    return located(run(tmp_path, select=("LE709",)), "LE709", with_message=messages)


def test_fixture_reports_the_second_registrations():
    got = located(run(FIXTURES / "issue6_flask_engine", select=("LE709",)), "LE709", with_message=True)
    assert got == [
        "functions.py:9:2: the cloud function `hello` is already registered (cloud.py:8): the SDK "
        "raises RuntimeError at import, and the app never starts",
        "functions.py:19:2: the before_save hook of class `Todo` is already registered "
        "(cloud.py:15): the SDK raises RuntimeError at import, and the app never starts",
    ]


def test_the_second_in_import_order(tmp_path):
    # wsgi imports b before cloud's own registration runs: b's runs first, cloud's is the second.
    files = {
        "wsgi.py": "from cloud import engine\napplication = engine\n",
        "cloud.py": CLOUD + "import b\n@engine.define\ndef hello(**p):\n    pass\n",
        "b.py": "from cloud import engine\n@engine.define('hello')\ndef other(**p):\n    pass\n",
    }
    assert le709(tmp_path, files, messages=True) == [
        "cloud.py:5:2: the cloud function `hello` is already registered (b.py:2): the SDK raises "
        "RuntimeError at import, and the app never starts"
    ]


def test_call_forms_lambda_and_constant_names(tmp_path):
    files = {
        "wsgi.py": "from cloud import engine\napplication = engine\n",
        "cloud.py": CLOUD + "NAME = 'greet'\ndef greet(**p):\n    pass\n"
        "engine.define(greet)\nengine.define(NAME)(lambda **p: None)\n"
        "engine.define(lambda **p: 1)\nengine.define(lambda **p: 2)\n",
    }
    assert le709(tmp_path, files) == ["cloud.py:8:1", "cloud.py:10:1"]


def test_engine_through_module_attribute_and_wrap(tmp_path):
    files = {
        "wsgi.py": "import cloud\nimport more\napplication = cloud.engine\n",
        "cloud.py": "from leancloud import Engine\nfrom app import app\nengine = Engine().wrap(app)\n"
        "@engine.on_login\ndef login(user):\n    pass\n",
        "more.py": "import cloud\n@cloud.engine.on_login\ndef login_again(user):\n    pass\n"
        "@cloud.engine.on_verified('sms')\ndef sms(user):\n    pass\n@cloud.engine.on_verified('email')\n"
        "def mail(user):\n    pass\n",
    }
    assert le709(tmp_path, files) == ["more.py:2:2"]


def test_try_and_with_bodies_run_on_import(tmp_path):
    files = {
        "wsgi.py": "from cloud import engine\napplication = engine\n",
        "cloud.py": CLOUD + "try:\n    @engine.define\n    def f(**p):\n        pass\nexcept Exception:\n"
        "    @engine.define\n    def f(**p):\n        pass\n"
        "with open(__file__):\n    @engine.define\n    def f(**p):\n        pass\n",
    }
    assert le709(tmp_path, files) == ["cloud.py:13:6"]


def test_branches_loops_classes_and_other_engines_are_left_alone(tmp_path):
    files = {
        "wsgi.py": "from cloud import engine\napplication = engine\n",
        "cloud.py": CLOUD + "import sys\nfor i in range(2):\n    @engine.define\n    def f(**p):\n        pass\n"
        "class Holder:\n    @engine.define\n    def f(**p):\n        pass\n"
        "def make():\n    return Engine()\nspare = make()\n@spare.define\ndef f(**p):\n    pass\n"
        "@engine.define(name='f')\ndef g(**p):\n    pass\n"
        "@unknown.define\ndef f(**p):\n    pass\n",
    }
    assert le709(tmp_path, files) == []


def test_the_main_block_of_the_run_program_is_not_compared(tmp_path):
    files = {
        "leanengine.yaml": "run: python wsgi.py\n",
        "wsgi.py": CLOUD + "@engine.define\ndef f(**p):\n    pass\nif __name__ == '__main__':\n"
        "    @engine.define\n    def f(**p):\n        pass\n",
    }
    assert le709(tmp_path, files) == []


def test_hooks_of_different_classes_and_kinds(tmp_path):
    files = {
        "wsgi.py": "from cloud import engine\napplication = engine\n",
        "cloud.py": CLOUD + "@engine.before_save('A')\ndef a(o):\n    pass\n@engine.before_save('B')\ndef b(o):\n    pass\n"
        "@engine.after_save('A')\ndef c(o):\n    pass\n@engine.before_update('A')\ndef d(o):\n    pass\n"
        "@engine.after_delete('A')\ndef e(o):\n    pass\n@engine.after_delete('A')\ndef f(o):\n    pass\n"
        "@engine.define\ndef before_save(**p):\n    pass\n",
    }
    assert le709(tmp_path, files) == ["cloud.py:19:2"]
