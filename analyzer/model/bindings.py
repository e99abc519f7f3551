"""Which names a module binds at its top level, on which paths, and from which imports.

The platform reads module-level globals (wsgi.py's `application`), so several rules need to know
whether a statement at the top of a module, or in a top-level `if` / `try` / `for` / `with` /
`match` block, binds a name on every path through the module or only on some. This module answers
that with a small path analysis over a libcst tree:

* every binding form counts: `=` (chained, annotated with a value, tuple and star unpacking), `+=`,
  `:=`, `def`, `class`, `import`, `from ... import`, `for` / `with` / `except ... as` / `case`
  targets, `type X = ...`; bodies of functions and classes are other scopes and never bind
  module-level names (except through `global`, which is reported separately);
* a branch that raises or calls `sys.exit()` does not reach the end of the module, so a name it
  skips is not "maybe unbound";
* `if __name__ == "__main__":` bodies run only when the module is the main program (`main_runs`),
  `if TYPE_CHECKING:` / `if False:` bodies never do: their bindings are kept apart as "dead";
* `del name` and the end of `except ... as name` unbind.

`module_bindings()` analyzes one tree; `project_bindings()` does it once per project file (memoized
in `project.module_bindings`), resolving `from m import *` of project modules; `resolve_name()` follows
`from m import name` into project modules, with cycle protection, to tell whether a name really
ends up bound. Nothing here imports or runs the analyzed code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Iterator, Optional, Union

import libcst as cst

from analyzer.model.project import ParsedModule, is_main_guard_cst
from analyzer.platform.environment import RESERVED_PREFIX
from analyzer.support.visiting import NoFieldHooks, children, walk

if TYPE_CHECKING:
    from analyzer.model.project import Project

ALWAYS = "always"  # bound on every path that reaches the end of the module
MAYBE = "maybe"  # bound on some paths only
NEVER = "never"  # bound on no path
UNKNOWN = "unknown"  # lean-lint cannot tell (import cycle, unparsable module, ...)

#: The key under which `NameState`s of `from m import *` with unknown names are kept.
STAR = "*"

#: `from m import *` of a module whose exported names are known: (names, complete). None = unknown.
StarNames = Callable[[str], Optional[tuple[frozenset[str], bool]]]

_EXIT_CALLS = frozenset({"sys.exit", "exit", "quit", "os._exit", "os.abort"})
_DYNAMIC_HINTS = ("global", "exec", "vars", "locals", "modules", "__getattr__")
#: How many bindings a NameState keeps (a loop variable reused by thousands of loops would make the
#: analysis quadratic); the latest ones are kept and `complete` turns False.
MAX_BINDINGS = 32


@dataclass(frozen=True, eq=False)
class Binding:
    """One statement (or target) that binds a module-level name.

    `node` is what to point at: the target `Name` of an assignment, the `ImportAlias` of an import,
    the `FunctionDef` / `ClassDef`. `statement` is the small statement or compound statement that
    holds it. `value` is the assigned expression when the name is the whole target (`x = v`,
    `a = x = v`, `x: T = v`, `(x := v)`), else None. `module` / `imported`: for `import m`, the module
    (`m` for `import m.sub`, `m.sub` for `import m.sub as x`); for `from m import a`, the absolute
    module `m` (None when a relative import cannot be resolved) and `a`. `guarded`: inside the body
    of a `try` that has `except` handlers (an ImportError there may be caught). `depth`: 0 for a
    statement of the module body itself, more inside `if` / `try` / `for` / `with` / `match` blocks.
    """

    name: str
    kind: str  # assign annassign augassign walrus def class import from star for with except match typealias
    node: cst.CSTNode
    statement: cst.CSTNode
    order: int
    value: Optional[cst.BaseExpression] = None
    module: Optional[str] = None
    imported: Optional[str] = None
    guarded: bool = False
    depth: int = 0


@dataclass(frozen=True)
class Gap:
    """A path on which a name is not bound: `kind` says which construct opens it, `node` where."""

    kind: str
    node: cst.CSTNode


@dataclass(frozen=True)
class NameState:
    """What a name may hold at one point: the bindings that may have set it, and, when some path
    reaches that point with the name unbound, why (`gap`). No bindings means unbound on every path
    (after a `del`: `gap` says where)."""

    bindings: tuple[Binding, ...]
    gap: Optional[Gap] = None
    #: False when older bindings were dropped (more than MAX_BINDINGS paths met here).
    complete: bool = True

    @property
    def status(self) -> str:
        if not self.bindings:
            return NEVER
        return MAYBE if self.gap is not None else ALWAYS


@dataclass(frozen=True)
class DeadBinding:
    """A binding in a block that does not run when the module is imported."""

    binding: Binding
    guard: cst.CSTNode  # the `if` (or `while`) whose body never runs
    why: str  # "main-guard", "type-checking", "constant"


@dataclass(frozen=True)
class GlobalDecl:
    """`global name` inside a function (or class body): the name may be bound when that runs."""

    name: str
    scope: cst.CSTNode  # the FunctionDef / ClassDef holding the declaration
    node: cst.Global
    #: A function defined at the module's top level (not nested, not a method, not decorated).
    plain_top_level: bool


class _Env:
    """The names bound at one point of the path analysis: the changes made since a parent point.

    A branch works on a child of the state before it, so joining branches only looks at the names
    they changed, and a module with thousands of `if` blocks stays linear."""

    __slots__ = ("parent", "local")

    def __init__(self, parent: Optional["_Env"] = None) -> None:
        self.parent = parent
        self.local: dict[str, NameState] = {}

    def get(self, name: str) -> Optional[NameState]:
        env: Optional[_Env] = self
        while env is not None:
            found = env.local.get(name)
            if found is not None:
                return found
            env = env.parent
        return None

    def __setitem__(self, name: str, value: NameState) -> None:
        self.local[name] = value

    def child(self) -> "_Env":
        return _Env(self)

    def changed_since(self, base: "_Env") -> set[str]:
        names: set[str] = set()
        env: Optional[_Env] = self
        while env is not None and env is not base:
            names.update(env.local)
            env = env.parent
        return names

    def snapshot(self, base: "_Env") -> "_Env":
        """A frozen copy of the changes since `base`, on top of `base`."""
        copy = _Env(base)
        for name in self.changed_since(base):
            value = self.get(name)
            if value is not None:
                copy.local[name] = value
        return copy

    def flatten(self) -> dict[str, NameState]:
        chain = []
        env: Optional[_Env] = self
        while env is not None:
            chain.append(env)
            env = env.parent
        out: dict[str, NameState] = {}
        for env in reversed(chain):
            out.update(env.local)
        return out


State = Optional[_Env]  # None: no path reaches this point


@dataclass
class ModuleBindings:
    """The result of `module_bindings()` for one module."""

    parsed: ParsedModule
    #: name -> state at the end of the module. Absent: never bound. STAR: unknown `import *` names.
    final: dict[str, NameState]
    #: Every binding that runs on some path when the module is imported, in source order.
    bindings: list[Binding]
    dead: list[DeadBinding]
    #: `del name` statements on live paths: (name, Del node).
    deletions: list[tuple[str, cst.Del]]
    #: `from m import *` on live paths: (ImportFrom node, absolute module or None).
    stars: list[tuple[cst.ImportFrom, Optional[str]]]
    global_decls: list[GlobalDecl]
    #: Names called (`f(...)`) outside any function body: module-level code that runs on import.
    module_calls: frozenset[str]
    #: Nodes through which names may appear that no statement shows: `globals()`, module-level
    #: `exec()` / `vars()` / `locals()`, writes through `sys.modules`, a module `__getattr__` (PEP 562).
    dynamic: list[cst.CSTNode]
    #: `__all__` when it is a literal list / tuple of strings; None otherwise.
    all_names: Optional[tuple[str, ...]]
    package: str = ""
    _by_name: dict = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for b in self.bindings:
            self._by_name.setdefault(b.name, []).append(b)

    # -- queries -----------------------------------------------------------------------------------

    def state(self, name: str) -> Optional[NameState]:
        return self.final.get(name)

    def status(self, name: str) -> str:
        """ALWAYS, MAYBE or NEVER at the end of the module (imports are not followed here)."""
        st = self.final.get(name)
        return NEVER if st is None else st.status

    def bindings_of(self, name: str, before: Optional[int] = None) -> list[Binding]:
        """Live bindings of `name` in source order; with `before`, only those earlier than that order."""
        found = self._by_name.get(name, [])
        return found if before is None else [b for b in found if b.order < before]

    def reaching(self, name: str, before: int) -> list[Binding]:
        """The bindings of `name` that code at source position `before` may see: the earlier ones,
        from the last one made by a statement of the module body itself (which replaces all before
        it on every path). Flow-insensitive past that point."""
        found = self.bindings_of(name, before)
        for i in range(len(found) - 1, -1, -1):
            if found[i].depth == 0:
                return found[i:]
        return found

    def dead_bindings_of(self, name: str) -> list[DeadBinding]:
        return [d for d in self.dead if d.binding.name == name]

    def globals_of(self, name: str) -> list[GlobalDecl]:
        return [g for g in self.global_decls if g.name == name]

    def exported_names(self) -> tuple[frozenset[str], bool]:
        """What `from this import *` binds: (names, complete). `__all__` when it is a literal."""
        if self.all_names is not None:
            return frozenset(self.all_names), True
        names = frozenset(
            n for n, st in self.final.items() if n != STAR and st.bindings and not n.startswith("_")
        )
        complete = STAR not in self.final and not self.dynamic
        return names, complete

    def line(self, node: cst.CSTNode) -> int:
        return self.parsed.span(node).line

    def code(self, node: cst.CSTNode) -> str:
        return self.parsed.module.code_for_node(node).strip()

    # -- explanations ------------------------------------------------------------------------------

    def describe_gap(self, gap: Gap, name: str) -> str:
        """A clause saying why `name` may be unbound ("it is bound only inside the `if` at line 3,
        which has no `else`")."""
        node = gap.node
        line = self.line(node)
        kind = gap.kind
        if kind == "no-else":
            return f"it is bound only inside the `if` at line {line}, which has no `else`"
        if kind == "if-branch":
            return f"the `if` branch at line {line} does not bind it"
        if kind == "elif-branch":
            return f"the `elif` branch at line {line} does not bind it"
        if kind == "else-branch":
            return f"the `else` branch at line {line} does not bind it"
        if kind == "loop":
            word = "while" if isinstance(node, cst.While) else "for"
            return f"it is bound only inside the `{word}` loop at line {line}, whose body may run zero times"
        if kind == "except":
            return f"the `except` handler at line {line} does not bind it"
        if kind == "try-ok":
            return f"it is bound only in the `except` handler at line {line}, not when the `try` body succeeds"
        if kind == "except-as":
            return f"`except ... as {name}` at line {line} unbinds it when the handler ends"
        if kind == "case":
            return f"the `case` at line {line} does not bind it"
        if kind == "no-match":
            return f"the `match` at line {line} may match no `case`"
        if kind == "walrus":
            return f"it is bound by `:=` at line {line}, in an expression that may not be evaluated"
        if kind == "del":
            return f"`del {name}` at line {line} removes it"
        return f"a path through line {line} does not bind it"

    def guard_text(self, dead: DeadBinding) -> str:
        word = "while" if isinstance(dead.guard, cst.While) else "if"
        return f"{word} {self.code(dead.guard.test)}:"

    def unbound_reason(self, name: str, label: str) -> str:
        """Why `name` is not bound at the end of the module, as a clause about `label` (a path)."""
        st = self.final.get(name)
        if st is not None and st.gap is not None and st.gap.kind in ("del", "except-as"):
            return f"{label} unbinds `{name}`: {self.describe_gap(st.gap, name)}"
        dead = self.dead_bindings_of(name)
        if dead:
            d = dead[0]
            what = {
                "main-guard": "which does not run when the module is imported",
                "platform": "which is false where the platform runs the app (LEANCLOUD_APP_ENV is stage or production there)",
            }.get(d.why, "which is false at run time")
            return f"{label} binds `{name}` only under `{self.guard_text(d)}` (line {self.line(d.guard)}), {what}"
        return f"{label} never binds `{name}`"


# -- the path analysis ------------------------------------------------------------------------------


def _merge(values: list[tuple[Optional[NameState], Optional[Gap]]]) -> Optional[NameState]:
    """One name where paths meet: a path on which it is missing contributes its gap."""
    first = values[0][0]
    if first is not None and all(st is first for st, _ in values):
        return first  # unchanged on every path
    found: dict[int, Binding] = {}
    inner: Optional[Gap] = None  # a reason already known on a path (a nested `if`, a `del`)
    missing: Optional[Gap] = None  # the reason of a path on which the name was never bound
    present = False
    complete = True
    for st, g in values:
        if st is None:
            missing = missing or g
            continue
        present = True
        complete = complete and st.complete
        for b in st.bindings:
            found.setdefault(id(b), b)
        inner = inner or st.gap
    if not present:
        return None
    bindings = sorted(found.values(), key=_order)
    if len(bindings) > MAX_BINDINGS:
        bindings, complete = bindings[-MAX_BINDINGS:], False
    return NameState(tuple(bindings), inner or missing, complete)


def _order(b: Binding) -> int:
    return b.order


def _join(base: _Env, branches: list[tuple[State, Optional[Gap]]], *, into_child: bool = False) -> State:
    """Merge paths that meet, each a descendant of `base` (or `base` itself). The result is written
    into `base` (which the caller gives up), or into a new child of it with `into_child`."""
    live = [(s, g) for s, g in branches if s is not None]
    if not live:
        return None
    names: set[str] = set()
    for s, _ in live:
        names |= s.changed_since(base)
    merged = {name: _merge([(s.get(name), g) for s, g in live]) for name in names}
    target = base.child() if into_child else base
    for name, value in merged.items():
        if value is not None:
            target.local[name] = value
    return target


class _Flow:
    def __init__(self, parsed: ParsedModule, main_runs: bool, package: str, star_names: Optional[StarNames], walrus: bool) -> None:
        self.parsed = parsed
        self.main_runs = main_runs
        self.package = package
        self.star_names = star_names
        self.walrus = walrus
        self.bindings: list[Binding] = []
        self.dead: list[DeadBinding] = []
        self.deletions: list[tuple[str, cst.Del]] = []
        self.stars: list[tuple[cst.ImportFrom, Optional[str]]] = []
        self.dynamic: list[cst.CSTNode] = []
        self._order = 0
        self._dead: Optional[tuple[cst.If, str]] = None
        self._loops: list[tuple[_Env, list, list]] = []
        self._guarded = 0
        self._depth = 0
        self.platform_truth: Optional[Callable[[cst.BaseExpression], Optional[bool]]] = None

    # -- bindings ------------------------------------------------------------------------------

    def _new(self, name: str, kind: str, node: cst.CSTNode, statement: cst.CSTNode, **extra) -> Binding:
        self._order += 1
        return Binding(name, kind, node, statement, self._order, guarded=self._guarded > 0, depth=self._depth, **extra)

    def _bind(self, state: _Env, binding: Binding, conditional: Optional[Gap] = None) -> None:
        if self._dead is not None:
            self.dead.append(DeadBinding(binding, *self._dead))
            return
        self.bindings.append(binding)
        if binding.kind == "def" and binding.name == "__getattr__":
            self.dynamic.append(binding.node)
        if conditional is None:
            state[binding.name] = NameState((binding,))
        else:
            old = state.get(binding.name)
            if old is None:
                state[binding.name] = NameState((binding,), conditional)
            else:
                state[binding.name] = NameState(old.bindings[-(MAX_BINDINGS - 1):] + (binding,), old.gap,
                                                old.complete and len(old.bindings) < MAX_BINDINGS)

    def _bind_target(self, state: _Env, target: cst.BaseExpression, kind: str, statement: cst.CSTNode, value: Optional[cst.BaseExpression] = None) -> None:
        if isinstance(target, cst.Name):
            self._bind(state, self._new(target.value, kind, target, statement, value=value))
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._bind_target(state, element.value, kind, statement)
        elif isinstance(target, cst.StarredElement):
            self._bind_target(state, target.value, kind, statement)
        # Attribute / Subscript targets bind no name.

    def _unbind(self, state: _Env, name: str, gap: Gap) -> None:
        if self._dead is not None:
            return
        state[name] = NameState((), gap)

    # -- walking -------------------------------------------------------------------------------

    def block(self, stmts, state: State) -> State:
        for stmt in stmts:
            if state is None:
                break
            state = self.stmt(stmt, state)
        return state

    def suite(self, suite: cst.BaseSuite, state: State) -> State:
        self._depth += 1
        try:
            return self.block(suite.body, state)
        finally:
            self._depth -= 1

    def stmt(self, stmt: cst.CSTNode, state: _Env) -> State:
        if isinstance(stmt, cst.SimpleStatementLine):
            return self.block(stmt.body, state)
        method = getattr(self, f"_{type(stmt).__name__}", None)
        if method is None:
            return state
        return method(stmt, state)

    def _scan(self, expr: Optional[cst.CSTNode], state: _Env, statement: cst.CSTNode) -> None:
        """Bindings made by `:=` inside an expression evaluated here."""
        if expr is None or not self.walrus:
            return
        for named, conditional in _named_exprs(expr):
            if isinstance(named.target, cst.Name):
                b = self._new(named.target.value, "walrus", named.target, statement, value=named.value)
                self._bind(state, b, Gap("walrus", named) if conditional else None)

    # small statements
    def _Assign(self, node: cst.Assign, state: _Env) -> State:
        self._scan(node.value, state, node)
        for target in node.targets:
            self._bind_target(state, target.target, "assign", node, node.value)
        return state

    def _AnnAssign(self, node: cst.AnnAssign, state: _Env) -> State:
        if node.value is not None:  # `x: T` alone binds nothing
            self._scan(node.value, state, node)
            self._bind_target(state, node.target, "annassign", node, node.value)
        return state

    def _AugAssign(self, node: cst.AugAssign, state: _Env) -> State:
        self._scan(node.value, state, node)
        self._bind_target(state, node.target, "augassign", node)
        return state

    def _Expr(self, node: cst.Expr, state: _Env) -> State:
        self._scan(node.value, state, node)
        if isinstance(node.value, cst.Call) and _dotted(node.value.func) in _EXIT_CALLS:
            return None
        return state

    def _Assert(self, node: cst.Assert, state: _Env) -> State:
        self._scan(node.test, state, node)
        return state

    def _Raise(self, node: cst.Raise, state: _Env) -> State:
        return None

    def _Return(self, node: cst.Return, state: _Env) -> State:
        return None

    def _Break(self, node: cst.Break, state: _Env) -> State:
        if self._loops and self._dead is None:
            base, breaks, _ = self._loops[-1]
            breaks.append(state.snapshot(base))
        return None

    def _Continue(self, node: cst.Continue, state: _Env) -> State:
        if self._loops and self._dead is None:
            base, _, continues = self._loops[-1]
            continues.append(state.snapshot(base))
        return None

    def _Del(self, node: cst.Del, state: _Env) -> State:
        for name in _target_names(node.target):
            if self._dead is None:
                self.deletions.append((name, node))
            self._unbind(state, name, Gap("del", node))
        return state

    def _TypeAlias(self, node: cst.CSTNode, state: _Env) -> State:
        self._bind(state, self._new(node.name.value, "typealias", node.name, node))
        return state

    def _Import(self, node: cst.Import, state: _Env) -> State:
        for alias in node.names:
            dotted = _dotted(alias.name) or ""
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                name, module = alias.asname.name.value, dotted
            else:
                name = module = dotted.split(".")[0]
            self._bind(state, self._new(name, "import", alias, node, module=module))
        return state

    def _ImportFrom(self, node: cst.ImportFrom, state: _Env) -> State:
        module = absolute_module(node, self.package)
        if isinstance(node.names, cst.ImportStar):
            if self._dead is not None:
                return state
            self.stars.append((node, module))
            known = self.star_names(module) if (module and self.star_names) else None
            names, complete = known if known is not None else (frozenset(), False)
            for name in sorted(names):
                self._bind(state, self._new(name, "star", node, node, module=module, imported=name))
            if not complete:
                self._bind(state, self._new(STAR, "star", node, node, module=module))
            return state
        for alias in node.names:
            imported = _dotted(alias.name) or ""
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                name = alias.asname.name.value
            else:
                name = imported
            self._bind(state, self._new(name, "from", alias, node, module=module, imported=imported))
        return state

    # compound statements
    def _FunctionDef(self, node: cst.FunctionDef, state: _Env) -> State:
        self._bind(state, self._new(node.name.value, "def", node, node))
        return state

    def _ClassDef(self, node: cst.ClassDef, state: _Env) -> State:
        self._bind(state, self._new(node.name.value, "class", node, node))
        return state

    def _With(self, node: cst.With, state: _Env) -> State:
        for item in node.items:
            self._scan(item.item, state, node)
            if item.asname is not None:
                self._bind_target(state, item.asname.name, "with", node)
        return self.suite(node.body, state)

    def _If(self, node: cst.If, state: _Env) -> State:
        branches: list[tuple[State, Optional[Gap]]] = []
        current: Union[cst.If, cst.Else, None] = node
        first = True
        taken = False  # a branch whose test is always true was reached: the rest never runs
        while current is not None:
            if isinstance(current, cst.Else):
                if taken:
                    self._run_dead(current.body, node, "constant")
                else:
                    branches.append((self.suite(current.body, state.child()), Gap("else-branch", current)))
                break
            if taken:
                self._run_dead(current.body, current, "constant")
                current = current.orelse
                continue
            self._scan(current.test, state, current)
            truth, why = self._truth(current.test)
            gap = Gap("if-branch" if first else "elif-branch", current)
            if truth is False:
                self._run_dead(current.body, current, why)
            else:
                branches.append((self.suite(current.body, state.child()), gap))
                if truth is True:
                    taken = True
            first = False
            current = current.orelse
        else:
            if not taken:
                branches.append((state, Gap("no-else", node)))
        return _join(state, branches)

    def _truth(self, test: cst.BaseExpression) -> tuple[Optional[bool], str]:
        if is_main_guard_cst(test):
            return self.main_runs, "main-guard"
        if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
            truth, why = self._truth(test.expression)
            return (None if truth is None else not truth), why
        if isinstance(test, cst.Comparison) and len(test.comparisons) == 1 and isinstance(test.comparisons[0].operator, cst.NotEqual):
            flipped = cst.Comparison(test.left, [test.comparisons[0].with_changes(operator=cst.Equal())])
            if is_main_guard_cst(flipped):
                return (not self.main_runs), "main-guard"
        dotted = _dotted(test)
        if dotted in ("TYPE_CHECKING", "typing.TYPE_CHECKING"):
            return False, "type-checking"
        if dotted in ("True", "False"):
            return dotted == "True", "constant"
        if isinstance(test, cst.Integer):
            return test.evaluated_value != 0, "constant"
        if self.platform_truth is not None:
            truth = self.platform_truth(test)
            if truth is not None:
                return truth, "platform"
        return None, ""

    def _run_dead(self, suite: cst.BaseSuite, guard: cst.CSTNode, why: str) -> None:
        if self._dead is not None:
            self.suite(suite, _Env())
            return
        self._dead = (guard, why)
        try:
            self.suite(suite, _Env())
        finally:
            self._dead = None

    def _loop(self, node: Union[cst.For, cst.While], state: _Env, bind_target: bool) -> State:
        gap = Gap("loop", node)
        truth = None
        if isinstance(node, cst.While):
            self._scan(node.test, state, node)
            truth, why = self._truth(node.test)
            if truth is False:
                self._run_dead(node.body, node, why)  # type: ignore[arg-type]
                return self.suite(node.orelse.body, state) if node.orelse else state
        else:
            self._scan(node.iter, state, node)
        breaks: list = []
        continues: list = []
        self._loops.append((state, breaks, continues))
        try:
            body_in = state.child()
            if bind_target:
                self._bind_target(body_in, node.target, "for", node)  # type: ignore[union-attr]
            body_out = self.suite(node.body, body_in)
        finally:
            self._loops.pop()
        if truth is True:  # `while True:` leaves through `break` only
            if breaks:
                return _join(state, [(s, gap) for s in breaks])
            return body_out if body_out is not None else state
        head = _join(state, [(state, gap), (body_out, gap)] + [(s, gap) for s in continues], into_child=True)
        assert head is not None
        after = self.suite(node.orelse.body, head) if node.orelse else head
        return _join(state, [(after, gap)] + [(s, gap) for s in breaks])

    def _For(self, node: cst.For, state: _Env) -> State:
        return self._loop(node, state, True)

    def _While(self, node: cst.While, state: _Env) -> State:
        return self._loop(node, state, False)

    def _Try(self, node: Union[cst.Try, cst.TryStar], state: _Env) -> State:
        first_binding, first_deletion = len(self.bindings), len(self.deletions)
        if node.handlers:
            self._guarded += 1
        try:
            current = self.suite(node.body, state.child())
        finally:
            if node.handlers:
                self._guarded -= 1
        # A handler starts from the state at any point of the `try` body: what held before it, plus
        # whatever the body may have bound (or deleted) before the exception.
        made = self.bindings[first_binding:]
        unbound = self.deletions[first_deletion:]
        ok = current
        if node.orelse is not None and ok is not None:
            ok = self.suite(node.orelse.body, ok)
        branches: list[tuple[State, Optional[Gap]]] = []
        if node.handlers:
            branches.append((ok, Gap("try-ok", node.handlers[0])))
        else:
            branches.append((ok, None))
        for handler in node.handlers:
            gap = Gap("except", handler)
            entry = _join(state, [(state, gap), (current, gap)], into_child=True)
            assert entry is not None
            for b in made:
                old = entry.get(b.name)
                if old is None:
                    entry[b.name] = NameState((b,), gap)
                elif b not in old.bindings:
                    merged = sorted(old.bindings + (b,), key=_order)
                    entry[b.name] = NameState(
                        tuple(merged[-MAX_BINDINGS:]),
                        old.gap or (None if state.get(b.name) else gap),
                        old.complete and len(merged) <= MAX_BINDINGS,
                    )
            for name, deletion in unbound:
                old = entry.get(name)
                if old is not None and old.gap is None:
                    entry[name] = NameState(old.bindings, Gap("del", deletion))
            self._scan(handler.type, entry, handler)
            as_name = handler.name.name if handler.name is not None else None
            if isinstance(as_name, cst.Name):
                self._bind(entry, self._new(as_name.value, "except", as_name, handler))
            out = self.suite(handler.body, entry)
            if out is not None and isinstance(as_name, cst.Name):
                self._unbind(out, as_name.value, Gap("except-as", handler))
            branches.append((out, Gap("except", handler)))
        result = _join(state, branches)
        if node.finalbody is not None:
            if result is None:
                # Every path raises; the `finally` block still runs, but nothing continues after it.
                self.suite(node.finalbody.body, state.child())
                return None
            result = self.suite(node.finalbody.body, result)
        return result

    _TryStar = _Try

    def _Match(self, node: cst.CSTNode, state: _Env) -> State:
        self._scan(node.subject, state, node)
        branches: list[tuple[State, Optional[Gap]]] = []
        exhaustive = False
        for case in node.cases:
            entry = state.child()
            for target in _pattern_names(case.pattern):
                self._bind(entry, self._new(target.value, "match", target, case))
            self._scan(case.guard, entry, case)
            branches.append((self.suite(case.body, entry), Gap("case", case)))
            if case.guard is None and _irrefutable(case.pattern):
                exhaustive = True
                break
        if not exhaustive:
            branches.append((state, Gap("no-match", node)))
        return _join(state, branches)


def _dotted(node: Optional[cst.CSTNode]) -> Optional[str]:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr.value}" if base else None
    return None


