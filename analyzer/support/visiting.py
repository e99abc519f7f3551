"""What every libcst visitor of lean-lint shares (stdlib only: the mixin names no libcst type)."""

from __future__ import annotations

import dataclasses
import inspect
import re
from typing import Any


class NoFieldHooks:
    """Put before `cst.CSTVisitor` in a visitor's bases. libcst calls `on_visit_attribute` /
    `on_leave_attribute` for every field of every node it walks, each looking up a
    `visit_<Type>_<field>` method by a formatted name: a third of a walk's time. lean-lint's
    visitors define no such method (the dispatcher would not call one), so these do nothing."""

    def on_visit_attribute(self, node: Any, attribute: str) -> None:
        pass

    def on_leave_attribute(self, original_node: Any, attribute: str) -> None:
        pass


# -- a walk that rebuilds nothing ---------------------------------------------------------------------
#
# libcst's `node.visit(visitor)` rebuilds every node it passes (its `_visit_and_replace_children`
# constructs a copy even for a read-only visitor) and walks every whitespace and punctuation node.
# `walk` calls the same `on_visit` / `on_leave` hooks in the same order over the nodes that hold
# code, and builds nothing. Child order is the order libcst's own traversal uses, read once per
# node class from its `_visit_and_replace_children`.

#: Modules whose node classes are syntax tokens (whitespace, commas, operators), and the bracket
#: tokens defined among the expressions.
_TOKEN_MODULES = frozenset({"libcst._nodes.whitespace", "libcst._nodes.op"})
_BRACKETS = frozenset({"LeftParen", "RightParen", "LeftSquareBracket", "RightSquareBracket", "LeftCurlyBrace",
                       "RightCurlyBrace"})
#: Fields that only ever hold such tokens (or nothing), left unread.
_TOKEN_FIELDS = frozenset({
    "trailing_whitespace", "lpar", "rpar", "lbrace", "rbrace", "lbracket", "rbracket", "leading_lines",
    "lines_after_decorators", "header", "footer", "comma", "semicolon", "colon", "first_colon",
    "second_colon", "equal", "dot", "operator", "relative",
})
_FIELDS: dict[type, tuple[str, ...]] = {}
_IS_CODE: dict[type, bool] = {}


def _child_fields(cls: type) -> tuple[str, ...]:
    found = _FIELDS.get(cls)
    if found is None:
        names = [f.name for f in dataclasses.fields(cls)]  # type: ignore[arg-type]
        try:
            source = inspect.getsource(cls._visit_and_replace_children)  # type: ignore[attr-defined]
        except (OSError, TypeError, AttributeError):
            ordered: list[str] = []
        else:
            ordered = list(dict.fromkeys(m for m in re.findall(r"\(\s*self,\s*\"(\w+)\"", source) if m in names))
        found = _FIELDS[cls] = tuple(
            n for n in ordered + [n for n in names if n not in ordered]
            if n not in _TOKEN_FIELDS and not n.startswith("whitespace")
        )
    return found


def _is_code(cls: type) -> bool:
    found = _IS_CODE.get(cls)
    if found is None:
        found = _IS_CODE[cls] = (
            hasattr(cls, "_visit_and_replace_children") and cls.__module__ not in _TOKEN_MODULES
            and cls.__name__ not in _BRACKETS
        )
    return found


def children(node: Any) -> list[Any]:
    """The child nodes of a libcst node that hold code, in libcst's traversal order."""
    out: list[Any] = []
    for name in _child_fields(type(node)):
        value = getattr(node, name)
        if type(value) in (list, tuple):
            out.extend(v for v in value if _is_code(type(v)))
        elif _is_code(type(value)):
            out.append(value)
    return out


def walk(root: Any, visitor: Any) -> None:
    """Call `visitor.on_visit(node)` for `root` and every node under it that holds code, in source
    order, descending where it returns True, and `visitor.on_leave(node)` after each; iteratively,
    so deep trees do not exhaust the stack."""
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        if leaving:
            visitor.on_leave(node)
            continue
        stack.append((node, True))
        if visitor.on_visit(node):
            stack.extend((child, False) for child in reversed(children(node)))
