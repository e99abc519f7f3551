"""Which environments of the platform a piece of code runs in.

The platform runs an app with LEANCLOUD_APP_ENV set to 'stage' or 'production' (never 'development',
never unset: that is lean-cli on a laptop), with every variable of `PLATFORM_VARS` set, and with no
other LEANCLOUD_* variable (users cannot set them). A condition that decides on those facts is
evaluated once per platform environment:

    if os.environ['LEANCLOUD_APP_ENV'] == 'development':   # false on stage and in production
    if not os.getenv('LEANCLOUD_APP_ENV'):                  # false: the platform always sets it
    if os.environ.get('LEANCLOUD_APP_ENV') != 'production': # true on stage only

and so is `if __name__ == '__main__':` (true only in the `run:` program), and any condition whose
value the resolver proves (`if DEBUG:` with `DEBUG = False`, a
parameter no caller passes and whose default is None). Anything else is unknown, and unknown code
may run anywhere: only a proof makes a branch dead.

`environments(resolver, node)` answers for a node: the platform environments in which the branches
around it can run (empty: it never runs on the platform; one: only there, and findings say so).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable

import libcst as cst

from analyzer.model.values import UNKNOWN, EnvRead, Prefix
from analyzer.platform.environment import ENV_VAR, PLATFORM_APP_ENVS

if TYPE_CHECKING:
    from analyzer.model.resolver import Resolver

#: Every platform environment: code with no proven condition runs in all of them.
ALL = frozenset(PLATFORM_APP_ENVS)

_MAX_DEPTH = 12
_MAX_OPTIONS = 16


class _PlatformText:
    """A string the platform sets (LEANCLOUD_APP_ID...): not empty, content unknown."""

    def __repr__(self) -> str:
        return "PLATFORM_TEXT"


PLATFORM_TEXT: Any = _PlatformText()

_STRING_METHODS = {"lower": str.lower, "upper": str.upper, "strip": str.strip, "casefold": str.casefold}


def environments(resolver: "Resolver", node: cst.CSTNode) -> frozenset[str]:
    """The platform environments in which `node` can run, judging by the `if` / `elif` / `else` and
    conditional expressions around it (not by whether its function is called: see reachability)."""
    cache = resolver.branch_environments
    envs = ALL
    child, current = node, resolver.parent(node)
    chain: list[int] = []
    while current is not None:
        key = id(child)
        if key in cache:
            envs = envs & cache[key]
            break
        chain.append(key)
        required = _branch(current, child)
        if required is not None:
            test, wanted = required
            for env in ALL:
                if env in envs and truth(resolver, test, env) is (not wanted):
                    envs = envs - {env}
        if not envs:
            break
        child, current = current, resolver.parent(current)
    # Every node on the path shares the answer only if the walk got to the top: cache just the start.
    if chain:
        cache[chain[0]] = envs
    return envs


def _branch(parent: cst.CSTNode, child: cst.CSTNode) -> tuple[cst.BaseExpression, bool] | None:
    """(test, the truth it must have) when `child` is a branch of `parent`."""
    if isinstance(parent, cst.If):
        if child is parent.body:
            return parent.test, True
        if child is parent.orelse:
            return parent.test, False
    elif isinstance(parent, cst.IfExp):
        if child is parent.body:
            return parent.test, True
        if child is parent.orelse:
            return parent.test, False
    elif isinstance(parent, cst.While) and child is parent.body:
        return parent.test, True
    return None


def truth(resolver: "Resolver", test: cst.BaseExpression, env: str) -> bool | None:
    """The truth of `test` on the platform with LEANCLOUD_APP_ENV=`env`, or None when unknown."""
    cache = resolver.truths
    key = (id(test), env)
    if key not in cache:
        cache[key] = None  # a cycle proves nothing
        cache[key] = _truth_of(_values(resolver, test, env, 0))
    return cache[key]


def _truth_of(options: list | None) -> bool | None:
    if options is None:
        return None
    truths = {_truthy(o) for o in options}
    return truths.pop() if len(truths) == 1 else None


def _truthy(o: Any) -> bool | None:
    if o is PLATFORM_TEXT:
        return True
    if o is None or isinstance(o, (str, bytes, int, float, bool)):
        return bool(o)
    if isinstance(o, Prefix) and o.text:
        return True
    return None


#: Expressions whose truth the conditions model evaluates itself (names are followed to them).
_CONDITION_FORMS = (cst.Comparison, cst.BooleanOperation, cst.UnaryOperation, cst.Name, cst.Attribute)


def _values(resolver: Resolver, expr: cst.BaseExpression, env: str, depth: int) -> list | None:
    """Every value `expr` can have with LEANCLOUD_APP_ENV=`env`, or None when any is unknown."""
    if depth > _MAX_DEPTH:
        return None
    if isinstance(expr, cst.Comparison):
        return _comparison(resolver, expr, env, depth)
    if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Not):
        inner = _values(resolver, expr.expression, env, depth + 1)
        return _each(inner, lambda o: (lambda t: None if t is None else not t)(_truthy(o)))
    if isinstance(expr, cst.BooleanOperation):
        left = _values(resolver, expr.left, env, depth + 1)
        if left is None:
            return None
        is_or = isinstance(expr.operator, cst.Or)
        out: list = []
        right: list | None = None
        for o in left:
            t = _truthy(o)
            if t is None:
                return None
            if t is is_or:
                out.append(o)
            else:
                if right is None:
                    right = _values(resolver, expr.right, env, depth + 1)
                    if right is None:
                        return None
                out += right
        return _unique(out)
    if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute) and not expr.args:
        method = _STRING_METHODS.get(expr.func.attr.value)
        if method is not None:
            inner = _values(resolver, expr.func.value, env, depth + 1)
            return _each(inner, lambda o: method(o) if isinstance(o, str) else None)
    if isinstance(expr, cst.Name) and expr.value == "__name__" and resolver.lookup(expr) is None:
        # '__main__' where the module is the `run:` program; its own name where the platform imports it.
        return ["__main__" if resolver.project.runs_main_guard(resolver.path) else resolver.module_name or "?"]
    if isinstance(expr, (cst.Name, cst.Attribute)) and not (isinstance(expr, cst.Name) and expr.value in ("True", "False", "None")):
        # A name bound to a condition (`IS_DEV = os.environ.get(...) == 'development'`), here or in
        # the project module it comes from (`from settings import IS_DEV`, `settings.IS_DEV`).
        assigned = resolver.assigned(expr)
        if assigned and all(isinstance(e, _CONDITION_FORMS) for _, e in assigned):
            out = []
            for where, value in assigned:
                found = _values(where, value, env, depth + 1)
                if found is None:
                    return None
                out += found
            return _unique(out)
    value = resolver.resolve(expr)
    if value.assumes_unset:
        return None  # the default holds only while the user leaves the variable unset
    return _each(list(value.options), lambda o: _platform(o, env))


def _platform(o: Any, env: str) -> Any:
    if isinstance(o, EnvRead):
        return env if o.name == ENV_VAR else PLATFORM_TEXT
    if o is UNKNOWN:
        return None
    return o


def _each(options: list | None, fn: Any) -> list | None:
    if options is None:
        return None
    out = []
    for o in options:
        v = fn(o)
        if v is None and o is not None:
            return None
        out.append(v)
    return _unique(out)


def _unique(options: Iterable[Any]) -> list | None:
    out: list = []
    for o in options:
        if not any(type(o) is type(p) and o == p for p in out):
            out.append(o)
        if len(out) > _MAX_OPTIONS:
            return None
    return out


def _comparison(resolver: Resolver, expr: cst.Comparison, env: str, depth: int) -> list | None:
    left = _values(resolver, expr.left, env, depth + 1)
    if left is None:
        return None
    # Chains (`a == b == c`) are rare in conditions: all links must hold.
    current = left
    link_results: list[set[bool]] = []
    for target in expr.comparisons:
        op = target.operator
        if isinstance(op, (cst.In, cst.NotIn)):
            right_sets = _collection(resolver, target.comparator, env, depth)
            if right_sets is None:
                return None
            outcomes = set()
            for a in current:
                if a is PLATFORM_TEXT or not isinstance(a, (str, int, float, bool, type(None))):
                    return None
                for items in right_sets:
                    found = any(type(a) is type(i) and a == i for i in items)
                    outcomes.add(found if isinstance(op, cst.In) else not found)
            link_results.append(outcomes)
            current = [None]  # chains past `in` are not followed
            continue
        right = _values(resolver, target.comparator, env, depth + 1)
        if right is None:
            return None
        outcomes = set()
        for a in current:
            for b in right:
                r = _compare(op, a, b)
                if r is None:
                    return None
                outcomes.add(r)
        link_results.append(outcomes)
        current = right
    if any(s == {False} for s in link_results):
        return [False]
    if all(s == {True} for s in link_results):
        return [True]
    return None


def _compare(op: cst.BaseCompOp, a: Any, b: Any) -> bool | None:
    if a is PLATFORM_TEXT or b is PLATFORM_TEXT:
        if isinstance(op, (cst.Is, cst.IsNot)) and (a is None or b is None):
            return isinstance(op, cst.IsNot)  # a variable the platform sets is never None
        if isinstance(op, (cst.Equal, cst.NotEqual)) and (a is None or b is None or a == "" or b == ""):
            return isinstance(op, cst.NotEqual)  # ... nor empty
        return None
    if isinstance(a, Prefix) or isinstance(b, Prefix):
        return None
    if isinstance(op, cst.Equal):
        return a == b
    if isinstance(op, cst.NotEqual):
        return a != b
    if isinstance(op, cst.Is):
        return a is b if a is None or b is None or isinstance(a, bool) and isinstance(b, bool) else None
    if isinstance(op, cst.IsNot):
        return a is not b if a is None or b is None or isinstance(a, bool) and isinstance(b, bool) else None
    return None


def _collection(resolver: Resolver, expr: cst.BaseExpression, env: str, depth: int) -> list[list] | None:
    """The possible element lists of a tuple / list / set literal (directly or through a name), or of
    a string (`env in 'stage production'` tests substrings: not followed)."""
    if isinstance(expr, cst.Set):
        elements = [e.value for e in expr.elements] if not any(isinstance(e, cst.StarredElement) for e in expr.elements) else None
    else:
        elements = resolver.elements(expr)
    if elements is None:
        return None
    items: list = []
    for element in elements:
        found = _values(resolver, element, env, depth + 1)
        if found is None or len(found) != 1:
            return None
        items.append(found[0])
    return [items]


def environment_note(envs: frozenset[str]) -> str:
    """The words a message starts with when what it reports holds in one platform environment only."""
    if len(envs) != 1 or envs == ALL:
        return ""
    (env,) = envs
    return f"on {env} ({ENV_VAR}={env}): "
