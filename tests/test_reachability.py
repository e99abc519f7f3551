"""model/reachability.py: which functions can run on the platform."""

from __future__ import annotations

from analyzer.model.project import Project
from analyzer.model.reachability import live_names
from analyzer.readers.config import Config
from tests.helpers import write_project

APP = """
import click, threading
from flask import Flask
from views import View
app = Flask(__name__)

@app.route('/')
def index():
    return helper()

def helper():
    return 'ok'

def never():
    return nested()

def nested():
    pass

@click.command()
def cli_only():
    cli_helper()

def cli_helper():
    pass

def in_thread():
    pass

threading.Thread(target=in_thread).start()
app.add_url_rule('/v', view_func=View.as_view('v'))
HANDLERS = ['views.by_string']
if __name__ == '__main__':
    main_only()

def main_only():
    pass
"""

VIEWS = """
class View:
    def get(self):
        return self.render()
    def render(self):
        pass

class Unused:
    def method_of_unused(self):
        pass

def by_string():
    pass
"""


def test_live_and_dead_functions(tmp_path):
    write_project(tmp_path, {"wsgi.py": "from app import app as application\n", "app.py": APP, "views.py": VIEWS})
    live = live_names(Project(tmp_path, Config()))
    for name in ("index", "helper", "in_thread", "get", "render", "by_string", "View", "application"):
        assert name in live, name
    for name in ("never", "nested", "cli_only", "cli_helper", "main_only", "Unused", "method_of_unused"):
        assert name not in live, name


def test_the_run_program_main_block_runs(tmp_path):
    write_project(tmp_path, {"leanengine.yaml": "run: python app.py\n", "app.py": APP, "views.py": VIEWS})
    live = live_names(Project(tmp_path, Config()))
    assert "main_only" in live
    assert "never" not in live


def test_a_run_line_callable_is_called_by_the_platform(tmp_path):
    write_project(
        tmp_path,
        {"leanengine.yaml": "run: gunicorn 'factory:create_app()' -b 0.0.0.0:${LEANCLOUD_APP_PORT}\n",
         "factory.py": "def create_app():\n    return build()\ndef build():\n    pass\ndef other():\n    pass\n"},
    )
    live = live_names(Project(tmp_path, Config()))
    assert {"create_app", "build"} <= live
    assert "other" not in live