def _target_names(target: cst.CSTNode) -> Iterator[str]:
    if isinstance(target, cst.Name):
        yield target.value
    elif isinstance(target, (cst.Tuple, cst.List)):
        for element in target.elements:
            yield from _target_names(element.value)
    elif isinstance(target, cst.StarredElement):
        yield from _target_names(target.value)


def _pattern_names(pattern: cst.CSTNode) -> Iterator[cst.Name]:
    stack = [pattern]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.MatchAs) and node.name is not None:
            yield node.name
        elif isinstance(node, cst.MatchStar) and node.name is not None:
            yield node.name
        elif isinstance(node, cst.MatchMapping) and node.rest is not None:
            yield node.rest
        if isinstance(node, (cst.Name, cst.Attribute)):
            continue
        stack.extend(reversed(children(node)))


def _irrefutable(pattern: cst.CSTNode) -> bool:
    if isinstance(pattern, cst.MatchAs):
        return pattern.pattern is None or _irrefutable(pattern.pattern)
    if isinstance(pattern, cst.MatchOr):
        return any(_irrefutable(p.pattern) for p in pattern.patterns)
    return False


_COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)


def _named_exprs(expr: cst.CSTNode) -> Iterator[tuple[cst.NamedExpr, bool]]:
    """`:=` expressions that bind in the module scope, with whether evaluating them is conditional."""
    stack: list[tuple[cst.CSTNode, bool]] = [(expr, False)]
    while stack:
        node, conditional = stack.pop()
        if isinstance(node, cst.NamedExpr):
            yield node, conditional
            stack.append((node.value, conditional))
        elif isinstance(node, (cst.Lambda, cst.FunctionDef, cst.ClassDef)):
            continue
        elif isinstance(node, cst.IfExp):
            stack += [(node.test, conditional), (node.body, True), (node.orelse, True)]
        elif isinstance(node, cst.BooleanOperation):
            stack += [(node.left, conditional), (node.right, True)]
        elif isinstance(node, _COMPREHENSIONS):
            stack.extend((child, True) for child in children(node))
        else:
            stack.extend((child, conditional) for child in children(node))


