"""model/conditions.py: conditions evaluated with the platform's facts, per environment."""

from __future__ import annotations

import libcst as cst
import pytest

from analyzer.model.conditions import environment_note, environments, truth
from analyzer.model.project import Project
from analyzer.readers.config import Config
from tests.helpers import write_project

PRELUDE = "import os\nfrom os import environ, getenv\n"


def _resolver(tmp_path, source):
    write_project(tmp_path, {"wsgi.py": PRELUDE + source, "requirements.txt": ""})
    return Project(tmp_path, Config()).resolver("wsgi.py")


def _first_if(resolver):
    found = []

    class Finder(cst.CSTVisitor):
        def visit_If(self, node):
            found.append(node)

    resolver.module.visit(Finder())
    return found[0]


@pytest.mark.parametrize(
    "condition,stage,production",
    [
        ("os.environ['LEANCLOUD_APP_ENV'] == 'development'", False, False),
        ("os.environ.get('LEANCLOUD_APP_ENV') == 'production'", False, True),
        ("os.environ.get('LEANCLOUD_APP_ENV', 'development') != 'production'", True, False),
        ("environ['LEANCLOUD_APP_ENV'] in ('stage', 'production')", True, True),
        ("getenv('LEANCLOUD_APP_ENV') not in ['production']", True, False),
        ("not os.getenv('LEANCLOUD_APP_ENV')", False, False),
        ("os.getenv('LEANCLOUD_APP_ENV') is None", False, False),
        ("os.environ.get('LEANCLOUD_APP_ENV', '').lower() == 'stage'", True, False),
        ("ENV == 'development' or DEBUG", False, False),
        ("IS_PROD and os.environ['LEANCLOUD_APP_ID']", False, True),
        ("os.environ.get('LEANCLOUD_SOMETHING')", False, False),  # users cannot set LEANCLOUD_*
        ("os.environ.get('DEBUG')", None, None),  # the user may set it
        ("os.environ.get('DEBUG', '') == 'true'", None, None),
        ("request.args.get('x')", None, None),
        ("os.environ['LEANCLOUD_APP_ID'] == 'abc'", None, None),  # set, to a value lean-lint cannot know
        ("os.environ['LEANCLOUD_APP_ENV'] > 'a'", None, None),
    ],
)
def test_truth_per_environment(tmp_path, condition, stage, production):
    source = (
        "ENV = os.environ.get('LEANCLOUD_APP_ENV', 'development')\n"
        "IS_PROD = ENV == 'production'\n"
        "DEBUG = False\n"
        f"if {condition}:\n    x = 1\n"
    )
    resolver = _resolver(tmp_path, source)
    test = _first_if(resolver).test
    assert (truth(resolver, test, "stage"), truth(resolver, test, "production")) == (stage, production)


def test_environments_of_nested_branches(tmp_path):
    source = (
        "if os.environ.get('LEANCLOUD_APP_ENV') != 'production':\n"
        "    a = 1\n"
        "    if os.environ['LEANCLOUD_APP_ENV'] == 'production':\n"
        "        b = 2\n"
        "elif x:\n"
        "    c = 3\n"
        "else:\n"
        "    d = 4\n"
        "e = 'stage' if os.environ['LEANCLOUD_APP_ENV'] == 'stage' else 'other'\n"
    )
    resolver = _resolver(tmp_path, source)
    names = {}

    class Finder(cst.CSTVisitor):
        def visit_Name(self, node):
            names.setdefault(node.value, node)

        def visit_SimpleString(self, node):
            names.setdefault(node.value, node)

    resolver.module.visit(Finder())
    assert environments(resolver, names["a"]) == {"stage"}
    assert environments(resolver, names["b"]) == set()
    assert environments(resolver, names["c"]) == {"production"}
    assert environments(resolver, names["d"]) == {"production"}
    assert environments(resolver, names["'stage'"]) == {"stage"}
    assert environments(resolver, names["'other'"]) == {"production"}
    assert environments(resolver, names["e"]) == {"stage", "production"}


def test_environment_note():
    assert environment_note(frozenset({"stage"})) == "on stage (LEANCLOUD_APP_ENV=stage): "
    assert environment_note(frozenset({"production"})) == "on production (LEANCLOUD_APP_ENV=production): "
    assert environment_note(frozenset({"stage", "production"})) == ""


@pytest.mark.parametrize(
    "imported,stage,production",
    [
        ("from settings import IS_DEV", False, False),
        ("from settings import IS_PROD", False, True),
        ("import settings\nIS_DEV = settings.IS_DEV", False, False),
        ("from settings import LATE", True, True),  # its final value, bound after a first one
        ("from settings import MAYBE", None, None),  # a parameter's default: unknown callers
    ],
)
def test_truth_of_a_condition_bound_in_another_module(tmp_path, imported, stage, production):
    settings = (
        "import os\n"
        "ENV = os.environ.get('LEANCLOUD_APP_ENV', 'development')\n"
        "IS_DEV = ENV == 'development'\n"
        "IS_PROD = not IS_DEV and ENV == 'production'\n"
        "LATE = ENV == 'nowhere'\n"
        "LATE = ENV != 'nowhere'\n"
        "def f(flag=ENV == 'x'):\n    global MAYBE\n    MAYBE = flag\n"
    )
    write_project(tmp_path, {"wsgi.py": f"{imported}\nif {imported.split()[-1].split('=')[0].strip()}:\n    x = 1\n",
                             "settings.py": settings, "requirements.txt": ""})
    resolver = Project(tmp_path, Config()).resolver("wsgi.py")
    test = _first_if(resolver).test
    assert (truth(resolver, test, "stage"), truth(resolver, test, "production")) == (stage, production)
