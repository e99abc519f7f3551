"""LE103 / LE104 end to end, and the path analysis of analyzer/model/bindings.py they rest on."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from analyzer.model.bindings import (
    ALWAYS,
    MAYBE,
    NEVER,
    UNKNOWN,
    STAR,
    absolute_module,
    module_bindings,
    project_bindings,
    resolve_name,
)
from analyzer.readers.config import Config
from analyzer.model.project import Project
from tests.helpers import located, run, write_project


def bindings(src: str, **kw):
    if src.startswith("\n"):
        src = textwrap.dedent(src[1:])
    return module_bindings(cst.parse_module(src), **kw)


def gap_text(src: str, name: str = "application", **kw) -> str:
    mb = bindings(src, **kw)
    st = mb.state(name)
    assert st is not None and st.gap is not None
    return mb.describe_gap(st.gap, name)


# -- module_bindings: statuses ------------------------------------------------------------------------

STATUS_CASES = [
    ("application = app\n", ALWAYS),
    ("app = application = make()\n", ALWAYS),
    ("application: Callable = app\n", ALWAYS),
    ("application: Callable\n", NEVER),  # an annotation alone binds nothing
    ("application, other = make()\n", ALWAYS),
    ("[a, *application] = make()\n", ALWAYS),
    ("application += x\n", ALWAYS),
    ("def application(environ, start_response):\n    pass\n", ALWAYS),
    ("class application:\n    pass\n", ALWAYS),
    ("import app as application\n", ALWAYS),
    ("import application.sub\n", ALWAYS),
    ("from m import app as application\n", ALWAYS),
    ("print(application := make())\n", ALWAYS),
    ("x = y or (application := make())\n", MAYBE),
    ("x = [(application := i) for i in y]\n", MAYBE),
    ("f = lambda: (application := 1)\n", NEVER),
    ("with open('f') as application:\n    pass\n", ALWAYS),
    ("with a() as (application, b):\n    pass\n", ALWAYS),
    ("for application in apps:\n    pass\n", MAYBE),
    ("def f():\n    application = 1\n", NEVER),
    ("class C:\n    application = 1\n", NEVER),
    ("application.x = 1\n", NEVER),
    ("app[application] = 1\n", NEVER),
    ("if a:\n    application = 1\n", MAYBE),
    ("if a:\n    application = 1\nelse:\n    application = 2\n", ALWAYS),
    ("if a:\n    application = 1\nelif b:\n    application = 2\n", MAYBE),
    ("if a:\n    application = 1\nelif b:\n    application = 2\nelse:\n    raise SystemExit(1)\n", ALWAYS),
    ("if a: application = 1\nelse: application = 2\n", ALWAYS),
    ("if True:\n    application = 1\n", ALWAYS),
    ("if 0:\n    application = 1\n", NEVER),
    ("if False:\n    pass\nelse:\n    application = 1\n", ALWAYS),
    ("if TYPE_CHECKING:\n    application = 1\n", NEVER),
    ("if typing.TYPE_CHECKING:\n    application = 1\n", NEVER),
    ("if not TYPE_CHECKING:\n    application = 1\n", ALWAYS),
    ("if __name__ == '__main__':\n    application = 1\n", NEVER),
    ("if '__main__' == __name__:\n    application = 1\n", NEVER),
    ("if __name__ != '__main__':\n    application = 1\n", ALWAYS),
    ("if __name__ == '__main__':\n    pass\nelse:\n    application = 1\n", ALWAYS),
    ("try:\n    application = a()\nexcept ImportError:\n    application = b()\n", ALWAYS),
    ("try:\n    application = a()\nexcept ImportError:\n    pass\n", MAYBE),
    ("try:\n    application = a()\nexcept ImportError:\n    raise\n", ALWAYS),
    ("try:\n    application = a()\nexcept ImportError:\n    sys.exit(1)\n", ALWAYS),
    ("try:\n    application = a()\nexcept ImportError:\n    os._exit(1)\n", ALWAYS),
    ("try:\n    pass\nexcept ImportError:\n    application = b()\n", MAYBE),
    ("try:\n    x = 1\nexcept E:\n    pass\nelse:\n    application = 1\n", MAYBE),
    ("try:\n    x = 1\nfinally:\n    application = 1\n", ALWAYS),
    ("try:\n    application = 1\nfinally:\n    pass\n", ALWAYS),
    ("try:\n    pass\nexcept* E:\n    pass\napplication = 1\n", ALWAYS),
    ("try:\n    pass\nexcept E as application:\n    pass\n", NEVER),
    ("while True:\n    application = 1\n    break\n", ALWAYS),
    ("while x:\n    application = 1\n", MAYBE),
    ("while False:\n    application = 1\n", NEVER),
    ("for x in y:\n    pass\nelse:\n    application = 1\n", ALWAYS),
    ("for x in y:\n    if x:\n        break\nelse:\n    application = 1\n", MAYBE),
    ("application = 1\ndel application\n", NEVER),
    ("application = 1\ndel application\napplication = 2\n", ALWAYS),
    ("application = 1\nif a:\n    del application\n", MAYBE),
    ("application = 1\ndel (x, application)\n", NEVER),
    ("match x:\n    case 1:\n        application = 1\n    case _:\n        application = 2\n", ALWAYS),
    ("match x:\n    case 1:\n        application = 1\n", MAYBE),
    ("match x:\n    case application:\n        pass\n", ALWAYS),
    ("match x:\n    case [1, *application]:\n        pass\n    case _:\n        application = 1\n", ALWAYS),
    ("match x:\n    case {'a': 1, **application}:\n        pass\n", MAYBE),
    ("match x:\n    case other if other:\n        application = 1\n", MAYBE),
    ("type application = int\n", ALWAYS),
    ("raise SystemExit\napplication = 1\n", NEVER),
    ("import sys\nif not ok:\n    sys.exit(1)\napplication = 1\n", ALWAYS),
]


@pytest.mark.parametrize("src,status", STATUS_CASES)
def test_status(src, status):
    assert bindings(src).status("application") == status


def test_main_guard_runs_for_the_main_program():
    src = "if __name__ == '__main__':\n    application = 1\n"
    assert bindings(src, main_runs=True).status("application") == ALWAYS
    assert bindings("if __name__ != '__main__':\n    application = 1\n", main_runs=True).status("application") == NEVER


# -- module_bindings: why a name may be unbound ------------------------------------------------------

GAP_CASES = [
    ("if a:\n    application = 1\n", "it is bound only inside the `if` at line 1, which has no `else`"),
    ("if a:\n    application = 1\nelse:\n    pass\n", "the `else` branch at line 3 does not bind it"),
    ("if a:\n    pass\nelse:\n    application = 1\n", "the `if` branch at line 1 does not bind it"),
    ("if a:\n    application = 1\nelif b:\n    pass\nelse:\n    application = 2\n", "the `elif` branch at line 3 does not bind it"),
    ("for x in y:\n    application = x\n", "it is bound only inside the `for` loop at line 1, whose body may run zero times"),
    ("while x:\n    application = x\n", "it is bound only inside the `while` loop at line 1, whose body may run zero times"),
    ("try:\n    application = a()\nexcept E:\n    pass\n", "the `except` handler at line 3 does not bind it"),
    ("try:\n    pass\nexcept E:\n    application = 1\n",
     "it is bound only in the `except` handler at line 3, not when the `try` body succeeds"),
    ("match x:\n    case 1:\n        application = 1\n", "the `match` at line 1 may match no `case`"),
    ("match x:\n    case 1:\n        pass\n    case _:\n        application = 1\n", "the `case` at line 2 does not bind it"),
    ("x = y or (application := 1)\n", "it is bound by `:=` at line 1, in an expression that may not be evaluated"),
    ("application = 1\nif a:\n    del application\n", "`del application` at line 3 removes it"),
    ("application = 1\ndel application\n", "`del application` at line 2 removes it"),
]


@pytest.mark.parametrize("src,text", GAP_CASES)
def test_gap_text(src, text):
    assert gap_text(src) == text


def test_binding_details():
    mb = bindings(
        """
        import leancloud as lc
        from app import app
        app2 = application = lc.Engine(app)
        """
    )
    st = mb.state("application")
    assert [b.kind for b in st.bindings] == ["assign"]
    b = st.bindings[0]
    assert mb.code(b.value) == "lc.Engine(app)"
    assert mb.parsed.span(b.node).line == 3 and mb.parsed.span(b.node).column == 8
    assert [x.name for x in mb.bindings] == ["lc", "app", "app2", "application"]
    assert mb.bindings_of("app2")[0].value is b.value
    assert mb.bindings_of("application", before=b.order) == []


def test_tuple_target_has_no_value():
    mb = bindings("application, other = make()\n")
    assert mb.state("application").bindings[0].value is None


def test_guarded_imports():
    mb = bindings("try:\n    from a import b\nexcept ImportError:\n    b = None\nfrom c import d\n")
    assert [(x.name, x.guarded) for x in mb.bindings] == [("b", True), ("b", False), ("d", False)]


def test_dead_bindings_and_guard_text():
    mb = bindings("if __name__ == \"__main__\":\n    application = app\nif TYPE_CHECKING:\n    import x\n")
    assert [(d.binding.name, d.why) for d in mb.dead] == [("application", "main-guard"), ("x", "type-checking")]
    assert mb.guard_text(mb.dead[0]) == 'if __name__ == "__main__":'
    assert mb.unbound_reason("application", "wsgi.py") == (
        "wsgi.py binds `application` only under `if __name__ == \"__main__\":` (line 1), which does not run when "
        "the module is imported"
    )
    assert mb.unbound_reason("other", "wsgi.py") == "wsgi.py never binds `other`"


def test_absolute_module():
    def absmod(src, package):
        return absolute_module(cst.parse_statement(src).body[0], package)

    assert absmod("from a.b import c", "") == "a.b"
    assert absmod("from . import c", "pkg") == "pkg"
    assert absmod("from .m import c", "pkg.sub") == "pkg.sub.m"
    assert absmod("from ..m import c", "pkg.sub") == "pkg.m"
    assert absmod("from . import c", "") is None
    assert absmod("from ...m import c", "pkg") is None


def test_exported_names():
    assert bindings("__all__ = ['a']\na = b = 1\n").exported_names() == (frozenset({"a"}), True)
    assert bindings("__all__ = ('a',)\n__all__ += ['b']\n").exported_names() == (frozenset({"a", "b"}), True)
    assert bindings("a = 1\n_b = 2\nimport os\n").exported_names() == (frozenset({"a", "os"}), True)
    assert bindings("a = 1\nfrom x import *\n").exported_names() == (frozenset({"a"}), False)
    names, complete = bindings("__all__ = ['a']\n__all__.append('b')\na = 1\n").exported_names()
    assert names == frozenset({"a"})  # `__all__` grows at run time: fall back on the public names
    assert bindings("__all__ = make()\nx = 1\n").exported_names() == (frozenset({"x"}), True)


def test_star_import_of_unknown_module():
    mb = bindings("from somewhere import *\n")
    assert STAR in mb.final and mb.status(STAR) == ALWAYS
    assert mb.stars[0][1] == "somewhere"
    mb = bindings("from a import *\n", star_names=lambda m: (frozenset({"application"}), True))
    assert mb.status("application") == ALWAYS and STAR not in mb.final


def test_dynamic_and_globals():
    assert bindings("globals()['application'] = 1\n").dynamic
    assert bindings("import sys\nsetattr(sys.modules[__name__], 'application', 1)\n").dynamic
    assert bindings("import sys\nsys.modules[__name__].application = 1\n").dynamic
    assert bindings("import sys\nsys.modules[__name__].__dict__.update(x)\n").dynamic
    assert bindings("import sys\nsys.modules[__name__] = Wrapper()\n").dynamic
    assert not bindings("import sys\nif 'gevent' in sys.modules:\n    x = 1\n").dynamic
    assert bindings("exec('application = 1')\n").dynamic
    assert bindings("def __getattr__(name):\n    pass\n").dynamic
    assert not bindings("def f():\n    exec('x = 1')\n").dynamic
    mb = bindings("def init():\n    global application\n    application = 1\ninit()\nclass C:\n    def m(self):\n        global x\n")
    assert [(g.name, g.plain_top_level) for g in mb.global_decls] == [("application", True), ("x", False)]
    assert "init" in mb.module_calls


def test_deep_nesting_does_not_crash():
    src = "".join("    " * i + f"if c{i}:\n" for i in range(60)) + "    " * 60 + "application = 1\n"
    assert bindings(src).status("application") == MAYBE


def test_large_module_does_not_hang():
    """3000 bindings in one `try`: a flow model that re-joined every name per statement went
    quadratic here. In a subprocess, so that a hang fails at the timeout instead of blocking."""
    import subprocess
    import sys

    code = (
        "import textwrap\n"
        "from tests.test_wsgi_application import bindings\n"
        "body = ''.join(f'v{i} = f({i})\\n' for i in range(3000))\n"
        "src = 'try:\\n' + textwrap.indent(body, '    ') + 'except ImportError:\\n    pass\\napplication = 1\\n'\n"
        "print(bindings(src).status('application'))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=240, check=True)
    assert done.stdout.strip() == ALWAYS


# -- resolve_name across project modules --------------------------------------------------------------


def project(tmp_path, files, **kw):
    write_project(tmp_path, files)
    return Project(tmp_path, Config(**kw))


def test_resolve_follows_project_imports(tmp_path):
    p = project(
        tmp_path,
        {
            "wsgi.py": "from a import application\n",
            "a.py": "from b import app as application\n",
            "b.py": "import os\nif os.environ.get('X'):\n    app = 1\n",
        },
    )
    res = resolve_name(p, "wsgi.py", "application")
    assert res.status == MAYBE
    assert res.reason == "it comes from a.py, where it comes from b.py, where it is bound only inside the `if` at line 2, which has no `else`"
    assert project_bindings(p, "wsgi.py").parsed.span(res.node).column == 15


def test_resolve_import_cycle_is_unknown(tmp_path):
    p = project(tmp_path, {"wsgi.py": "from a import application\n", "a.py": "from wsgi import application\n"})
    assert resolve_name(p, "wsgi.py", "application").status == UNKNOWN


def test_resolve_star_cycle_terminates(tmp_path):
    p = project(
        tmp_path,
        {"wsgi.py": "from a import *\n", "a.py": "from b import *\nx = 1\n", "b.py": "from a import *\napplication = 1\n"},
    )
    assert resolve_name(p, "wsgi.py", "application").status == ALWAYS


def test_resolve_relative_import_in_package(tmp_path):
    p = project(
        tmp_path,
        {"pkg/__init__.py": "from .app import application\n", "pkg/app.py": "x = 1\n"},
    )
    res = resolve_name(p, "pkg/__init__.py", "application")
    assert res.status == NEVER and res.reason == "pkg/app.py never binds `application`"


def test_project_bindings_memoized_and_unparsable(tmp_path):
    p = project(tmp_path, {"wsgi.py": "application = 1\n", "bad.py": "def (\n"})
    assert project_bindings(p, "wsgi.py") is project_bindings(p, "wsgi.py")
    assert project_bindings(p, "bad.py") is None
    assert resolve_name(p, "bad.py", "x").status == UNKNOWN


# -- the rules end to end ----------------------------------------------------------------------------------


def findings(tmp_path, files, codes=("LE103", "LE104")):
    write_project(tmp_path, files)
    return located(run(tmp_path, select=codes), with_message=True)


def test_build_root_module_resolution(tmp_path):
    got = findings(
        tmp_path,
        {
            "leanengine.yaml": "buildRoot: api\n",
            "api/wsgi.py": "from app import application\n",
            "api/app.py": "from flask import Flask\napp = Flask(__name__)\n",
            "app.py": "application = 1\n",  # outside the build root: not the module wsgi.py imports
        },
    )
    assert got == [
        "api/wsgi.py:1:17: `from app import application` imports `application` from api/app.py, "
        "but api/app.py never binds `application`: the platform's import of wsgi.py fails"
    ]


def test_star_import_respects_all(tmp_path):
    got = findings(
        tmp_path,
        {"wsgi.py": "from app import *\n", "app.py": "__all__ = ['app']\napp = object()\napplication = app\n"},
    )
    assert got == [
        "wsgi.py:1:1: wsgi.py binds `app` but never `application`, the name the platform serves"
    ]


def test_star_import_of_module_with_unknown_names(tmp_path):
    got = findings(tmp_path, {"wsgi.py": "from app import *\n", "app.py": "from flask_stuff import *\n"})
    assert got == [
        "wsgi.py:1:1: the platform may find `application` unbound in wsgi.py: it comes from "
        "app.py, where it may come from `from flask_stuff import *` (line 1)"
    ]


def test_lowercase_typo_hint(tmp_path):
    write_project(tmp_path, {"wsgi.py": "from app import app\napplicaton = app\n"})
    report = run(tmp_path, select=("LE103",))
    [f] = report.active
    assert (f.line, f.column) == (2, 1)
    assert f.hint == "Rename `applicaton` to `application`, or add `application = applicaton`."


def test_main_guard_hint(tmp_path):
    write_project(tmp_path, {"wsgi.py": "if __name__ == '__main__':\n    from app import app as application\n"})
    [f] = run(tmp_path, select=("LE103",)).active
    assert (f.line, f.column, f.code) == (2, 21, "LE103")
    assert f.hint == "Move the `application` binding above the `if` block, to the top level of wsgi.py."


def test_factory_function_hint(tmp_path):
    write_project(tmp_path, {"wsgi.py": "from app import create_app\n"})
    [f] = run(tmp_path, select=("LE103",)).active
    assert f.hint == "Add `application = create_app()` at the top level of wsgi.py."


def test_except_as_unbinds(tmp_path):
    got = findings(tmp_path, {"wsgi.py": "try:\n    import x\nexcept ImportError as application:\n    pass\n"})
    assert got == [
        "wsgi.py:3:1: `except ... as application` at line 3 unbinds `application` when the handler "
        "ends, before the platform reads it"
    ]


def test_never_both_rules(tmp_path):
    cases = [
        {"wsgi.py": "x = 1\n"},
        {"wsgi.py": "if a:\n    application = 1\n"},
        {"wsgi.py": "from a import application\n", "a.py": "x = 1\n"},
        {"wsgi.py": "from a import application\n", "a.py": "if b:\n    application = 1\n"},
    ]
    for i, files in enumerate(cases):
        root = tmp_path / str(i)
        root.mkdir()
        got = findings(root, files)
        assert len(got) == 1, (files, got)


def test_uploaded_only(tmp_path):
    # wsgi.py held back by .leanignore is not uploaded: LE101's finding, not LE103's.
    assert findings(tmp_path, {"wsgi.py": "x = 1\n", ".leanignore": "wsgi.py\n"}) == []


def test_suppression_comment(tmp_path):
    assert findings(tmp_path, {"wsgi.py": "if a:  # lean-lint: ignore[LE104]\n    application = 1\n"}) == [
        "wsgi.py:2:5: the platform may find `application` unbound in wsgi.py: it is bound only "
        "inside the `if` at line 1, which has no `else`"
    ]
    assert findings(tmp_path, {"wsgi.py": "if a:\n    application = 1  # lean-lint: ignore[LE104]\n"}) == []


def test_reaching_stops_at_an_unconditional_binding():
    mb = bindings("app = a()\nif x:\n    app = b()\napp = c()\nif y:\n    app = d()\nuse = app\n")
    use = mb.bindings_of("use")[0]
    assert [mb.code(b.value) for b in mb.reaching("app", use.order)] == ["c()", "d()"]
    assert [b.depth for b in mb.bindings_of("app")] == [0, 1, 0, 1]