def absolute_module(node: cst.ImportFrom, package: str) -> Optional[str]:
    """The absolute module of `from ... import`, resolving dots against `package`; None if impossible."""
    name = _dotted(node.module) if node.module is not None else ""
    level = len(node.relative)
    if not level:
        return name or None
    parts = package.split(".") if package else []
    if level - 1 > len(parts) or (level - 1 == len(parts) and not name):
        return None
    base = parts[: len(parts) - (level - 1)]
    full = ".".join(base + ([name] if name else []))
    return full or None


class _Scanner(NoFieldHooks, cst.CSTVisitor):
    """One walk over the whole tree for what path analysis cannot see: `global` declarations in
    functions, dynamic namespace access, and which names module-level code calls."""

    def __init__(self) -> None:
        self.scopes: list[cst.CSTNode] = []
        self.globals: list[GlobalDecl] = []
        self.dynamic: list[cst.CSTNode] = []
        self.calls: set[str] = set()

    def _in_function(self) -> bool:
        return any(isinstance(s, (cst.FunctionDef, cst.Lambda)) for s in self.scopes)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.scopes.append(node)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.scopes.pop()

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.scopes.append(node)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.scopes.pop()

    def visit_Lambda(self, node: cst.Lambda) -> None:
        self.scopes.append(node)

    def leave_Lambda(self, original_node: cst.Lambda) -> None:
        self.scopes.pop()

    def visit_Global(self, node: cst.Global) -> None:
        if not self.scopes:
            return  # `global x` at module level changes nothing
        scope = self.scopes[-1]
        plain = (
            len(self.scopes) == 1
            and isinstance(scope, cst.FunctionDef)
            and not scope.decorators
        )
        for item in node.names:
            self.globals.append(GlobalDecl(item.name.value, scope, node, plain))

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Name):
            if func.value == "globals":
                self.dynamic.append(node)
            elif func.value in ("exec", "vars", "locals") and not self._in_function():
                self.dynamic.append(node)
            elif func.value == "setattr" and node.args and _mentions_sys_modules(node.args[0].value):
                self.dynamic.append(node)
            if not self._in_function():
                self.calls.add(func.value)
        elif _mentions_sys_modules(func):  # sys.modules[__name__].__dict__.update(...)
            self.dynamic.append(node)

    def visit_Assign(self, node: cst.Assign) -> None:
        # sys.modules[__name__].x = ... / sys.modules[__name__] = Replacement(): reading sys.modules
        # (`if "gevent" in sys.modules:`) changes no name and is left alone.
        if any(_mentions_sys_modules(t.target) for t in node.targets):
            self.dynamic.append(node)


