"""Shared by the functions_mode rules (LE305)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

import libcst as cst

from analyzer.model.project import Project
from analyzer.model.requirements import project_requirements
from analyzer.model.routes import engine_calls
from analyzer.platform.sdk import ENGINE_CLASSES
from analyzer.support.visiting import children

#: The SDK's Engine class, as code names it through imports.
#: Distributions that install the `leancloud` package (the 1.x SDK was published as leancloud-sdk).
SDK_DISTRIBUTIONS = ("leancloud", "leancloud-sdk", "leancloud-sdk-ng")


STRICT_FACT = "functionsMode: strict needs"


ENGINE = "engine"


NOT_ENGINE = "not-engine"


UNKNOWN = "unknown"


@dataclass(frozen=True)
class Verdict:
    kind: str
    #: For NOT_ENGINE: what the value is, for a message ("`Flask(__name__)` (app.py:3)").
    what: str = ""


_UNKNOWN = Verdict(UNKNOWN)


_ENGINE = Verdict(ENGINE)


def _combine(verdicts: list[Verdict]) -> Verdict:
    if not verdicts:
        return _UNKNOWN
    kinds = {v.kind for v in verdicts}
    if kinds == {ENGINE}:
        return _ENGINE
    if kinds == {NOT_ENGINE}:
        return verdicts[0]
    return _UNKNOWN


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


class EngineCheck:
    """Is a module-level name of a project file a `leancloud.Engine`? Judges what the resolver's
    provenance (`Resolver.sources`) says the name was written as: an Engine, `engine.wrap(...)`, or
    something that is not one (a call of an outside library that gets no Engine, a plain function or
    class, a lambda); a project class, a method of an object or anything dynamic is UNKNOWN."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._active: set = set()

    def name(self, rel: str, name: str) -> Verdict:
        """`name` as other modules see it (its final value in `rel`)."""
        r = self.project.resolver(rel)
        key = (rel, name)
        if r is None or key in self._active:
            return _UNKNOWN
        self._active.add(key)
        try:
            return self._sources(r.name_sources(name))
        finally:
            self._active.discard(key)

    def expr(self, r: Any, expr: cst.BaseExpression) -> Verdict:
        return self._sources(r.sources(expr))

    def _sources(self, sources: tuple) -> Verdict:
        return _combine([self.source(s) for s in sources])

    def source(self, source: Any) -> Verdict:
        r, node = source.resolver, source.node
        if node is None or r.dynamic_namespace():
            return _UNKNOWN
        where = f"{r.path}:{r.ctx.parsed.span(node).line}"
        if isinstance(node, cst.Call):
            return self.call(r, node)
        if isinstance(node, cst.FunctionDef):
            if not node.decorators and not self.mentions_engine(r, node):
                return Verdict(NOT_ENGINE, f"the plain function `{node.name.value}` ({where})")
            return _UNKNOWN
        if isinstance(node, cst.ClassDef):
            if not node.bases and not node.keywords and not node.decorators and not self.mentions_engine(r, node):
                return Verdict(NOT_ENGINE, f"the plain class `{node.name.value}` ({where})")
            return _UNKNOWN
        if isinstance(node, cst.Lambda):
            if self.mentions_engine(r, node):
                return _UNKNOWN
            return Verdict(NOT_ENGINE, f"a lambda ({where})")
        return _UNKNOWN

    def mentions_engine(self, r: Any, node: cst.CSTNode) -> bool:
        """Could this function / class / lambda hand requests to an Engine (`return engine(environ,
        start_response)`)? Then the platform's check may pass through it: lean-lint does not judge."""
        code = r.module.code_for_node(node)
        if "engine" in code.lower() or ".wrap(" in code:
            return True
        names: dict[str, None] = {}
        stack = [node]
        while stack and len(names) < 64:
            current = stack.pop()
            if isinstance(current, cst.Name):
                names.setdefault(current.value, None)
            else:
                stack.extend(children(current))
        return any(r.module_bindings(n) and self.name(r.path, n).kind == ENGINE for n in names)

    def call(self, r: Any, call: cst.Call) -> Verdict:
        if id(call) in self._active:
            return _UNKNOWN  # `app = Wrapper(app)` read back through a cycle
        self._active.add(id(call))
        try:
            return self._call(r, call)
        finally:
            self._active.discard(id(call))

    def _call(self, r: Any, call: cst.Call) -> Verdict:
        qualified = r.qualified_name(call.func)
        if qualified in ENGINE_CLASSES:
            return _ENGINE
        func = call.func
        if isinstance(func, cst.Attribute) and func.attr.value == "wrap":
            if self.expr(r, func.value).kind == ENGINE:
                return _ENGINE  # Engine.wrap(app) returns the engine itself
        if qualified is None:
            return _UNKNOWN  # a local function, a method of an object, a name lean-lint cannot resolve
        top = qualified.split(".")[0]
        if top == "leancloud" or self.project.is_project_module(top):
            return _UNKNOWN  # a project class, or a project function whose returns are not all known
        # A callable from outside the project: its result is no Engine, unless it wraps one.
        for arg in call.args:
            if self.argument(r, arg.value).kind != NOT_ENGINE:
                return _UNKNOWN
        return Verdict(NOT_ENGINE, f"`{_short(r.module.code_for_node(call))}` ({r.path}:{r.ctx.parsed.span(call).line})")

    def argument(self, r: Any, expr: cst.BaseExpression) -> Verdict:
        """An argument of an outside call: could an Engine be passed in (and so wrapped)?"""
        if isinstance(expr, cst.Name):
            if expr.value.startswith("__") and expr.value.endswith("__") and r.lookup(expr) is None:
                return Verdict(NOT_ENGINE, "a module attribute")  # `__name__`, `__file__`
            return self.expr(r, expr)
        if isinstance(expr, (cst.Attribute, cst.Call, cst.IfExp, cst.Lambda)):
            return self.expr(r, expr)
        if isinstance(expr, (cst.List, cst.Tuple, cst.Set)):
            return _combine([self.argument(r, e.value) for e in expr.elements] or [Verdict(NOT_ENGINE)])
        if isinstance(expr, cst.Dict):
            values = [e.value for e in expr.elements if isinstance(e, cst.DictElement)]
            if len(values) != len(expr.elements):
                return _UNKNOWN
            return _combine([self.argument(r, v) for v in values] or [Verdict(NOT_ENGINE)])
        if isinstance(expr, (cst.BaseString, cst.Integer, cst.Float, cst.Imaginary, cst.Ellipsis)):
            return Verdict(NOT_ENGINE, "a literal")
        if isinstance(expr, (cst.BinaryOperation, cst.Comparison, cst.UnaryOperation, cst.BooleanOperation)):
            return Verdict(NOT_ENGINE, "an operation")
        return _UNKNOWN


