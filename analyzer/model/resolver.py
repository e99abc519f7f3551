"""The shared value resolver: what an expression provably holds on the platform.

Rules ask one question of code: "what can this host / port / path / mode be?". The answer is a
`Value`: the possible outcomes on different branches (`'localhost' if dev else '0.0.0.0'` has two),
each a constant, a `Prefix` (a string known up to a prefix), an `EnvRead` (a variable the platform
sets) or `UNKNOWN`. Only a fixed set of patterns is understood (literals, constants, simple local
assignments, `os.path` / `pathlib` arithmetic, string building, environment reads); nothing of the
project is ever run. What cannot be proven is UNKNOWN, and rules never report UNKNOWN outcomes.

A name bound several times in one scope has every bound value as an option, except those a later
assignment in straight-line code of that scope has replaced before the use (`X = 'a'; X = 'b'`
holds 'b'; a function reads the name's final value). A binding that is not a simple assignment (a
loop target, `+=`, a `global` write from a function...) adds UNKNOWN; a parameter holds what its
call sites pass. Constants imported from project modules (`from config import PORT`,
`config.PORT`) are resolved in their module.

Besides values, the resolver answers where a value comes from (`sources`): the expressions a
name's value was written as, followed the same way and with the same depth budget, for the rules
that judge the written expression itself (the literal a key is written in, the call that created
an app object, the default of an environment read).
"""

from __future__ import annotations

import ast
import posixpath
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterator

import libcst as cst

from analyzer.model.conditions import environments, truth
from analyzer.model.values import MAX_OPTIONS as _MAX_OPTIONS
from analyzer.model.values import UNKNOWN, UNKNOWN_VALUE, EnvRead, Prefix, Value, const, merge
from analyzer.platform.environment import PLATFORM_VARS, RESERVED_PREFIX
from analyzer.platform.paths import APP_DIR, HOME_DIR
from analyzer.support.visiting import NoFieldHooks, walk

if TYPE_CHECKING:
    from analyzer.model.project import ModuleContext, Project


_MAX_DEPTH = 40
#: Call sites are looked for in at most this many modules (those whose text names the function).
_MAX_CALLER_FILES = 16


def argument(call: cst.Call, index: int | None = None, name: str | None = None) -> cst.BaseExpression | None:
    """The expression passed as positional `index` or keyword `name`; None when absent or when a
    `*args` before it makes the position unknowable. A None with `has_star_args(call)` true means
    "maybe passed": do not assume a default then."""
    pos: int | None = 0
    for arg in call.args:
        if arg.keyword is not None:
            if name is not None and arg.keyword.value == name:
                return arg.value
            continue
        if arg.star:
            if arg.star == "*":
                pos = None  # later positions are unknowable
            continue
        if index is not None and pos is not None and pos == index:
            return arg.value
        if pos is not None:
            pos += 1
    return None


def has_star_args(call: cst.Call) -> bool:
    return any(arg.star for arg in call.args)


# -- scopes and bindings ----------------------------------------------------------------------------

#: The node types `_Index.events` records.
_EVENTS = frozenset({cst.Call, cst.Decorator, cst.ClassDef, cst.Assign, cst.AugAssign})
_SCOPE_TYPES = (cst.Module, cst.FunctionDef, cst.ClassDef, cst.Lambda)
_COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)


@dataclass(frozen=True, eq=False)
class Source:
    """An expression a value was written as, where following it stopped (`Resolver.sources`).

    `node`: a literal, a call the resolver does not follow (`Flask(__name__)`, `os.environ.get(...)`),
    a `FunctionDef` / `ClassDef` / `Lambda`, a name or attribute bound outside the project, or any
    other expression; None when the value cannot be followed (a parameter whose callers are not
    all seen, a loop target, a name bound nowhere lean-lint sees). `resolver`: the resolver of the
    module `node` is in. `via`: the innermost name followed to reach it (None: written in place).
    """

    resolver: "Resolver"
    node: cst.CSTNode | None
    via: str | None = None


@dataclass(frozen=True)
class _Binding:
    kind: str  # "value" (an expression), "import" (a qualified name), "def" (a function / class),
    # "with" (`with expr as name`: expr), "param" (expr: (the function or lambda, its Param)), "unknown"
    expr: Any = None  # the bound expression, the FunctionDef / ClassDef, or the import statement
    qualname: str | None = None


_UNKNOWN_BINDING = _Binding("unknown")
Binding = _Binding


class _Scope:
    """The names one scope (the module, a function, a class body, a lambda) binds."""

    def __init__(self) -> None:
        self.bindings: dict[str, list[_Binding]] = {}
        self.globals: set[str] = set()  # `global` names declared in this (function) scope

    def add(self, name: str, binding: _Binding) -> None:
        self.bindings.setdefault(name, []).append(binding)