def _mentions_sys_modules(node: cst.CSTNode) -> bool:
    stack = [node]
    while stack:
        current = stack.pop()
        if (
            isinstance(current, cst.Attribute)
            and current.attr.value == "modules"
            and isinstance(current.value, cst.Name)
            and current.value.value == "sys"
        ):
            return True
        if isinstance(current, (cst.Attribute, cst.Subscript, cst.Call, cst.SubscriptElement, cst.Index, cst.Arg)):
            stack.extend(children(current))
    return False


def _literal_all(bindings: list[Binding]) -> Optional[tuple[str, ...]]:
    found = [b for b in bindings if b.name == "__all__"]
    if not found:
        return None
    names: list[str] = []
    for b in found:
        value = b.value
        if b.kind == "augassign":
            value = getattr(b.statement, "value", None)
        elif b.kind not in ("assign", "annassign"):
            return None
        if not isinstance(value, (cst.List, cst.Tuple)):
            return None
        items = []
        for element in value.elements:
            if not isinstance(element.value, cst.SimpleString):
                return None
            text = element.value.evaluated_value
            if not isinstance(text, str):
                return None
            items.append(text)
        names = names + items if b.kind == "augassign" else items
    return tuple(names)


def module_bindings(
    parsed: Union[ParsedModule, cst.Module],
    *,
    main_runs: bool = False,
    package: str = "",
    star_names: Optional[StarNames] = None,
    text: Optional[str] = None,
    platform_truth: Optional[Callable[[cst.BaseExpression], Optional[bool]]] = None,
) -> ModuleBindings:
    """Analyze a module's top level.

    `main_runs`: the module runs as `__main__` (its `if __name__ == "__main__":` block runs).
    `package`: the package relative imports resolve against. `star_names(module)` tells what
    `from module import *` binds, or None when unknown. `text`: the source, when at hand (it only
    lets the analysis skip walks that cannot find anything). `platform_truth(test)`: a condition's
    truth in every platform environment (model/conditions.py), or None when it differs or is unknown.
    """
    if isinstance(parsed, cst.Module):
        parsed = ParsedModule("", parsed)
    if text is None:
        text = parsed.text
    flow = _Flow(parsed, main_runs, package, star_names, walrus=":=" in text)
    flow.platform_truth = platform_truth
    end = flow.block(parsed.module.body, _Env())
    final = end.flatten() if end is not None else {}
    scanner = _Scanner()
    if any(hint in text for hint in _DYNAMIC_HINTS):
        walk(parsed.module, scanner)
    return ModuleBindings(
        parsed=parsed,
        final=final,
        bindings=flow.bindings,
        dead=flow.dead,
        deletions=flow.deletions,
        stars=flow.stars,
        global_decls=scanner.globals,
        module_calls=frozenset(scanner.calls),
        dynamic=flow.dynamic + scanner.dynamic,
        all_names=None if ("__all__." in text or "__all__[" in text) else _literal_all(flow.bindings),
        package=package,
    )


