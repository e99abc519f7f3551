"""The shared value resolver: what it proves, and what it leaves UNKNOWN."""

from __future__ import annotations

import libcst as cst
import pytest

from analyzer.readers.config import Config
from analyzer.model.project import ModuleContext, Project
from analyzer.model.resolver import argument
from analyzer.model.values import UNKNOWN, EnvRead, Prefix, Value
from tests.helpers import write_project


def _find_marked(module: cst.Module) -> cst.BaseExpression:
    """The argument of the last call to `probe(...)` in the module."""
    found: list[cst.BaseExpression] = []

    class Finder(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            if isinstance(node.func, cst.Name) and node.func.value == "probe":
                found.append(node.args[0].value)

    module.visit(Finder())
    assert found, "no probe(...) in the source"
    return found[-1]


def resolver_for(tmp_path, files, path="wsgi.py"):
    write_project(tmp_path, files)
    project = Project(tmp_path, Config())
    parsed = project.parsed(path)
    ctx = ModuleContext(project, path, parsed, False, True)
    return ctx.resolver, parsed.module


def probe(tmp_path, source, files=None, path="wsgi.py", how="resolve"):
    files = dict(files or {})
    files[path] = source
    resolver, module = resolver_for(tmp_path, files, path)
    expr = _find_marked(module)
    return getattr(resolver, how)(expr)


@pytest.mark.parametrize(
    "source,options",
    [
        ("probe('a' 'b')", ("ab",)),
        ("probe(b'x')", (b"x",)),
        ("probe(3000)", (3000,)),
        ("probe(-1)", (-1,)),
        ("probe(1.5)", (1.5,)),
        ("probe(None)", (None,)),
        ("probe(True)", (True,)),
        ("HOST = '127.0.0.1'\nprobe(HOST)", ("127.0.0.1",)),
        ("probe(HOST)\nHOST = 'late'", ("late",)),
        ("X = 'a'\nX = 'b'\nprobe(X)", ("b",)),  # the later assignment replaced the first
        ("X = 'a'\nprobe(X)\nX = 'b'", ("a",)),  # not yet bound to 'b' there
        ("X = 'a'\nwhile c:\n    probe(X)\n    X = 'b'", ("a", "b")),  # the loop brings the later one back
        ("X = 'a'\nX = f(X)\nprobe(X)", (UNKNOWN,)),
        ("X = 'a'\ndef f():\n    probe(X)\nX = 'b'", ("b",)),  # a function reads the final value
        ("X = 'a'\nif c:\n    X = 'b'\nprobe(X)", ("a", "b")),
        ("if c:\n    X = 'a'\nelse:\n    X = 'b'\nprobe(X)", ("a", "b")),
        ("X: str = 'a'\nprobe(X)", ("a",)),
        ("h, p = '0.0.0.0', 80\nprobe(p)", (80,)),
        ("probe('a' if c else 'b')", ("a", "b")),
        ("probe(f'/data/{x}')", (Prefix("/data/"),)),
        ("probe(f'a{{b}}\\n')", ("a{b}\n",)),
        ("N = 3\nprobe(f'/x/{N}')", ("/x/3",)),
        ("probe('/data/' + name)", (Prefix("/data/"),)),
        ("probe('a' + 'b')", ("ab",)),
        ("probe('%s:%d' % ('h', 80))", ("h:80",)),
        ("probe('{}:{p}'.format('h', p=80))", ("h:80",)),
        ("probe(str(3000))", ("3000",)),
        ("probe(int('3000'))", (3000,)),
        ("import os\nprobe(os.environ.get('LEANCLOUD_APP_PORT', 3000))", (EnvRead("LEANCLOUD_APP_PORT"),)),
        ("import os\nprobe(int(os.environ.get('LEANCLOUD_APP_PORT', 3000)))", (EnvRead("LEANCLOUD_APP_PORT"),)),
        ("import os\nprobe(os.environ['LEANCLOUD_APP_PORT'])", (EnvRead("LEANCLOUD_APP_PORT"),)),
        ("from os import environ\nprobe(environ['LEANCLOUD_APP_ENV'])", (EnvRead("LEANCLOUD_APP_ENV"),)),
        ("from os import getenv as g\nprobe(g('LEANCLOUD_APP_ID'))", (EnvRead("LEANCLOUD_APP_ID"),)),
        ("import os\nprobe(os.environ.get('HOST', '127.0.0.1'))", ("127.0.0.1",)),
        ("import os\nprobe(os.getenv('HOST', default='h'))", ("h",)),
        ("import os\nprobe(os.environ.get('LEANCLOUD_APP_PORT') or 3000)", (EnvRead("LEANCLOUD_APP_PORT"),)),
        ("probe('' or 'x')", ("x",)),
        ("import os\nprobe(os.path.join('/home/leanengine', 'tmp', 'x'))", ("/home/leanengine/tmp/x",)),
        ("import os\nprobe(os.path.dirname(__file__))", ("/home/leanengine/app",)),
        ("import os.path as p\nprobe(p.abspath('data'))", ("/home/leanengine/app/data",)),
        ("import os\nprobe(os.path.expanduser('~/x'))", ("/home/leanengine/x",)),
        ("import os\nprobe(os.path.join('/tmp', name))", (Prefix("/tmp/"),)),
        ("from pathlib import Path\nprobe(Path(__file__).parent / 'static')", ("/home/leanengine/app/static",)),
        ("from pathlib import Path\nprobe(Path.home() / 'x')", ("/home/leanengine/x",)),
        ("import pathlib\nprobe(pathlib.Path('a').joinpath('b', 'c'))", ("a/b/c",)),
        ("def f():\n    x = 'local'\n    probe(x)", ("local",)),
        ("X = 'mod'\ndef f():\n    probe(X)", ("mod",)),
        # a project function's own returns, not those of functions or classes inside it
        ("def make():\n    def inner():\n        return 'x'\n    return 'y'\nprobe(make())", ("y",)),
        ("def make():\n    if a:\n        return 'x'\n    return 'y'\nprobe(make())", ("x", "y")),
        ("def make():\n    yield 'x'\n    return 'y'\nprobe(make())", (UNKNOWN,)),  # a generator
        ("def make():\n    if a:\n        return 'x'\nprobe(make())", (UNKNOWN,)),  # may end without one
        ("X = 'mod'\ndef f():\n    X = 'local'\n    probe(X)", ("local",)),
        ("def f():\n    if a:\n        host = 'localhost'\n    else:\n        host = '0.0.0.0'\n    probe(host)", ("localhost", "0.0.0.0")),
        ("import os\nprobe(os.sep)", ("/",)),
    ],
)
def test_resolves(tmp_path, source, options):
    assert probe(tmp_path, source).options == options


@pytest.mark.parametrize(
    "source",
    [
        "probe(x)",
        "import os\nprobe(os.environ['HOST'])",
        "import os\nprobe(os.environ.get('HOST'))",
        "import os\nprobe(os.environ.get('PORT') or 5000)",
        "def f(x='a'):\n    probe(x)",
        "for x in 'ab':\n    probe(x)",
        "X = 'a'\nX += 'b'\nprobe(X)",
        "A = B\nB = A\nprobe(A)",
        "X = 'a'\ndef f():\n    global X\n    X = 'b'\nprobe(X)",
        "with open('f') as fh:\n    probe(fh)",
        "from somewhere import *\nprobe(X)",
        "probe(some.call())",
        "probe(int('x'))",
        "probe(f'{x}/data')",
        "probe('%s' % x)",
        "h, p = get()\nprobe(p)",
    ],
)
def test_unknown(tmp_path, source):
    value = probe(tmp_path, source)
    assert not value.known, value


def test_partly_unknown_is_not_known(tmp_path):
    value = probe(tmp_path, "if c:\n    X = 'a'\nelse:\n    X = g()\nprobe(X)")
    assert value.options == ("a", UNKNOWN)
    assert not value.known and value.any(lambda o: o == "a") and not value.all(lambda o: o == "a")
    assert value.single is UNKNOWN


def test_user_env_default_is_recorded(tmp_path):
    value = probe(tmp_path, "import os\nHOST = os.environ.get('HOST', '127.0.0.1')\nprobe(HOST)")
    assert value.options == ("127.0.0.1",)
    assert value.assumes_unset == ("HOST",)


def test_deep_chain_does_not_crash(tmp_path):
    lines = ["X0 = 'a'"] + [f"X{i} = X{i - 1}" for i in range(1, 300)] + ["probe(X299)"]
    value = probe(tmp_path, "\n".join(lines))
    assert value.options in (("a",), (UNKNOWN,))


def test_constant_from_project_module(tmp_path):
    files = {"config.py": "HOST = '127.0.0.1'\nPORT = 8080\n", "pkg/__init__.py": "", "pkg/settings.py": "P = 1\n"}
    assert probe(tmp_path, "from config import HOST\nprobe(HOST)", files).options == ("127.0.0.1",)
    assert probe(tmp_path, "import config\nprobe(config.PORT)", files).options == (8080,)
    assert probe(tmp_path, "from pkg import settings\nprobe(settings.P)", files).options == (1,)
    assert probe(tmp_path, "from .config import PORT\nprobe(PORT)", files).options == (8080,)


def test_file_in_subpackage_and_build_root(tmp_path):
    files = {"leanengine.yaml": "buildRoot: api\n", "api/wsgi.py": "", "api/pkg/__init__.py": ""}
    value = probe(tmp_path, "import os\nprobe(os.path.dirname(__file__))", files, path="api/pkg/mod.py")
    assert value.options == ("/home/leanengine/app/pkg",)


@pytest.mark.parametrize(
    "source,options",
    [
        ("probe('data/x')", ("/home/leanengine/app/data/x",)),
        ("probe('/home/leanengine/tmp/../x')", ("/home/leanengine/x",)),
        ("probe(f'/home/leanengine/tmp/../x/{n}')", (Prefix("/home/leanengine/x/"),)),
        ("probe(f'out/{n}')", (Prefix("/home/leanengine/app/out/"),)),
        ("probe(f'{n}')", (UNKNOWN,)),
        ("import os\nprobe(os.path.join(os.path.dirname(__file__), '..', 'x'))", ("/home/leanengine/x",)),
    ],
)
def test_resolve_path(tmp_path, source, options):
    assert probe(tmp_path, source, how="resolve_path").options == options


@pytest.mark.parametrize(
    "source,name",
    [
        ("from flask import Flask as F\nprobe(F)", "flask.Flask"),
        ("import os.path as p\nprobe(p.join)", "os.path.join"),
        ("import os.path\nprobe(os.path.join)", "os.path.join"),
        ("import os\nprobe(os.environ.get)", "os.environ.get"),
        ("from os import environ\nenv = environ\nprobe(env.get)", "os.environ.get"),
        ("def f():\n    import socket\n    probe(socket.socket)", "socket.socket"),
        ("probe(open)", None),
        ("x = 1\nprobe(x)", None),
        ("try:\n    import simplejson as json\nexcept ImportError:\n    import json\nprobe(json)", None),
        ("from leancloud.engine import Engine\nprobe(Engine)", "leancloud.engine.Engine"),
        ("import leancloud.engine\nprobe(leancloud.engine.Engine)", "leancloud.engine.Engine"),
        ("from a import X\nfrom b import X\nprobe(X)", None),  # rebound: ambiguous
        ("probe(f().x)", None),
    ],
)
def test_qualified_name(tmp_path, source, name):
    assert probe(tmp_path, source, how="qualified_name") == name


def test_qualified_name_relative(tmp_path):
    files = {"pkg/__init__.py": "", "pkg/sibling.py": ""}
    assert probe(tmp_path, "from . import sibling\nprobe(sibling.x)", files, path="pkg/mod.py", how="qualified_name") == "pkg.sibling.x"


@pytest.mark.parametrize(
    "source,files,name",
    [
        ("from flask import Flask\napp = Flask(__name__)\nprobe(app)", {}, "flask.Flask"),
        ("import flask\napp = flask.Flask(__name__)\nprobe(app)", {}, "flask.Flask"),
        ("from app import app\nprobe(app)", {"app.py": "from flask import Flask\napp = Flask(__name__)\n"}, "flask.Flask"),
        (
            "from app import create_app\napp = create_app()\nprobe(app)",
            {"app.py": "from flask import Flask\ndef create_app():\n    app = Flask(__name__)\n    return app\n"},
            "flask.Flask",
        ),
        ("app = make()\nprobe(app)", {}, None),
        ("from flask import Flask\nimport sanic\napp = Flask(__name__)\napp = sanic.Sanic('x')\nprobe(app)", {}, None),
    ],
)
def test_instance_of(tmp_path, source, files, name):
    assert probe(tmp_path, source, files, how="instance_of") == name


def test_elements_and_argument(tmp_path):
    resolver, module = resolver_for(tmp_path, {"wsgi.py": "ADDR = ('0.0.0.0', 80)\nprobe(ADDR)\ns.bind(x, *a, port=1)\n"})
    expr = _find_marked(module)
    items = resolver.elements(expr)
    assert [resolver.resolve(i).single for i in items] == ["0.0.0.0", 80]
    call = module.body[2].body[0].value
    assert argument(call, 0) is not None and argument(call, 1) is None and argument(call, name="port") is not None


def test_value_helpers():
    v = Value(("127.0.0.1", "localhost"))
    assert v.known and v.all(lambda o: "l" in o or o.startswith("127")) and v.single is UNKNOWN
    assert Value((UNKNOWN,)).all(lambda o: True) is False


def test_with_binding_is_an_instance_but_not_a_value(tmp_path):
    source = "import socket\nwith socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:\n    probe(s)\n"
    assert probe(tmp_path, source, how="instance_of") == "socket.socket"
    assert not probe(tmp_path, source).known
    resolver, module = resolver_for(tmp_path, {"wsgi.py": source})
    call = resolver.creation(_find_marked(module))
    assert resolver.qualified_name(argument(call, 1)) == "socket.SOCK_DGRAM"


@pytest.mark.parametrize(
    "source,options",
    [
        ("X = 'mod'\nclass C:\n    X = 'cls'\n    probe(X)", ("cls",)),
        ("X = 'mod'\nclass C:\n    X = 'cls'\n    def f(self):\n        probe(X)", ("mod",)),
        ("X = 'mod'\nprobe([X for X in 'ab'][0] and X)", (UNKNOWN,)),
        ("X = 'mod'\ndef f():\n    [1 for X in 'ab']\n    probe(X)", ("mod",)),
        ("def f():\n    [y := 'w' for _ in 'a']\n    probe(y)", ("w",)),
        ("X = 'mod'\ndef f(a=probe(X)):\n    X = 'local'", ("mod",)),
        ("def f():\n    x = 'a'\n    def g():\n        nonlocal x\n        x = 'b'\n    probe(x)", ("a", UNKNOWN)),
        ("def f(): x = 'one'; probe(x)", ("one",)),
        ("probe((lambda x='d': x)())", (UNKNOWN,)),
    ],
)
def test_scopes(tmp_path, source, options):
    assert probe(tmp_path, source).options == options


def test_no_exponential_work(tmp_path):
    lines = ["X0 = 'a'"] + [f"X{i} = X{i - 1} + X{i - 1}" for i in range(1, 80)] + ["probe(X79)"]
    value = probe(tmp_path, "\n".join(lines))
    assert not value.known or len(value.single) <= 4096
    lines = ["N0 = 3"] + [f"N{i} = N{i - 1} * N{i - 1}" for i in range(1, 80)] + ["probe(N79)"]
    assert probe(tmp_path, "\n".join(lines)).options == (UNKNOWN,)
    factory = (
        "def make(n):\n"
        + "".join(f"    if n == {i}:\n        return make(n - 1)\n" for i in range(12))
        + "    return make(n)\n"
        "probe(make(3))\n"
    )
    assert probe(tmp_path, factory, how="instance_of") is None


def test_lookup_is_public(tmp_path):
    resolver, module = resolver_for(tmp_path, {"wsgi.py": "import os as o\nX = 1\nprobe(X)\nprobe(o)\n"})
    expr = _find_marked(module)
    (binding,) = resolver.lookup(expr)
    assert (binding.kind, binding.qualname) == ("import", "os")


def test_import_cycle_between_modules(tmp_path):
    files = {"a.py": "from b import X\n", "b.py": "from a import X\n"}
    assert probe(tmp_path, "from a import X\nprobe(X)", files).options == (UNKNOWN,)
    files = {"a.py": "from b import X\nY = 'y'\n", "b.py": "from a import Y as X\n"}
    assert probe(tmp_path, "from a import X\nprobe(X)", files).options == ("y",)
