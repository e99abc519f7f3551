"""Shared by the wsgi rules (LE103, LE104)."""

from __future__ import annotations

import difflib
from typing import Optional

import libcst as cst

from analyzer.model.bindings import Binding, ModuleBindings, project_bindings
from analyzer.model.project import Project

NAME = "application"


IMPORT_FAILS = "the platform's import of wsgi.py fails"


#: What the platform starts in WSGI mode, for messages.
SERVED = "the name the platform serves"


#: Names apps are usually bound to, in the order a hint prefers them.
APP_NAMES = ("engine", "app", "wsgi_app", "wsgi_application", "flask_app", "django_app", "api", "server", "web_app")


#: Calls that build a WSGI app (qualified through the module's imports).
WSGI_FACTORIES = frozenset(
    {
        "leancloud.Engine", "leancloud.engine.Engine", "flask.Flask", "django.core.wsgi.get_wsgi_application",
        "bottle.Bottle", "bottle.default_app", "falcon.App", "falcon.API", "tornado.wsgi.WSGIAdapter",
        "pyramid.config.Configurator", "werkzeug.middleware.dispatcher.DispatcherMiddleware",
    }
)


FACTORY_FUNCTIONS = ("create_app", "make_app", "get_app", "build_app")


def wsgi_bindings(project: Project) -> Optional[tuple[str, ModuleBindings]]:
    """wsgi.py's path and bindings when the platform serves its `application` (no `run:`), it is
    uploaded at the build root and it parses; None otherwise (LE101 / LE001 cover those)."""
    if not project.python_applies or project.run is not None:
        return None
    path = project.build_path("wsgi.py")
    if path not in project.python_files:
        return None
    mb = project_bindings(project, path)
    return None if mb is None else (path, mb)


def _function_globals_uncalled(mb: ModuleBindings) -> list:
    """`global application` in plain top-level functions that module-level code never calls.
    Empty when any declaration is elsewhere (a method, a nested or decorated function) or called."""
    decls = mb.globals_of(NAME)
    if not decls:
        return []
    for d in decls:
        if not d.plain_top_level or d.scope.name.value in mb.module_calls:
            return []
    return decls


def _final_bindings(mb: ModuleBindings) -> list[Binding]:
    """The last live binding of each name bound at the end of the module, in source order."""
    out = []
    for name, st in mb.final.items():
        if st.bindings and name.isidentifier():
            out.append(st.bindings[-1])
    return sorted(out, key=lambda b: b.order)


def _near_name(mb: ModuleBindings) -> Optional[Binding]:
    """A binding whose name is `application` misspelled or in another case."""
    for b in _final_bindings(mb):
        if b.name == NAME:
            continue
        folded = b.name.lower().strip("_")
        if folded == NAME or (len(b.name) >= 8 and difflib.SequenceMatcher(None, folded, NAME).ratio() >= 0.85):
            return b
    return None


def _app_candidate(project: Project, path: str, mb: ModuleBindings) -> Optional[Binding]:
    """The binding most likely to be the app: the result of a known WSGI factory, else a
    conventional app name (not a module: `import app` binds the module, not the app)."""
    finals = [b for b in _final_bindings(mb) if b.kind != "import"]
    resolver = project.resolver(path)
    for b in finals:
        if b.value is not None and isinstance(b.value, cst.Call) and resolver is not None and resolver.qualified_name(b.value.func) in WSGI_FACTORIES:
            return b
    by_name = {b.name: b for b in finals}
    for name in APP_NAMES:
        if name in by_name:
            return by_name[name]
    for name in FACTORY_FUNCTIONS:
        b = by_name.get(name)
        if b is not None and b.kind in ("def", "from"):
            return b
    return None