# -- project level ------------------------------------------------------------------------------------

_IN_PROGRESS = object()


def _platform_truth(project: "Project", rel: str) -> Callable[[cst.BaseExpression], Optional[bool]]:
    """A condition's truth on the platform, the same in stage and production (None otherwise). Only
    for modules that read LEANCLOUD_* variables: other conditions the flow's own constants cover."""
    # start-up: the conditions model comes with the resolver, which this module does not need else
    from analyzer.model.conditions import ALL, truth

    resolver = project.resolver(rel)

    def decide(test: cst.BaseExpression) -> Optional[bool]:
        if resolver is None:
            return None
        found = {truth(resolver, test, env) for env in ALL}
        return found.pop() if len(found) == 1 else None

    return decide


def package_of(project: "Project", rel: str) -> str:
    name = project.module_name(rel) or ""
    return name if rel.endswith("__init__.py") else name.rpartition(".")[0]


def project_bindings(project: "Project", rel: str) -> Optional[ModuleBindings]:
    """`module_bindings()` of a project file, computed once per run; None if it does not parse
    (or while it is being computed: an import cycle through `from m import *`)."""
    cache = project.module_bindings
    if rel in cache:
        found = cache[rel]
        return None if found is _IN_PROGRESS else found
    parsed = project.parsed(rel)
    if parsed is None:
        cache[rel] = None
        return None

    def star_names(module: str) -> Optional[tuple[frozenset[str], bool]]:
        target = project.module_file(module)
        if target is None:
            return None
        mb = project_bindings(project, target)
        return None if mb is None else mb.exported_names()

    cache[rel] = _IN_PROGRESS
    result = None
    try:
        text = project.source(rel).text
        result = module_bindings(
            parsed,
            main_runs=project.runs_main_guard(rel),
            package=package_of(project, rel),
            star_names=star_names,
            text=text,
            platform_truth=_platform_truth(project, rel) if text and RESERVED_PREFIX in text else None,
        )
    finally:
        cache[rel] = result
    return result


