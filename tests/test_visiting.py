"""support/visiting.walk: the same hooks in the same order as libcst's own traversal, over the
nodes that hold code, without rebuilding the tree."""

from __future__ import annotations

import textwrap

import libcst as cst

from analyzer.support.visiting import walk

SOURCE = textwrap.dedent(
    """
    from __future__ import annotations
    import os, sys as system
    from . import sibling
    from pkg.mod import (a as b, c)

    @decorate(arg=1)
    @other
    async def f(x: int = 1, /, y=2, *args, z: "str" = 'q', **kw) -> dict[str, int]:
        global G
        async with open(x) as fh, g() as (p, q):
            async for i in fh:
                yield i
        return {k: v for k, v in kw.items() if k} | {**kw}

    class C(Base, metaclass=Meta):
        attr: int = 3
        def m(self, *, key):
            nonlocal_value = [e async for e in self] if key else (lambda s=1: s)(2)
            return self.attr[1:2, ::3], f"{key!r:>{width}} and {{x}}"

    try:
        x = 1
    except (ValueError, TypeError) as exc:
        raise RuntimeError("no") from exc
    else:
        del x
    finally:
        assert x, "msg"

    try:
        pass
    except* OSError:
        pass

    match command:
        case ["go", direction] | {"to": direction}:
            pass
        case Point(x=0, y=0) as origin if origin:
            pass
        case _:
            pass

    while (n := len(items)) > 10 and not done or -n < 3:
        x += 1; y @= 2
        break
    else:
        continue_ = ...
    print(*args, sep="", **kw)
    value = a if b else c
    """
)


BRACKETS = (cst.LeftParen, cst.RightParen, cst.LeftSquareBracket, cst.RightSquareBracket, cst.LeftCurlyBrace,
            cst.RightCurlyBrace)


class _Recorder(cst.CSTVisitor):
    def __init__(self, skip: type | None = None) -> None:
        super().__init__()
        self.events: list[tuple[str, int]] = []
        self.skip = skip

    def on_visit(self, node: cst.CSTNode) -> bool:
        self.events.append(("visit", id(node)))
        return type(node) is not self.skip

    def on_leave(self, original_node: cst.CSTNode) -> None:
        self.events.append(("leave", id(original_node)))


def _code_only(events: list[tuple[str, int]], module: cst.Module) -> list[tuple[str, int]]:
    """libcst's events without the whitespace, punctuation and operator nodes walk leaves out."""
    tokens: set[int] = set()

    class Tokens(cst.CSTVisitor):
        def on_visit(self, node: cst.CSTNode) -> bool:
            if type(node).__module__ in ("libcst._nodes.whitespace", "libcst._nodes.op") or isinstance(node, BRACKETS):
                tokens.add(id(node))
            return True

    module.visit(Tokens())
    return [e for e in events if e[1] not in tokens]


def test_walk_visits_in_libcst_order():
    module = cst.parse_module(SOURCE)
    theirs, ours = _Recorder(), _Recorder()
    module.visit(theirs)
    walk(module, ours)
    assert ours.events == _code_only(theirs.events, module)
    assert len(ours.events) > 400


def test_walk_skips_children_when_on_visit_says_so_and_still_leaves():
    module = cst.parse_module(SOURCE)
    theirs, ours = _Recorder(skip=cst.FunctionDef), _Recorder(skip=cst.FunctionDef)
    module.visit(theirs)
    walk(module, ours)
    assert ours.events == _code_only(theirs.events, module)


def test_walk_calls_type_hooks_and_does_not_recurse():
    names: list[str] = []

    class Hooks(cst.CSTVisitor):
        def visit_Name(self, node: cst.Name) -> None:
            names.append(node.value)

    walk(cst.parse_module("import os\nos.getenv('A')\n"), Hooks())
    assert names == ["os", "os", "getenv"]
    deep: cst.BaseExpression = cst.Name("x")
    for _ in range(5000):  # built, not parsed: libcst's parser would not take this depth
        deep = cst.UnaryOperation(cst.Minus(), deep)
    names.clear()
    walk(cst.Module(body=[cst.SimpleStatementLine([cst.Expr(deep)])]), Hooks())  # no RecursionError
    assert names == ["x"]
