"""The resolver's provenance answers (`Resolver.sources`): which written expressions a value comes
from, followed the same way as values are."""

from __future__ import annotations

import libcst as cst
import pytest

from tests.test_values import probe


def _shown(sources) -> list[tuple[str, str | None, str | None]]:
    """(file, the source's code or None when unknown, via) of each source."""
    out = []
    for s in sources:
        code = None if s.node is None else s.resolver.module.code_for_node(s.node)
        out.append((s.resolver.path, code, s.via))
    return out


@pytest.mark.parametrize(
    "source,expected",
    [
        ("probe('k')", [("wsgi.py", "'k'", None)]),
        ("K = 'k'\nprobe(K)", [("wsgi.py", "'k'", "K")]),
        ("A = 'a'\nB = A\nprobe(B)", [("wsgi.py", "'a'", "A")]),  # the innermost name
        ("K = 'a' if c else 'b'\nprobe(K)", [("wsgi.py", "'a'", "K"), ("wsgi.py", "'b'", "K")]),
        ("import os\nK = os.environ.get('X') or 'd'\nprobe(K)",
         [("wsgi.py", "os.environ.get('X')", "K"), ("wsgi.py", "'d'", "K")]),
        ("K = 'a'\nK = 'b'\nprobe(K)", [("wsgi.py", "'b'", "K")]),  # replaced in straight-line code
        ("for K in x:\n    pass\nprobe(K)", [("wsgi.py", None, "K")]),
        ("probe(len)", [("wsgi.py", "len", None)]),  # a builtin: the consumer judges the name
        ("from flask import Flask\napp = Flask(__name__)\nprobe(app)", [("wsgi.py", "Flask(__name__)", "app")]),
        ("from somewhere import app\nprobe(app)", [("wsgi.py", None, "app")]),  # outside the project
        ("def f():\n    pass\nprobe(f)", [("wsgi.py", "def f():\n    pass\n", "f")]),
        # a project function's returns
        ("from flask import Flask\ndef make():\n    a = Flask('x')\n    return a\nprobe(make())",
         [("wsgi.py", "Flask('x')", "a")]),
        # may end without a return: unknown
        ("def make():\n    if c:\n        return 'x'\nprobe(make())", [("wsgi.py", None, None)]),
        # parameters: every call site's argument, or the default
        ("def f(p='d'):\n    probe(p)\nf('a')\nf()", [("wsgi.py", "'a'", "p"), ("wsgi.py", "'d'", "p")]),
        ("def f(p):\n    probe(p)", [("wsgi.py", None, "p")]),  # called from nowhere lean-lint sees
        # self.attr: class attributes and assignments in methods
        ("class C:\n    k = 'a'\n    def __init__(self):\n        self.k = 'b'\n    def m(self):\n        probe(self.k)\nC().m()",
         [("wsgi.py", "'a'", "k"), ("wsgi.py", "'b'", "k")]),
    ],
)
def test_sources(tmp_path, source, expected):
    assert _shown(probe(tmp_path, source, how="sources")) == expected


def test_sources_across_modules(tmp_path):
    files = {"config.py": "import os\nKEY = os.environ.get('K', 'abc')\n", "settings.py": "from config import KEY\n"}
    got = _shown(probe(tmp_path, "import settings\nprobe(settings.KEY)", files, how="sources"))
    assert got == [("config.py", "os.environ.get('K', 'abc')", "KEY")]


def test_sources_within(tmp_path):
    """Names are not followed into files outside `within`: the path is unknown there."""
    files = {"config.py": "KEY = 'abc'\n"}
    resolver_source = "from config import KEY\nprobe(KEY)"
    from tests.test_values import _find_marked, resolver_for

    resolver, module = resolver_for(tmp_path, {**files, "wsgi.py": resolver_source})
    expr = _find_marked(module)
    assert _shown(resolver.sources(expr, within=frozenset({"wsgi.py"}))) == [("wsgi.py", None, "KEY")]
    assert _shown(resolver.sources(expr, within=frozenset({"wsgi.py", "config.py"}))) == [("config.py", "'abc'", "KEY")]


def test_sources_in_one_environment(tmp_path):
    """Per environment, bindings in branches dead there are left out and `a if c else b` is decided."""
    source = (
        "import os\n"
        "if os.environ['LEANCLOUD_APP_ENV'] == 'development':\n    K = 'dev'\nelse:\n    K = 'live'\n"
        "probe(K)"
    )
    from tests.test_values import _find_marked, resolver_for

    resolver, module = resolver_for(tmp_path, {"wsgi.py": source})
    expr = _find_marked(module)
    assert [s.via for s in resolver.sources(expr)] == ["K", "K"]
    with resolver.project.in_environment("stage"):
        assert _shown(resolver.sources(expr)) == [("wsgi.py", "'live'", "K")]