def wraps_attribute(project: Project, rel: str) -> bool:
    """`app.wsgi_app = engine.wrap(app.wsgi_app)` / `x.y = Engine(...)`: an Engine hooked in as an
    attribute of another object, which the served app may call."""
    for r, call in engine_calls(project, rel):
        statement = r.parent(call)
        if isinstance(statement, cst.Assign) and statement.value is call:
            if any(isinstance(t.target, (cst.Attribute, cst.Subscript)) for t in statement.targets):
                return True
    return False


def _custom_install(project: Project) -> bool:
    """leanengine.yaml's `install` runs commands of its own: they may install the SDK."""
    value = project.le_value("install")
    if value is None:
        return False
    steps = value if isinstance(value, list) else [value]
    return any(not (isinstance(s, dict) and set(s) <= {"use", "require"}) for s in steps)


def sdk_missing(project: Project) -> Optional[str]:
    """The requirements file that provably does not install `leancloud`, or None."""
    if project.is_project_module("leancloud") or _custom_install(project):
        return None

    reqs = project_requirements(project)
    if not reqs.files or reqs.unnamed:
        return None  # no requirements.txt (another rule's finding), or requirements whose names pip learns later
    if any(reqs.has(name) for name in SDK_DISTRIBUTIONS):
        return None
    if len(reqs.files) > 1:
        return f"{reqs.files[0]} (with the files it includes)"
    return reqs.files[0]