@dataclass(frozen=True)
class Resolution:
    """Whether a module-level name of a project file ends up bound, imports followed.

    `node` (in the file asked about) is where a finding belongs: the conditional binding, the
    `from m import name` whose source lacks the name, the `import *` it may come from. `reason` is
    a clause for a message; `binding` the binding concerned.
    """

    status: str
    node: Optional[cst.CSTNode] = None
    reason: str = ""
    binding: Optional[Binding] = None


def resolve_name(project: "Project", rel: str, name: str, _seen: Optional[set] = None) -> Resolution:
    """Follow `name` in `rel` through `from m import name` / `import *` of project modules.

    ALWAYS: bound on every path (imports from outside the project are trusted). MAYBE: bound on
    some paths, here or in the module it comes from, or it may come from an `import *` of a module
    whose names are unknown. NEVER: no path binds it, or it is imported (outside any `try`) from a
    project module that never binds it (the import fails). UNKNOWN: unparsable, an import cycle, or
    a module where a function may bind it through `global`, or code through `globals()` & co.
    """
    seen = set() if _seen is None else _seen
    if (rel, name) in seen:
        return Resolution(UNKNOWN)
    seen.add((rel, name))
    mb = project_bindings(project, rel)
    if mb is None:
        return Resolution(UNKNOWN)
    st = mb.final.get(name)
    if (mb.dynamic or mb.globals_of(name)) and (st is None or st.status != ALWAYS):
        # A function may bind it through `global`, or code may through `globals()`: cannot tell.
        return Resolution(UNKNOWN)
    if st is None or not st.bindings:
        star = mb.final.get(STAR)
        if star is not None and star.bindings:
            b = star.bindings[0]
            target = project.module_file(b.module) if b.module else None
            if target is not None:  # a project module whose names are not all known
                sub = resolve_name(project, target, name, seen)
                if sub.status == MAYBE:
                    return Resolution(MAYBE, b.node, f"it comes from {target}, where {sub.reason}", b)
                if sub.status in (ALWAYS, UNKNOWN):
                    return Resolution(sub.status, b.node, "", b)
            return Resolution(MAYBE, b.node, f"it may come from `{mb.code(b.statement)}` (line {mb.line(b.node)})", b)
        return Resolution(NEVER, reason=mb.unbound_reason(name, rel))
    unknown = False
    for b in st.bindings:
        if b.kind not in ("from", "star") or not b.module or b.imported is None:
            continue
        target = project.module_file(b.module)
        if target is None or (b.kind == "from" and project.module_file(f"{b.module}.{b.imported}")):
            continue  # outside the project (trusted), or a submodule
        sub = resolve_name(project, target, b.imported, seen)
        if sub.status == NEVER and b.kind == "from" and not b.guarded:
            return Resolution(NEVER, b.node, sub.reason, b)
        if sub.status == MAYBE:
            return Resolution(MAYBE, b.node, f"it comes from {target}, where {sub.reason}", b)
        unknown = unknown or sub.status == UNKNOWN
    if unknown:
        return Resolution(UNKNOWN)
    if st.gap is not None:
        node = st.gap.node if st.gap.kind in ("del", "except-as") else st.bindings[0].node
        return Resolution(MAYBE, node, mb.describe_gap(st.gap, name), st.bindings[0])
    return Resolution(ALWAYS, st.bindings[-1].node, "", st.bindings[-1])