class _Index(NoFieldHooks, cst.CSTVisitor):
    """One walk over a module: every node's parent and every scope's bindings.

    A function's or class's own name is bound in the enclosing scope, and so are its decorators,
    defaults and bases; its body is its own scope. Comprehension targets bind nothing outside the
    comprehension; walrus targets inside one bind in the enclosing scope, as in Python."""

    def __init__(self, module: cst.Module, package: str) -> None:
        super().__init__()
        self.package = package
        self.parents: dict[int, cst.CSTNode] = {}
        self.scopes: dict[int, _Scope] = {id(module): _Scope()}
        self.module_scope = self.scopes[id(module)]
        self._nodes: list[cst.CSTNode] = []
        self._scopes: list[tuple[cst.CSTNode, cst.CSTNode | None, _Scope]] = [(module, None, self.module_scope)]
        self._pending: dict[int, cst.CSTNode] = {}  # id(body) -> the function / class / lambda owning it
        #: id(Name) -> the innermost scope (module, function, class body, lambda) whose body holds it,
        #: and id(scope) -> the scopes a name there is looked up in, innermost first.
        self.name_scope: dict[int, cst.CSTNode] = {}
        self.chains: dict[int, list[cst.CSTNode]] = {id(module): [module]}
        #: Calls by the called name (`f(...)`, `x.f(...)` -> "f"): the call sites of a function.
        self.calls: dict[str, list[cst.Call]] = {}
        #: The calls, decorators, classes and assignments in the order a walk meets them, so that
        #: the models reading them (the listen rules' server starts, the routes scan) need no walk
        #: of their own.
        self.events: list[cst.CSTNode] = []
        #: Instance attributes set in methods (`self.path = value`): id(class) -> name -> values
        #: (None: set by something other than a plain assignment).
        self.instance_attrs: dict[int, dict[str, list[cst.BaseExpression | None]]] = {}
        #: Where things happen in execution order, without positions (which cost a metadata pass):
        #: id(Name) -> the step at which it is read; id(bound expression / import / def) -> the step
        #: at which the binding takes effect (when the node has been evaluated). One step per node
        #: entered and per node left.
        self.ticks: dict[int, int] = {}
        self._tick = 0
        self._awaiting: set[int] = set()
        #: id(function) -> the values of its own `return`s (not of nested functions or classes), and
        #: the functions with a `yield` of their own.
        self.returns: dict[int, list[cst.BaseExpression]] = {}
        self.yields: set[int] = set()

    @property
    def call_order(self) -> Iterator[cst.Call]:
        """Every call, in the order a walk meets them."""
        return (node for node in self.events if type(node) is cst.Call)

    @property
    def scope(self) -> _Scope:
        return self._scopes[-1][2]

    def on_visit(self, node: cst.CSTNode) -> bool:
        self._tick += 1
        if self._nodes:
            self.parents[id(node)] = self._nodes[-1]
        self._nodes.append(node)
        if type(node) in _EVENTS:
            self.events.append(node)
        elif type(node) is cst.Return:
            if node.value is not None:
                self.returns.setdefault(id(self._scopes[-1][0]), []).append(node.value)
        elif type(node) is cst.Yield:
            self.yields.add(id(self._scopes[-1][0]))
        if type(node) is cst.Name:
            self.name_scope[id(node)] = self._scopes[-1][0]
            self.ticks[id(node)] = self._tick
        owner = self._pending.pop(id(node), None)
        if owner is not None:
            functions = [o for o, _, _ in reversed(self._scopes[1:]) if isinstance(o, (cst.FunctionDef, cst.Lambda))]
            self.chains[id(owner)] = [owner, *functions, self._scopes[0][0]]
            scope = _Scope()
            if isinstance(owner, (cst.FunctionDef, cst.Lambda)):
                params = owner.params
                for param in (*params.params, *params.posonly_params, *params.kwonly_params):
                    scope.add(param.name.value, _Binding("param", (owner, param)))
                for star in (params.star_arg, params.star_kwarg):
                    if isinstance(star, cst.Param):
                        scope.add(star.name.value, _UNKNOWN_BINDING)
            self.scopes[id(owner)] = scope
            self._scopes.append((owner, node, scope))
        if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            self.scope.add(node.name.value, _Binding("def", node))
            self._awaiting.add(id(node))
            self._pending[id(node.body)] = node
        elif isinstance(node, cst.Lambda):
            self._pending[id(node.body)] = node
        return super().on_visit(node)

    def on_leave(self, original_node: cst.CSTNode) -> None:
        super().on_leave(original_node)
        self._tick += 1
        if id(original_node) in self._awaiting:
            self.ticks[id(original_node)] = self._tick
        if len(self._scopes) > 1 and self._scopes[-1][1] is original_node:
            self._scopes.pop()
        self._nodes.pop()

    def add_target(self, target: cst.BaseExpression, value: cst.BaseExpression | None) -> None:
        if isinstance(target, cst.Name):
            self.scope.add(target.value, _Binding("value", value) if value is not None else _UNKNOWN_BINDING)
            if value is not None:
                self._awaiting.add(id(value))
        elif isinstance(target, (cst.Tuple, cst.List)):
            elements = list(target.elements)
            values = None
            if isinstance(value, (cst.Tuple, cst.List)) and not any(isinstance(e, cst.StarredElement) for e in elements):
                if len(value.elements) == len(elements) and not any(
                    isinstance(e, cst.StarredElement) for e in value.elements
                ):
                    values = [e.value for e in value.elements]
            for i, element in enumerate(elements):
                self.add_target(element.value, values[i] if values is not None else None)
        elif isinstance(target, cst.StarredElement):
            self.add_target(target.value, None)
        elif isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name):
            self._instance_attr(target.value.value, target.attr.value, value)
        # other attributes and subscripts bind no name

    def _instance_attr(self, receiver: str, attr: str, value: cst.BaseExpression | None) -> None:
        """`self.attr = value` in a method: recorded on the method's class."""
        if len(self._scopes) < 3:
            return
        (method, _, _), (cls, _, _) = self._scopes[-1], self._scopes[-2]
        if not isinstance(method, cst.FunctionDef) or not isinstance(cls, cst.ClassDef):
            return
        params = method.params.posonly_params or method.params.params
        if not params or params[0].name.value != receiver:
            return
        self.instance_attrs.setdefault(id(cls), {}).setdefault(attr, []).append(value)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        name = func.value if isinstance(func, cst.Name) else func.attr.value if isinstance(func, cst.Attribute) else None
        if name is not None:
            self.calls.setdefault(name, []).append(node)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self.add_target(target.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self.add_target(node.target, node.value)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self.add_target(node.target, None)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self.add_target(node.target, node.value)

    def visit_For(self, node: cst.For) -> None:
        self.add_target(node.target, None)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            if isinstance(node.asname.name, cst.Name):
                # Its value is whatever __enter__ returns: unknown, but `instance_of` assumes the
                # object itself (true of sockets, servers and files).
                self.scope.add(node.asname.name.value, _Binding("with", node.item))
            else:
                self.add_target(node.asname.name, None)

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        if node.name is not None:
            self.add_target(node.name.name, None)

    def visit_ExceptStarHandler(self, node: cst.ExceptStarHandler) -> None:
        if node.name is not None:
            self.add_target(node.name.name, None)

    def visit_MatchAs(self, node: cst.MatchAs) -> None:
        if node.name is not None:
            self.scope.add(node.name.value, _UNKNOWN_BINDING)

    def visit_MatchStar(self, node: cst.MatchStar) -> None:
        if node.name is not None:
            self.scope.add(node.name.value, _UNKNOWN_BINDING)

    def visit_MatchMapping(self, node: cst.MatchMapping) -> None:
        if node.rest is not None:
            self.scope.add(node.rest.value, _UNKNOWN_BINDING)

    def visit_Global(self, node: cst.Global) -> None:
        names = {item.name.value for item in node.names}
        self.scope.globals |= names
        if self.scope is not self.module_scope:
            for name in names:  # a function may rebind the module's name
                self.module_scope.add(name, _UNKNOWN_BINDING)

    def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
        for owner, _, scope in self._scopes[1:-1]:
            if isinstance(owner, (cst.FunctionDef, cst.Lambda)):
                for item in node.names:
                    scope.add(item.name.value, _UNKNOWN_BINDING)

    def visit_Import(self, node: cst.Import) -> None:
        self._awaiting.add(id(node))
        for alias in node.names:
            dotted = _dotted(alias.name)
            if dotted is None:
                continue
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                self.scope.add(alias.asname.name.value, _Binding("import", node, qualname=dotted))
            else:
                top = dotted.split(".")[0]
                self.scope.add(top, _Binding("import", node, qualname=top))

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        base = _dotted(node.module) if node.module is not None else ""
        if base is None:
            return
        level = len(node.relative)
        if level:
            parts = self.package.split(".") if self.package else []
            if level - 1 > len(parts):
                base = None
            else:
                kept = parts[: len(parts) - (level - 1)]
                base = ".".join(kept + ([base] if base else []))
        if isinstance(node.names, cst.ImportStar):
            self.scope.add("*", _UNKNOWN_BINDING)
            return
        self._awaiting.add(id(node))
        for alias in node.names:
            name = _dotted(alias.name)
            if name is None:
                continue
            local = alias.asname.name.value if alias.asname is not None and isinstance(alias.asname.name, cst.Name) else name
            if base is None:
                qual = None
            else:
                qual = f"{base}.{name}" if base else (name if level else None)
            self.scope.add(local, _Binding("import", node, qualname=qual) if qual else _UNKNOWN_BINDING)


def _dotted(node: Any) -> str | None:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr.value}" if base else None
    return None


# -- the resolver -----------------------------------------------------------------------------------


class Resolver:
    """Per-module resolver (`ctx.resolver`). Results are cached per node."""

    def __init__(self, ctx: "ModuleContext") -> None:
        self.ctx = ctx
        self.project: "Project" = ctx.project
        self.path = ctx.path
        self.module: cst.Module = ctx.parsed.module
        name = self.project.module_name(self.path) or ""
        self.module_name = name
        self.package = name if self.path.endswith("__init__.py") else name.rpartition(".")[0]
        self._index: _Index | None = None
        self._instances: dict[int, str | None] = {}
        self._params: dict[tuple, Value] = {}
        self._qualnames: dict[int, str | None] = {}
        self._cache: dict[tuple[int, str | None], Value] = {}
        self._sources: dict[tuple, tuple[Source, ...]] = {}
        self._sites: dict[int, list[tuple["Resolver", cst.Call]] | None] = {}
        self._active: set[int] = set()
        self._depth = 0
        #: model.conditions' answers for this module: (id(test), env) -> truth, id(node) -> environments.
        self.truths: dict[tuple[int, str], bool | None] = {}
        self.branch_environments: dict[int, frozenset[str]] = {}

    # -- public API -------------------------------------------------------------------------------

    def resolve(self, expr: cst.BaseExpression) -> Value:
        key = (id(expr), self.project.environment)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        if key in self._active or self._depth > _MAX_DEPTH:
            return UNKNOWN_VALUE
        self._active.add(key)
        self._depth += 1
        try:
            value = self._resolve(expr)
        except RecursionError:
            value = UNKNOWN_VALUE
        finally:
            self._depth -= 1
            self._active.discard(key)
        # Cached even when a cycle or the depth limit cut it short: that only adds UNKNOWN, which is
        # never reported, and caching keeps the work linear (`X2 = X1 + X1` chains, recursion).
        self._cache[key] = value
        return value

    def sources(self, expr: cst.BaseExpression, within: frozenset[str] | None = None) -> tuple[Source, ...]:
        """The expressions `expr`'s value may have been written as (see `Source`), one per path:
        through names in scope (the bindings `resolve` would use), imports and attributes of project
        modules, `self.attr`, parameters (every call site's argument, or the default), both sides of
        `a if c else b` (one, where the environment decides `c`) and of `a or b`, and the `return`s
        of project functions. `within`: the project files names may be followed into (None: all);
        a name bound in another file gives an unknown Source."""
        key = (id(expr), self.project.environment, within)  # the set itself: an id may be reused
        cached = self._sources.get(key)
        if cached is not None:
            return cached
        if key in self._active or self._depth > _MAX_DEPTH:
            return (Source(self, None),)
        self._active.add(key)
        self._depth += 1
        try:
            found = self._sources_of(expr, within)
        except RecursionError:
            found = (Source(self, None),)
        finally:
            self._depth -= 1
            self._active.discard(key)
        self._sources[key] = found  # cut short by a cycle or the budget: only unknown paths added
        return found

    def assigned(self, expr: cst.Name | cst.Attribute) -> list[tuple["Resolver", cst.BaseExpression]] | None:
        """The expressions a name (or a project module's attribute: `settings.DEBUG`), read here,
        was assigned, one level and not followed further, each with the resolver of its module: the
        bindings `resolve` uses, through imports of project modules' names. None when one of them
        is not an assignment (a parameter, a loop target...)."""
        if isinstance(expr, cst.Attribute):
            return self._assigned_in_module(self._qualified(expr, 0))
        bindings = self._lookup(expr)
        if not bindings:
            return None
        return self._assigned_from(self._overridden_left_out(bindings, expr))

    def _assigned_from(self, bindings: list[_Binding]) -> list[tuple["Resolver", cst.BaseExpression]] | None:
        out: list[tuple[Resolver, cst.BaseExpression]] = []
        for b in bindings:
            if b.kind == "value" and b.expr is not None:
                out.append((self, b.expr))
                continue
            inner = self._assigned_in_module(b.qualname) if b.kind == "import" else None
            if inner is None:
                return None
            out += inner
        return out

    def _assigned_in_module(self, qual: str | None) -> list[tuple["Resolver", cst.BaseExpression]] | None:
        """`assigned` of a project module's module-level name (`config.KEY`), as the module leaves it."""
        found = self._project_name_bindings(qual)
        if found is None:
            return None
        other, bindings = found
        with other._reached_from(self):
            return other._assigned_from(bindings)

    def _project_name_bindings(self, qual: str | None) -> tuple["Resolver", list[_Binding]] | None:
        """The module and final bindings of a project module's module-level name (`config.KEY`);
        None when `qual` names none, or past the depth budget."""
        found = self._split_project_name(qual) if qual else None
        if found is None or self._depth > _MAX_DEPTH:
            return None
        other, name = found
        bindings = other.final_bindings(name)
        return (other, bindings) if bindings else None

    def final_bindings(self, name: str) -> list[_Binding] | None:
        """The bindings of a module-level name that other modules and functions read: those no
        later straight-line binding replaced (see `_overridden_left_out`); None when unbound."""
        bindings = self.module_bindings(name)
        return self._overridden_left_out(bindings, None) if bindings else None

    def dynamic_namespace(self) -> bool:
        """May this module's names be bound in ways no statement shows: `globals()`, `exec`,
        `vars()` / `locals()`, `sys.modules[...]`, or a module `__getattr__`? Then no verdict about
        what the module binds, or does not, is drawn from its bindings."""
        calls = self.index.calls
        if any(calls.get(name) for name in ("globals", "exec", "vars", "locals")):
            return True
        if any(b.kind == "def" for b in self.module_bindings("__getattr__") or ()):
            return True
        return "sys.modules" in (self.project.python_text(self.path) or "")

    def name_sources(self, name: str, within: frozenset[str] | None = None) -> tuple[Source, ...]:
        """The sources of a module-level name of this module as other modules see it (its final
        value): `sources` of `config.KEY` from outside."""
        bindings = self.final_bindings(name)
        if not bindings:
            return (Source(self, None, name),)
        return self._sources_of_bindings(bindings, name, within)

    def resolve_path(self, expr: cst.BaseExpression) -> Value:
        value = self.resolve(expr)
        return Value(tuple(_as_path(o) for o in value.options), value.assumes_unset)

    def qualified_name(self, expr: Any, builtins: bool = False) -> str | None:
        """The dotted name an expression refers to through imports (`lc.Engine` with `import
        leancloud as lc` -> "leancloud.Engine"); None when it is not an imported name. With
        `builtins`, a bare name bound nowhere is `builtins.<name>` (`open`, `print`): the one
        policy for builtins, which a module may shadow by binding the name."""
        qual = self._qualified(expr, 0)
        if qual is None and builtins and isinstance(expr, cst.Name) and self._lookup(expr) is None:
            return "builtins." + expr.value
        return qual

    def instance_of(self, expr: Any) -> str | None:
        """The qualified name of the class (or function) whose call produced `expr`'s value, when
        every binding agrees: `app = Flask(__name__)`; `app = create_app()` where the project's
        `create_app` returns `Flask(...)`. None when unknown."""
        return self._instance_of(expr, 0)

    def creation(self, expr: Any) -> cst.Call | None:
        """The one call that created `expr`'s value in this module (`s = socket.socket(AF_INET,
        SOCK_DGRAM)`, `with socket.socket() as s`), or None."""
        for _ in range(_MAX_DEPTH):
            if isinstance(expr, cst.Call):
                return expr
            if not isinstance(expr, cst.Name):
                return None
            bindings = self._lookup(expr)
            if not bindings or len(bindings) != 1 or bindings[0].kind not in ("value", "with"):
                return None
            expr = bindings[0].expr
        return None

    def elements(self, expr: cst.BaseExpression) -> list[cst.BaseExpression] | None:
        """The element expressions of a tuple / list literal, directly or through a name bound to
        one (once); None otherwise."""
        for _ in range(_MAX_DEPTH):
            if isinstance(expr, (cst.Tuple, cst.List)):
                if any(isinstance(e, cst.StarredElement) for e in expr.elements):
                    return None
                return [e.value for e in expr.elements]
            if isinstance(expr, cst.Name):
                bindings = self._lookup(expr)
                if bindings is None or len(bindings) != 1 or bindings[0].kind != "value":
                    return None
                expr = bindings[0].expr
                continue
            return None
        return None

    def file_value(self) -> str:
        """`__file__` on the platform."""
        inner = self.path[len(self.project.build_prefix) :] if self.path.startswith(self.project.build_prefix) else self.path
        return f"{APP_DIR}/{inner}"

    # -- scopes -----------------------------------------------------------------------------------

    @property
    def index(self) -> _Index:
        if self._index is None:
            index = _Index(self.module, self.package)
            walk(self.module, index)
            self._index = index
        return self._index

    def parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        return self.index.parents.get(id(node))

    def _scope_chain(self, node: cst.CSTNode) -> list[cst.CSTNode]:
        """The scopes a name at `node` is looked up in, innermost first (class bodies only when
        `node` is directly in one), ending with the module."""
        index = self.index
        owner = index.name_scope.get(id(node))
        if owner is not None:
            return index.chains[id(owner)]
        chain: list[cst.CSTNode] = []
        child = node
        current = self.parent(node)
        while current is not None:
            if isinstance(current, (cst.FunctionDef, cst.Lambda)):
                if child is current.body:
                    chain.append(current)
            elif isinstance(current, cst.ClassDef):
                if child is current.body and not chain:
                    chain.append(current)
            child, current = current, self.parent(current)
        chain.append(self.module)
        return chain

    def _bindings(self, scope: cst.CSTNode) -> _Scope:
        return self.index.scopes.get(id(scope)) or _Scope()

    def lookup(self, name: cst.Name) -> list[Binding] | None:
        """The bindings a name reference can see (each a `Binding`: kind "value" with the bound
        expression, "import" with its qualified name, "def" with the FunctionDef / ClassDef, "with"
        with the context expression, or "unknown"); None when bound nowhere (a builtin, a star
        import, or undefined)."""
        return self._lookup(name)

    def _lookup(self, name: cst.Name) -> list[_Binding] | None:
        """The bindings a name reference can see; None when it is bound nowhere (a builtin, or from a
        star import, or undefined)."""
        for scope in self._scope_chain(name):
            collector = self._bindings(scope)
            if name.value in collector.globals and not isinstance(scope, cst.Module):
                return self._bindings(self.module).bindings.get(name.value)
            found = collector.bindings.get(name.value)
            if found:
                return found
        return None

    def module_bindings(self, name: str) -> list[_Binding] | None:
        return self._bindings(self.module).bindings.get(name)

    # -- other modules ----------------------------------------------------------------------------

    def _other(self, rel: str) -> "Resolver | None":
        return self.project.resolver(rel)

    def split_project_name(self, qualname: str) -> tuple["Resolver", str] | None:
        """`config.PORT` -> (resolver of config.py, "PORT") when config is a project module."""
        return self._split_project_name(qualname)

    def _split_project_name(self, qualname: str) -> tuple["Resolver", str] | None:
        """`config.PORT` -> (resolver of config.py, "PORT") when config is a project module."""
        parts = qualname.split(".")
        for i in range(len(parts) - 1, 0, -1):
            rel = self.project.module_file(".".join(parts[:i]))
            if rel is not None:
                if i != len(parts) - 1:
                    return None
                other = self._other(rel)
                return (other, parts[-1]) if other is not None else None
        return None

    def _project_constant(self, qualname: str) -> Value:
        found = self._project_name_bindings(qualname)
        if found is None:
            return UNKNOWN_VALUE
        other, bindings = found
        with other._reached_from(self):  # `from a import X` in b and back: bounded
            return other._from_bindings(bindings)

    @contextmanager
    def _reached_from(self, caller: "Resolver") -> Iterator[None]:
        """While another module's resolver follows a name or a call here: one depth budget for both."""
        saved = self._depth
        self._depth = max(saved, caller._depth + 1)
        try:
            yield
        finally:
            self._depth = saved

    # -- resolution -------------------------------------------------------------------------------

    def _from_bindings(self, bindings: list[_Binding]) -> Value:
        values = []
        env = self.project.environment
        for b in bindings:
            if env is not None and b.kind == "value" and b.expr is not None and env not in self._environments(b.expr):
                continue  # bound in a branch that does not run in this environment
            if b.kind == "value":
                values.append(self.resolve(b.expr))
            elif b.kind == "import" and b.qualname:
                values.append(self._project_constant(b.qualname))
            elif b.kind == "param":
                values.append(self._parameter(*b.expr))
            else:
                values.append(UNKNOWN_VALUE)
        return merge(values)

    def _truth_in(self, test: cst.BaseExpression, env: str) -> bool | None:
        with self.project.in_environment(None):  # a condition is decided from every binding
            return truth(self, test, env)

    def _environments(self, node: cst.CSTNode) -> frozenset[str]:
        with self.project.in_environment(None):
            return environments(self, node)

    # -- values through calls ---------------------------------------------------------------------

    def _parameter(self, fn: cst.CSTNode, param: cst.Param) -> Value:
        """What a parameter holds: the argument of every call site in the runtime modules, or its
        default where a call leaves it out. UNKNOWN as well when something may call the function
        without lean-lint seeing the arguments (a decorator registered it, a `*args` call, the
        function passed around as a value)."""
        if not isinstance(fn, cst.FunctionDef) or self._depth > _MAX_DEPTH:
            return UNKNOWN_VALUE
        key = (id(fn), id(param), self.project.environment)
        cached = self._params.get(key)
        if cached is not None:
            return cached
        self._params[key] = UNKNOWN_VALUE  # recursion (a function passing its parameter to itself)
        value = self._parameter_uncached(fn, param)
        self._params[key] = value
        return value

    def _parameter_uncached(self, fn: cst.FunctionDef, param: cst.Param) -> Value:
        sites = self._parameter_sites(fn, param)
        if sites is None:
            return UNKNOWN_VALUE
        return merge(resolver._resolve_from(self, arg) if arg is not None else UNKNOWN_VALUE for resolver, arg in sites)

    def _parameter_sites(self, fn: cst.CSTNode, param: cst.Param) -> list[tuple["Resolver", cst.BaseExpression | None]] | None:
        """What each call of `fn` passes as `param`: (resolver of the caller's module, the argument),
        (self, the default) where a call leaves it out, (caller, None) where lean-lint cannot tell
        (a `*args` call). None when something may call `fn` unseen (see `_parameter`), or nothing
        lean-lint sees calls it."""
        if not isinstance(fn, cst.FunctionDef):
            return None
        method = self._method_kind(fn)
        if method is None:
            return None  # a decorator we do not know may pass anything
        positional = [*fn.params.posonly_params, *fn.params.params]
        shift = 1 if method in ("method", "classmethod") else 0
        if shift and positional and positional[0] is param:
            return None  # `self` / `cls`
        index = positional.index(param) - shift if param in positional else None
        keyword = None if param in fn.params.posonly_params else param.name.value
        sites = self._call_sites(fn, method)
        if not sites:
            return None  # called from nowhere lean-lint sees
        found: list[tuple[Resolver, cst.BaseExpression | None]] = []
        for resolver, call in sites:
            arg = argument(call, index, keyword)
            if arg is not None:
                found.append((resolver, arg))
            elif has_star_args(call):
                found.append((resolver, None))
            else:
                found.append((self, param.default))  # no default: a TypeError at run time, nothing to report
        return found

    def _resolve_from(self, caller: "Resolver", expr: cst.BaseExpression) -> Value:
        """Resolve `expr` of this module for a resolver that got here through a call: one budget."""
        with self._reached_from(caller):
            return self.resolve(expr)

    def _method_kind(self, fn: cst.FunctionDef) -> str | None:
        """"function", "method", "classmethod" or "staticmethod"; None when another decorator wraps
        it (it may be called by a framework, with arguments lean-lint cannot see)."""
        kind = "method" if isinstance(self.parent(self.parent(fn) or fn), cst.ClassDef) else "function"
        for decorator in fn.decorators:
            name = _dotted(decorator.decorator)
            if name in ("staticmethod", "classmethod") and kind == "method":
                kind = name
            elif name not in ("functools.wraps", "wraps", "functools.lru_cache", "lru_cache", "functools.cache", "cache"):
                return None
        return kind

    def _call_sites(self, fn: cst.FunctionDef, method: str) -> list[tuple["Resolver", cst.Call]] | None:
        if id(fn) not in self._sites:
            self._sites[id(fn)] = self._call_sites_uncached(fn, method)
        return self._sites[id(fn)]

    def _call_sites_uncached(self, fn: cst.FunctionDef, method: str) -> list[tuple["Resolver", cst.Call]] | None:
        """The calls of `fn` in the runtime modules (and its own); None when some use of its name may
        be a call lean-lint cannot follow (`obj.name(...)` on an unknown object, the function passed
        as a value)."""
        name = fn.name.value
        cls = self.parent(self.parent(fn) or fn)
        constructor = method == "method" and name == "__init__" and isinstance(cls, cst.ClassDef)
        if constructor:
            name = cls.name.value  # `__init__` runs for `Cache(path)`
        sites: list[tuple[Resolver, cst.Call]] = []
        files = self.project.runtime_files_naming(name)
        if self.path not in files:
            files = sorted({*files, self.path})
        if len(files) > _MAX_CALLER_FILES:
            return None  # a name that common is not worth parsing that many modules for
        for rel in files:
            other = self._other(rel) if rel != self.path else self
            if other is None:
                continue
            calls = other.index.calls.get(name, [])
            if self.project.mentions(rel)[name] > len(calls):
                return None  # the name is used other than as a call: passed around, or in a string
            for call in calls:
                verdict = other._calls_class(call, cls) if constructor else other._calls_fn(call, fn, self, method)
                if verdict is None:
                    return None
                if verdict:
                    sites.append((other, call))
        return sites

    def _calls_fn(self, call: cst.Call, fn: cst.FunctionDef, home: "Resolver", method: str) -> bool | None:
        """Whether this call (in this module) calls `fn` (defined in `home`'s module): True, False,
        or None when it may."""
        func = call.func
        if method == "function":
            if isinstance(func, cst.Name):
                target = self._function_def(func, self._qualified(func, 0))
                return target is not None and target[1] is fn
            qual = self._qualified(func, 0)
            if qual is None:
                return None  # `x.name(...)`: x may be the module
            target = self._function_def(func, qual)
            return target is not None and target[1] is fn
        # a method: `self.name(...)` in the class's own methods, or on an instance of the class
        if not isinstance(func, cst.Attribute):
            return False
        cls = home.parent(home.parent(fn) or fn)
        receiver = func.value
        if isinstance(receiver, cst.Name) and self is home:
            enclosing = self._enclosing_method(call)
            if enclosing is not None and enclosing[1] is cls:
                params = enclosing[0].params.posonly_params or enclosing[0].params.params
                if params and params[0].name.value == receiver.value:
                    return True
        if isinstance(cls, cst.ClassDef):
            made_by = self.instance_of(receiver)
            qual = f"{home.module_name}.{cls.name.value}" if home.module_name else cls.name.value
            if made_by is not None:
                return made_by == qual
        return None

    def _returned_from(self, caller: "Resolver", fn: cst.FunctionDef) -> Value:
        with self._reached_from(caller):
            return self._returned(fn)

    def _calls_class(self, call: cst.Call, cls: cst.ClassDef) -> bool | None:
        """Whether this call (in this module) makes an instance of `cls`: True, False, or None when
        it may (`x.Cache(...)` on an unknown `x`)."""
        func = call.func
        qual = self._qualified(func, 0)
        if isinstance(func, cst.Name):
            bindings = self._lookup(func)
            if bindings and len(bindings) == 1 and bindings[0].kind == "def":
                return bindings[0].expr is cls
        elif qual is None:
            return None
        if qual:
            found = self._split_project_name(qual)
            if found is not None:
                other, name = found
                bindings = other.module_bindings(name) or []
                return len(bindings) == 1 and bindings[0].kind == "def" and bindings[0].expr is cls
        return False

    def _enclosing_method(self, node: cst.CSTNode) -> tuple[cst.FunctionDef, cst.ClassDef] | None:
        child, current = node, self.parent(node)
        while current is not None:
            if isinstance(current, cst.FunctionDef) and child is current.body:
                owner = self.parent(self.parent(current) or current)
                return (current, owner) if isinstance(owner, cst.ClassDef) else None
            if isinstance(current, (cst.ClassDef, cst.Lambda)):
                return None
            child, current = current, self.parent(current)
        return None

    def _self_attribute(self, expr: cst.Attribute) -> Value | None:
        """`self.path` in a method: the class's attribute `path = ...`, and every `self.path = ...` of
        its methods (and of subclasses in this module). None when `expr` is not such a read."""
        assigned = self._self_attribute_values(expr)
        if assigned is None:
            return None
        if not assigned:
            return UNKNOWN_VALUE  # set by a base class, or from outside
        return merge(self.resolve(v) if v is not None else UNKNOWN_VALUE for v in assigned)

    def _self_attribute_values(self, expr: cst.Attribute) -> list[cst.BaseExpression | None] | None:
        """The expressions `self.attr` is assigned in its class (None entries: bound otherwise, as by
        a `def`); None when `expr` is not a `self.attr` read in a method. An object's attribute set
        from outside the class (`obj.path = ...`) is not seen."""
        if not isinstance(expr.value, cst.Name):
            return None
        enclosing = self._enclosing_method(expr)
        if enclosing is None:
            return None
        fn, cls = enclosing
        params = fn.params.posonly_params or fn.params.params
        if not params or params[0].name.value != expr.value.value or fn.decorators:
            return None
        attr = expr.attr.value
        classes = [cls] + [c for c in _classes(self.module) if any(_dotted(b.value) == cls.name.value for b in c.bases)]
        found: list[cst.BaseExpression | None] = []
        for c in classes:
            found += [b.expr if b.kind == "value" else None for b in self._bindings(c).bindings.get(attr, [])]
            found += self.index.instance_attrs.get(id(c), {}).get(attr, [])
        return found

    def _returned(self, fn: cst.FunctionDef) -> Value:
        """What a project function (of this module) returns: every `return` value."""
        returns = self._return_values(fn)
        return merge(self.resolve(r) for r in returns) if returns else UNKNOWN_VALUE

    def _return_values(self, fn: cst.FunctionDef) -> list[cst.BaseExpression] | None:
        """The values a function of this module returns; None when it may end without a `return`
        (or with a bare one only) or is a generator."""
        returns = self.index.returns.get(id(fn))
        if not returns or id(fn) in self.index.yields or not isinstance(_last_statement(fn), (cst.Return, cst.Raise)):
            return None
        return returns

    # -- provenance --------------------------------------------------------------------------------

    def _sources_of(self, expr: cst.BaseExpression, within: frozenset[str] | None) -> tuple[Source, ...]:
        if isinstance(expr, cst.Name):
            if expr.value in ("True", "False", "None"):
                return (Source(self, expr),)
            bindings = self._lookup(expr)
            if bindings is None:
                return (Source(self, expr),)  # a builtin, or bound nowhere: the consumer judges the name
            return self._sources_of_bindings(self._overridden_left_out(bindings, expr), expr.value, within)
        if isinstance(expr, cst.Attribute):
            own = self._self_attribute_sources(expr, within)
            if own is not None:
                return own
            qual = self._qualified(expr, 0)
            found = self._project_name_sources(qual, within) if qual else None
            return found if found is not None else (Source(self, expr),)
        if isinstance(expr, cst.IfExp):
            env = self.project.environment
            taken = self._truth_in(expr.test, env) if env is not None else None
            if taken is not None:
                return self.sources(expr.body if taken else expr.orelse, within)
            return _joined([self.sources(expr.body, within), self.sources(expr.orelse, within)], self)
        if isinstance(expr, cst.BooleanOperation):
            return _joined([self.sources(expr.left, within), self.sources(expr.right, within)], self)
        if isinstance(expr, cst.NamedExpr):
            return self.sources(expr.value, within)
        if isinstance(expr, cst.Call):
            target = self._called_function(expr.func, self.qualified_name(expr.func, builtins=True))
            if target is not None:
                other, fn = target
                if not _may_follow(within, self, other):
                    return (Source(self, None),)
                with other._reached_from(self):
                    return other._returned_sources(fn, within)
        return (Source(self, expr),)

    def _sources_of_bindings(self, bindings: list[_Binding], name: str, within: frozenset[str] | None) -> tuple[Source, ...]:
        found: list[tuple[Source, ...]] = []
        env = self.project.environment
        for b in bindings:
            if env is not None and b.kind == "value" and b.expr is not None and env not in self._environments(b.expr):
                continue  # bound in a branch that does not run in this environment
            if b.kind == "value":
                found.append(self.sources(b.expr, within))
            elif b.kind == "def":
                found.append((Source(self, b.expr, name),))
            elif b.kind == "import" and b.qualname:
                inner = self._project_name_sources(b.qualname, within)
                found.append(inner if inner is not None else (Source(self, None, name),))  # outside the project
            elif b.kind == "param":
                found.append(self._parameter_sources(*b.expr, within))
            else:
                found.append((Source(self, None, name),))
        return tuple(s if s.via is not None else Source(s.resolver, s.node, name) for s in _joined(found, self))

    def _project_name_sources(self, qual: str, within: frozenset[str] | None) -> tuple[Source, ...] | None:
        """The sources of a module-level name of a project module (`config.KEY`); None when `qual`
        names nothing in a project module."""
        found = self._split_project_name(qual)
        if found is None:
            return None
        other, name = found
        if not _may_follow(within, self, other):
            return (Source(self, None, name),)
        with other._reached_from(self):
            return other.name_sources(name, within)

    def _parameter_sources(self, fn: cst.CSTNode, param: cst.Param, within: frozenset[str] | None) -> tuple[Source, ...]:
        sites = self._parameter_sites(fn, param)
        if sites is None:
            return (Source(self, None, param.name.value),)
        found: list[tuple[Source, ...]] = []
        for resolver, arg in sites:
            if arg is None:
                found.append((Source(resolver, None),))
            elif not _may_follow(within, self, resolver):
                found.append((Source(resolver, None),))
            else:
                with resolver._reached_from(self):
                    found.append(resolver.sources(arg, within))
        return _joined(found, self)

    def _self_attribute_sources(self, expr: cst.Attribute, within: frozenset[str] | None) -> tuple[Source, ...] | None:
        assigned = self._self_attribute_values(expr)
        if assigned is None:
            return None
        if not assigned:
            return (Source(self, None, expr.attr.value),)
        found = [self.sources(v, within) if v is not None else (Source(self, None),) for v in assigned]
        return tuple(s if s.via is not None else Source(s.resolver, s.node, expr.attr.value) for s in _joined(found, self))

    def _returned_sources(self, fn: cst.FunctionDef, within: frozenset[str] | None) -> tuple[Source, ...]:
        returns = self._return_values(fn)
        if not returns:
            return (Source(self, None),)
        return _joined([self.sources(r, within) for r in returns], self)

    def _resolve(self, expr: cst.BaseExpression) -> Value:
        if isinstance(expr, (cst.SimpleString, cst.ConcatenatedString)):
            try:
                return const(expr.evaluated_value)
            except Exception:  # noqa: BLE001 - odd escapes
                return UNKNOWN_VALUE
        if isinstance(expr, cst.Integer):
            return const(expr.evaluated_value)
        if isinstance(expr, cst.Float):
            return const(expr.evaluated_value)
        if isinstance(expr, cst.FormattedString):
            return self._fstring(expr)
        if isinstance(expr, cst.Name):
            return self._name(expr)
        if isinstance(expr, cst.Attribute):
            return self._attribute(expr)
        if isinstance(expr, cst.Subscript):
            return self._subscript(expr)
        if isinstance(expr, cst.Call):
            return self._call(expr)
        if isinstance(expr, cst.IfExp):
            env = self.project.environment
            if env is not None:
                taken = self._truth_in(expr.test, env)
                if taken is not None:
                    return self.resolve(expr.body if taken else expr.orelse)
            return merge([self.resolve(expr.body), self.resolve(expr.orelse)])
        if isinstance(expr, cst.BooleanOperation):
            return self._boolop(expr)
        if isinstance(expr, cst.BinaryOperation):
            return self._binop(expr)
        if isinstance(expr, cst.UnaryOperation):
            inner = self.resolve(expr.expression)
            if isinstance(expr.operator, cst.Minus):
                return self._map(inner, lambda o: -o if _is_number(o) else UNKNOWN)
            if isinstance(expr.operator, cst.Plus):
                return self._map(inner, lambda o: o if _is_number(o) else UNKNOWN)
            if isinstance(expr.operator, cst.Not):
                return self._map(inner, lambda o: not o if _is_const(o) else (False if isinstance(o, EnvRead) else UNKNOWN))
            return UNKNOWN_VALUE
        if isinstance(expr, cst.NamedExpr):
            return self.resolve(expr.value)
        return UNKNOWN_VALUE

    def _name(self, expr: cst.Name) -> Value:
        if expr.value in ("True", "False", "None"):
            return const({"True": True, "False": False, "None": None}[expr.value])
        bindings = self._lookup(expr)
        if bindings is None:
            if expr.value == "__file__":
                return const(self.file_value())
            return UNKNOWN_VALUE
        return self._from_bindings(self._overridden_left_out(bindings, expr))

    def _overridden_left_out(self, bindings: list[_Binding], use: cst.Name | None) -> list[_Binding]:
        """The bindings left when those that a later binding, certain to run, has replaced before
        `use` reads the name are left out (`host = '0.0.0.0'`, then `host = 'localhost'`; `from app
        import app`, then `app = Engine(app)`). Certain: an assignment, import or `def` in
        straight-line code of the same scope, or, in one platform environment, under `if`s decided
        for it there. A use in another scope (a function), or from another module (`use` None),
        reads the name's final value; a later binding in the use's own scope may still reach it
        (through a loop) and is kept."""
        if len(bindings) < 2 or any(b.kind not in ("value", "import", "def") or b.expr is None for b in bindings):
            return bindings
        env = self.project.environment
        ticks = self.index.ticks
        starts = {id(b): ticks.get(id(b.expr)) for b in bindings}
        use_at = ticks.get(id(use)) if use is not None else None
        if None in starts.values() or (use is not None and use_at is None):
            return bindings  # a node of another tree: keep every binding
        same_scope = use is not None and self.index.name_scope.get(id(use)) is self._scope_owner_of(bindings[0].expr)
        last = None
        for b in bindings:
            if same_scope and starts[id(b)] > use_at:
                continue
            if (last is None or starts[id(b)] > starts[id(last)]) and self._certain_in(b, env):
                last = b
        if same_scope and not self._in_loop(use):  # then a later binding cannot reach the use
            bindings = [b for b in bindings if starts[id(b)] < use_at]
        if last is None:
            return bindings
        return [b for b in bindings if starts[id(b)] >= starts[id(last)]]

    def _in_loop(self, node: cst.CSTNode) -> bool:
        """Is `node` inside a `for` / `while` of its own scope?"""
        current = self.parent(node)
        while current is not None and not isinstance(current, (cst.Module, cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            if isinstance(current, (cst.For, cst.While)):
                return True
            current = self.parent(current)
        return False

    def _scope_owner_of(self, node: cst.CSTNode) -> cst.CSTNode | None:
        child, current = node, self.parent(node)
        while current is not None:
            if isinstance(current, (cst.FunctionDef, cst.Lambda)) and child is current.body:
                return current
            if isinstance(current, cst.ClassDef) and child is current.body:
                return current
            child, current = current, self.parent(current)
        return self.module

    def _certain_in(self, binding: _Binding, env: str | None) -> bool:
        """The binding runs whenever its scope runs, in this environment (None: in every one): an
        assignment statement, import or `def` in straight-line code, or under `if`s whose test is
        decided for that branch there."""
        current = binding.expr
        if binding.kind == "value":
            current = self.parent(binding.expr)
            if not isinstance(current, cst.Assign) or current.value is not binding.expr:
                return False
        while True:
            child, current = current, self.parent(current)
            if current is None or isinstance(current, (cst.Module, cst.FunctionDef, cst.ClassDef)):
                return True
            if isinstance(current, (cst.SimpleStatementLine, cst.IndentedBlock, cst.Else)):
                continue
            if isinstance(current, cst.If):
                if env is None:
                    return False  # in every environment at once: only straight-line code is certain
                wanted = child is current.body
                if not wanted and child is not current.orelse:
                    return False
                if self._truth_in(current.test, env) is not wanted:
                    return False
                continue
            return False

    def _attribute(self, expr: cst.Attribute) -> Value:
        attr = expr.attr.value
        own = self._self_attribute(expr)
        if own is not None:
            return own
        qual = self._qualified(expr, 0)
        if qual is not None:
            if qual in _KNOWN_ATTRS:
                return const(_KNOWN_ATTRS[qual])
            return self._project_constant(qual)
        if attr == "parent":  # pathlib
            return self._map(self.resolve(expr.value), lambda o: _path_op(o, posixpath.dirname))
        if attr in ("name", "stem", "suffix"):
            return UNKNOWN_VALUE
        return UNKNOWN_VALUE

    def _subscript(self, expr: cst.Subscript) -> Value:
        qual = self._qualified(expr.value, 0)
        if qual == "os.environ" and len(expr.slice) == 1 and isinstance(expr.slice[0].slice, cst.Index):
            key = self.resolve(expr.slice[0].slice.value).single
            if isinstance(key, str) and key in PLATFORM_VARS:
                return const(EnvRead(key))
        return UNKNOWN_VALUE

    def _env_get(self, call: cst.Call) -> Value:
        key_expr = argument(call, 0, "key")
        if key_expr is None:
            return UNKNOWN_VALUE
        key = self.resolve(key_expr).single
        if not isinstance(key, str):
            return UNKNOWN_VALUE
        if key in PLATFORM_VARS:
            return const(EnvRead(key))
        default = argument(call, 1, "default")
        if default is None:
            if key.startswith(RESERVED_PREFIX) and not has_star_args(call):
                return const(None)  # users cannot set LEANCLOUD_* variables: unset there
            return UNKNOWN_VALUE
        value = self.resolve(default)
        if key.startswith(RESERVED_PREFIX):
            return value  # users cannot set LEANCLOUD_* variables: the default always holds there
        return Value(value.options, value.assumes_unset + ((key,) if key not in value.assumes_unset else ()))

    def _call(self, call: cst.Call) -> Value:
        func = call.func
        qual = self.qualified_name(func, builtins=True)
        if qual in ("os.environ.get", "os.getenv"):
            return self._env_get(call)
        if qual in _PATH_FUNCS:
            return self._path_call(qual, call)
        if qual in ("pathlib.Path.home", "pathlib.PosixPath.home"):
            return const(HOME_DIR)
        if qual in ("pathlib.Path.cwd", "pathlib.PosixPath.cwd", "os.getcwd"):
            return const(APP_DIR)
        if qual in ("builtins.int", "builtins.str", "builtins.float"):
            if has_star_args(call) or len(call.args) != 1 or call.args[0].keyword is not None:
                return UNKNOWN_VALUE
            return self._map(self.resolve(call.args[0].value), _CONVERT[qual])
        target = self._called_function(func, qual)
        if target is not None:
            resolver, fn = target
            return resolver._returned_from(self, fn)
        if isinstance(func, cst.Attribute):
            method = func.attr.value
            if method in ("resolve", "absolute", "expanduser", "joinpath") or method == "format":
                base = self.resolve(func.value)
                if method == "format":
                    return self._format(base, call)
                if method == "joinpath":
                    parts = [self.resolve(a.value) for a in call.args if not a.star and a.keyword is None]
                    if len(parts) != len(call.args):
                        return UNKNOWN_VALUE
                    return self._join([base, *parts])
                if method == "expanduser":
                    return self._map(base, lambda o: _path_op(o, _expanduser))
                return self._map(base, lambda o: _path_op(o, _abspath))
        return UNKNOWN_VALUE

    def _path_call(self, qual: str, call: cst.Call) -> Value:
        if has_star_args(call) or any(a.keyword is not None for a in call.args):
            return UNKNOWN_VALUE
        args = [self.resolve(a.value) for a in call.args]
        kind = _PATH_FUNCS[qual]
        if kind == "join":
            if not args:
                return const(".") if qual.startswith("pathlib") else UNKNOWN_VALUE
            return self._join(args)
        if len(args) != 1:
            return UNKNOWN_VALUE
        fn = {"dirname": posixpath.dirname, "abspath": _abspath, "normpath": posixpath.normpath, "expanduser": _expanduser}[kind]
        return self._map(args[0], lambda o: _path_op(o, fn))

    def _join(self, parts: list[Value]) -> Value:
        def join(*options: Any) -> Any:
            out = ""
            for i, o in enumerate(options):
                if isinstance(o, Prefix):
                    if o.text.startswith("/"):
                        return Prefix(o.text)
                    return Prefix(posixpath.join(out, o.text) if out else o.text) if (out or o.text) else UNKNOWN
                if not isinstance(o, str):
                    if i == 0 or o is not UNKNOWN:
                        return UNKNOWN
                    # An unknown later part: the result is known up to what was joined so far.
                    return Prefix(out.rstrip("/") + "/") if out else UNKNOWN
                out = posixpath.join(out, o) if out else o
            return out

        return self._product(parts, join)

    def _product(self, parts: list[Value], fn: Callable[..., Any]) -> Value:
        combos: list[tuple] = [()]
        env: list[str] = []
        for part in parts:
            combos = [c + (o,) for c in combos for o in part.options]
            env += [e for e in part.assumes_unset if e not in env]
            if len(combos) > _MAX_OPTIONS:
                return UNKNOWN_VALUE
        results = []
        for combo in combos:
            try:
                results.append(Value((_bounded(fn(*combo)),)))
            except Exception:  # noqa: BLE001 - the code would fail here too: not a value to report
                results.append(UNKNOWN_VALUE)
        merged = merge(results)
        return Value(merged.options, tuple(env))

    def _map(self, value: Value, fn: Callable[[Any], Any]) -> Value:
        return self._product([value], lambda o: UNKNOWN if o is UNKNOWN else fn(o))

    def _fstring(self, expr: cst.FormattedString) -> Value:
        parts: list[Value] = []
        for part in expr.parts:
            if isinstance(part, cst.FormattedStringText):
                text = _fstring_text(expr, part.value)
                if text is None:
                    return UNKNOWN_VALUE
                parts.append(const(text))
            elif isinstance(part, cst.FormattedStringExpression):
                if part.conversion is not None or part.format_spec is not None or part.equal is not None:
                    parts.append(UNKNOWN_VALUE)
                else:
                    inner = self.resolve(part.expression)
                    parts.append(self._map(inner, lambda o: o if isinstance(o, (str, Prefix)) else (str(o) if _is_number(o) else UNKNOWN)))
            else:
                return UNKNOWN_VALUE
        return self._concat(parts)

    def _concat(self, parts: list[Value]) -> Value:
        def cat(*options: Any) -> Any:
            out = ""
            for o in options:
                if isinstance(o, str):
                    out += o
                elif isinstance(o, Prefix):
                    return Prefix(out + o.text)
                else:
                    return Prefix(out) if out else UNKNOWN
            return out

        return self._product(parts, cat)

    def _binop(self, expr: cst.BinaryOperation) -> Value:
        op = expr.operator
        left = self.resolve(expr.left)
        if isinstance(op, cst.Add):
            right = self.resolve(expr.right)

            def add(a: Any, b: Any) -> Any:
                if isinstance(a, str) and isinstance(b, (str, Prefix)) or isinstance(a, Prefix):
                    return self._concat([const(a), const(b)]).single
                if isinstance(a, str) and b is UNKNOWN:
                    return Prefix(a) if a else UNKNOWN
                if _is_number(a) and _is_number(b):
                    return a + b
                if isinstance(a, bytes) and isinstance(b, bytes):
                    return a + b
                return UNKNOWN

            return self._product([left, right], add)
        if isinstance(op, cst.Divide):  # pathlib's `/`
            right = self.resolve(expr.right)

            def div(a: Any, b: Any) -> Any:
                if isinstance(a, (str, Prefix)):
                    return self._join([const(a), const(b)]).single
                return UNKNOWN

            return self._product([left, right], div)
        if isinstance(op, cst.Modulo):
            right = self.resolve(expr.right)
            items = self.elements(expr.right) if isinstance(expr.right, (cst.Tuple, cst.Name)) else None
            if items is not None:
                resolved = [self.resolve(i) for i in items]
                if all(v.known for v in resolved) and all(len(v.options) == 1 for v in resolved) and left.known:
                    args = tuple(v.options[0] for v in resolved)
                    return self._map(left, lambda fmt: fmt % args if isinstance(fmt, str) else UNKNOWN)
                return self._map(left, lambda fmt: _format_prefix(fmt, "%"))
            if not right.known:
                return self._map(left, lambda fmt: _format_prefix(fmt, "%"))
            return self._product([left, right], lambda a, b: a % b if isinstance(a, str) and _is_const(b) else UNKNOWN)
        if isinstance(op, (cst.Subtract, cst.Multiply, cst.FloorDivide)):
            right = self.resolve(expr.right)
            fns = {cst.Subtract: lambda a, b: a - b, cst.Multiply: lambda a, b: a * b, cst.FloorDivide: lambda a, b: a // b}
            fn = fns[type(op)]
            return self._product([left, right], lambda a, b: fn(a, b) if _is_number(a) and _is_number(b) else UNKNOWN)
        return UNKNOWN_VALUE

    def _format(self, base: Value, call: cst.Call) -> Value:
        if has_star_args(call):
            return UNKNOWN_VALUE
        positional = [self.resolve(a.value) for a in call.args if a.keyword is None]
        keywords = {a.keyword.value: self.resolve(a.value) for a in call.args if a.keyword is not None}
        if not all(v.known and len(v.options) == 1 for v in [*positional, *keywords.values()]):
            return self._map(base, lambda fmt: _format_prefix(fmt, "{"))
        pos = [v.options[0] for v in positional]
        kw = {k: v.options[0] for k, v in keywords.items()}
        if any(not _is_const(o) for o in [*pos, *kw.values()]):
            return self._map(base, lambda fmt: _format_prefix(fmt, "{"))
        return self._map(base, lambda fmt: fmt.format(*pos, **kw) if isinstance(fmt, str) else UNKNOWN)

    def _boolop(self, expr: cst.BooleanOperation) -> Value:
        left = self.resolve(expr.left)
        truth = [_truthy(o) for o in left.options]
        is_or = isinstance(expr.operator, cst.Or)
        if all(t is True for t in truth):
            return left if is_or else self.resolve(expr.right)
        if all(t is False for t in truth):
            return self.resolve(expr.right) if is_or else left
        return UNKNOWN_VALUE

    # -- names through imports --------------------------------------------------------------------

    def _qualified(self, expr: Any, depth: int) -> str | None:
        if depth > _MAX_DEPTH:
            return None
        if isinstance(expr, cst.Attribute):
            base = self._qualified(expr.value, depth + 1)
            return f"{base}.{expr.attr.value}" if base else None
        if not isinstance(expr, cst.Name):
            return None
        key = id(expr)
        if key in self._qualnames:
            return self._qualnames[key]
        self._qualnames[key] = None  # `a = a.b`: a cycle names nothing
        found = self._qualified_name(expr, depth)
        self._qualnames[key] = found
        return found

    def _qualified_name(self, expr: cst.Name, depth: int) -> str | None:
        bindings = self._lookup(expr)
        if not bindings:
            return None
        names = set()
        for b in bindings:
            if b.kind == "import" and b.qualname:
                names.add(b.qualname)
            elif b.kind == "value" and isinstance(b.expr, (cst.Name, cst.Attribute)):
                names.add(self._qualified(b.expr, depth + 1))  # `environ = os.environ`
            else:
                return None
        if len(names) != 1 or None in names:
            return None
        return names.pop()

    def _instance_of(self, expr: Any, depth: int) -> str | None:
        key = id(expr)
        if key in self._instances:
            return self._instances[key]
        if depth > _MAX_DEPTH:
            return None
        self._instances[key] = None  # a cycle (a recursive factory) proves nothing
        found = self._instance_of_uncached(expr, depth)
        self._instances[key] = found
        return found

    def _instance_of_uncached(self, expr: Any, depth: int) -> str | None:
        if isinstance(expr, cst.Call):
            qual = self._qualified(expr.func, depth + 1)
            target = self._function_def(expr.func, qual)
            if target is not None:
                resolver, fn = target
                kinds = {resolver._instance_of(r, depth + 1) for r in resolver.index.returns.get(id(fn), [])}
                return kinds.pop() if len(kinds) == 1 else None
            return qual
        if isinstance(expr, cst.Name):
            bindings = self._lookup(expr)
            if not bindings:
                return None
            kinds = set()
            for b in bindings:
                if b.kind in ("value", "with"):
                    kinds.add(self._instance_of(b.expr, depth + 1))
                elif b.kind == "import" and b.qualname:
                    found = self._split_project_name(b.qualname)
                    if found is None:
                        return None
                    other, name = found
                    inner = other.module_bindings(name) or []
                    if not inner:
                        return None
                    for ib in inner:
                        kinds.add(other._instance_of(ib.expr, depth + 1) if ib.kind == "value" else None)
                else:
                    return None
            return kinds.pop() if len(kinds) == 1 else None
        return None

    def function_def(self, func: Any, qual: str | None) -> tuple["Resolver", cst.FunctionDef] | None:
        """The project function a call's callee refers to, with the resolver of its module."""
        return self._function_def(func, qual)

    def _called_function(self, func: Any, qual: str | None) -> tuple["Resolver", cst.FunctionDef] | None:
        """The project function a call runs, whose returns are followed (`qual`: the callee's name,
        builtins included); None for the standard library's `os` and builtins, and for anything
        that is not a project function."""
        if qual is not None and qual.startswith(("os.", "builtins.")):
            return None
        return self._function_def(func, qual)

    def _function_def(self, func: Any, qual: str | None) -> tuple["Resolver", cst.FunctionDef] | None:
        """The project function a call's target names (in this module, or imported from one)."""
        if isinstance(func, cst.Name):
            bindings = self._lookup(func)
            if bindings and len(bindings) == 1 and bindings[0].kind == "def" and isinstance(bindings[0].expr, cst.FunctionDef):
                return self, bindings[0].expr
        if qual:
            found = self._split_project_name(qual)
            if found is not None:
                other, name = found
                bindings = other.module_bindings(name) or []
                if len(bindings) == 1 and bindings[0].kind == "def" and isinstance(bindings[0].expr, cst.FunctionDef):
                    return other, bindings[0].expr
        return None


def _format_prefix(fmt: Any, marker: str) -> Any:
    """The known start of `fmt % args` / `fmt.format(...)` when the arguments are unknown: the text
    before the first placeholder (`'quotes-%s.html' % n` -> Prefix('quotes-'))."""
    if not isinstance(fmt, str):
        return UNKNOWN
    out, i = [], 0
    close = "}" if marker == "{" else None
    while i < len(fmt):
        c = fmt[i]
        if c == marker:
            if fmt[i + 1 : i + 2] == marker:
                out.append(c)
                i += 2
                continue
            break
        if close is not None and c == close and fmt[i + 1 : i + 2] == close:
            out.append(c)
            i += 2
            continue
        out.append(c)
        i += 1
    else:
        return UNKNOWN  # no placeholder: the format fails or ignores its arguments
    text = "".join(out)
    return Prefix(text) if text else UNKNOWN


def _classes(module: cst.Module) -> list[cst.ClassDef]:
    return [stmt for stmt in module.body if isinstance(stmt, cst.ClassDef)]


def _may_follow(within: frozenset[str] | None, here: "Resolver", there: "Resolver") -> bool:
    return within is None or there is here or there.path in within


def _joined(groups: list[tuple[Source, ...]], owner: "Resolver") -> tuple[Source, ...]:
    """The union of several paths' sources, in order, each (module, node, via) once; no path at
    all (every binding in a branch dead here) is unknown."""
    seen: set[tuple] = set()
    out: list[Source] = []
    for group in groups:
        for source in group:
            key = (source.resolver.path, id(source.node), source.via)
            if key not in seen:
                seen.add(key)
                out.append(source)
    return tuple(out) or (Source(owner, None),)


def _last_statement(fn: cst.FunctionDef) -> cst.CSTNode | None:
    body = fn.body
    if isinstance(body, cst.IndentedBlock):
        if not body.body:
            return None
        last = body.body[-1]
        if isinstance(last, cst.SimpleStatementLine) and last.body:
            return last.body[-1]
        return last
    return body.body[-1] if body.body else None


def _fstring_text(expr: cst.FormattedString, raw: str) -> str | None:
    """The text of an f-string's literal part, escapes and doubled braces decoded."""
    prefix = "".join(c for c in expr.prefix if c.lower() != "f")
    quote = expr.start[len(expr.prefix) :]
    try:
        text = ast.literal_eval(prefix + quote + raw + quote)
    except Exception:  # noqa: BLE001
        return None
    return text.replace("{{", "{").replace("}}", "}") if isinstance(text, str) else None


_MAX_TEXT = 4096
_MAX_INT = 2**64


def _bounded(o: Any) -> Any:
    """Huge computed constants (`X2 = X1 + X1` chains) are not worth their memory: UNKNOWN."""
    if isinstance(o, (str, bytes)) and len(o) > _MAX_TEXT:
        return Prefix(o[:_MAX_TEXT]) if isinstance(o, str) else UNKNOWN
    if isinstance(o, Prefix) and len(o.text) > _MAX_TEXT:
        return Prefix(o.text[:_MAX_TEXT])
    if isinstance(o, int) and not isinstance(o, bool) and abs(o) > _MAX_INT:
        return UNKNOWN
    return o


def _is_number(o: Any) -> bool:
    return isinstance(o, (int, float)) and not isinstance(o, bool)


def _is_const(o: Any) -> bool:
    return o is None or isinstance(o, (str, bytes, int, float, bool))


def _truthy(o: Any) -> bool | None:
    if _is_const(o):
        return bool(o)
    if isinstance(o, EnvRead):
        return True  # the platform sets it, to a non-empty value
    if isinstance(o, Prefix) and o.text:
        return True
    return None


def _to_int(o: Any) -> Any:
    if isinstance(o, EnvRead):
        return o
    if isinstance(o, bool):
        return int(o)
    if isinstance(o, (int, float, str)):
        return int(o)
    return UNKNOWN


def _to_str(o: Any) -> Any:
    if isinstance(o, (EnvRead, Prefix)):
        return o
    if _is_const(o) and not isinstance(o, bytes):
        return str(o)
    return UNKNOWN


def _to_float(o: Any) -> Any:
    if isinstance(o, EnvRead):
        return o
    if isinstance(o, (int, float, str)) and not isinstance(o, bool):
        return float(o)
    return UNKNOWN


_CONVERT = {"builtins.int": _to_int, "builtins.str": _to_str, "builtins.float": _to_float}

_PATH_FUNCS = {
    "os.path.join": "join",
    "os.path.dirname": "dirname",
    "os.path.abspath": "abspath",
    "os.path.realpath": "abspath",
    "os.path.normpath": "normpath",
    "os.path.expanduser": "expanduser",
    "posixpath.join": "join",
    "posixpath.dirname": "dirname",
    "pathlib.Path": "join",
    "pathlib.PurePath": "join",
    "pathlib.PosixPath": "join",
    "pathlib.PurePosixPath": "join",
}

_KNOWN_ATTRS = {"os.sep": "/", "os.path.sep": "/", "os.curdir": ".", "os.pardir": ".."}


def _expanduser(p: str) -> str:
    if p == "~" or p.startswith("~/"):
        return HOME_DIR + p[1:]
    return p


def _abspath(p: str) -> str:
    return posixpath.normpath(posixpath.join(APP_DIR, p))


def _path_op(o: Any, fn: Callable[[str], str]) -> Any:
    """Apply a path function to a str; to a Prefix only when the result stays a prefix."""
    if isinstance(o, str):
        return fn(o)
    if isinstance(o, Prefix):
        if fn is posixpath.dirname:
            return UNKNOWN  # the unknown tail may hold more slashes
        if fn is _expanduser:
            return Prefix(_expanduser(o.text)) if o.text.startswith("~/") or not o.text.startswith("~") else UNKNOWN
        return _as_path(o)
    return UNKNOWN


def _as_path(o: Any) -> Any:
    """An outcome as a normalized absolute POSIX path on the platform (resolve_path)."""
    if isinstance(o, str):
        return posixpath.normpath(posixpath.join(APP_DIR, o)) if o else UNKNOWN
    if isinstance(o, Prefix):
        text = o.text
        if not text:
            return UNKNOWN
        # Only the part up to the last slash is a complete path; normalize it, keep the rest.
        head, sep, tail = text.rpartition("/")
        if not sep:
            return Prefix(APP_DIR + "/" + text)
        base = posixpath.normpath(posixpath.join(APP_DIR, head or "/"))
        return Prefix(base.rstrip("/") + "/" + tail)
    return UNKNOWN
