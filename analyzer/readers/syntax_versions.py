"""Which Python version a module's syntax needs, checked against the project's target.

Neither parser answers this by itself: libcst's native parser accepts every version's syntax whatever
`PartialParserConfig(python_version=...)` says, and `ast.parse(feature_version=...)` is best-effort
(it depends on the interpreter running lean-lint, and CPython documents it as not guaranteed). So
lean-lint parses with the newest grammar it has and then looks, in the tree, for each construct newer
than the target: the first one is LE001, "`match` needs Python 3.10; `.python-version` asks for 3.8".

The same constructs are found in two trees, so the verdict does not depend on the Python running
lean-lint: in `ast` (the cheap pass; when the running interpreter can parse the file) and in libcst
(when it cannot, because the file uses syntax newer than that interpreter). Both report the same
place for the same construct; tests/test_syntax_versions.py holds them to it. The f-string rules of
PEP 701 and PEP 750's template strings are found in the text itself (`string_feature`), which is the
same whatever the parser.

Constructs older than 3.8 are checked in `ast` only (for old pins and Python 2's view): a file with
them that the running Python cannot parse is checked for 3.8+ constructs only.
"""

from __future__ import annotations

import ast
import bisect
import re
from dataclasses import dataclass
from typing import Any, Iterator

from analyzer.support.visiting import walk

Version = tuple[int, int]


@dataclass(frozen=True, order=True)
class Newer:
    """A construct newer than the target, at a 1-based line and 0-based character column."""

    line: int
    column: int
    what: str
    version: Version

    def message(self, asked: str) -> str:
        return f"{self.what} Python {self.version[0]}.{self.version[1]}; {asked}"


MATCH = ("`match` needs", (3, 10))
EXCEPT_STAR = ("`except*` needs", (3, 11))
TYPE_STATEMENT = ("the `type` statement needs", (3, 12))
TYPE_PARAMS = ("type parameters (`[T]` after a function or class name) need", (3, 12))
TYPE_DEFAULTS = ("type parameter defaults (`[T = int]`) need", (3, 13))
WALRUS = ("`:=` (an assignment expression) needs", (3, 8))
POSITIONAL_ONLY = ("positional-only parameters (`/`) need", (3, 8))
DECORATOR = ("a decorator other than a dotted name or a call of one (PEP 614) needs", (3, 9))
WITH_PARENS = ("parenthesized context managers (`with (a as b, c as d):`) need", (3, 9))
EXCEPT_COMMA = (
    "`except A, B:` without parentheses (a tuple of exceptions; Python 2's `except E, e:` is "
    "`except E as e:` in Python 3) needs",
    (3, 14),
)
# PEP 701 (3.12) and PEP 750 (3.14): found in the text by string_feature().
FSTRING_QUOTE = ("an f-string that uses its own quote inside `{}` needs", (3, 12))
FSTRING_BACKSLASH = ("a backslash inside an f-string's `{}` needs", (3, 12))
FSTRING_COMMENT = ("a comment inside an f-string's `{}` needs", (3, 12))
FSTRING_NEWLINE = ("a line break inside a single-quoted f-string's `{}` needs", (3, 12))
TEMPLATE_STRING = ("template strings (`t\"...\"`) need", (3, 14))
# Older constructs (ast only): for pins below 3.8 and Python 2.
FSTRING = ("f-strings need", (3, 6))
VARIABLE_ANNOTATION = ("variable annotations (`x: int = 0`) need", (3, 6))
ASYNC = ("`async` / `await` need", (3, 5))
MATMUL = ("the `@` operator needs", (3, 5))
YIELD_FROM = ("`yield from` needs", (3, 3))
KEYWORD_ONLY = ("keyword-only parameters (after `*`) need", (3, 0))
ANNOTATION = ("annotations (`def f(x: int) -> str`) need", (3, 0))
NONLOCAL = ("`nonlocal` needs", (3, 0))
STARRED_TARGET = ("starred assignment (`a, *b = ...`) needs", (3, 0))
RAISE_FROM = ("`raise ... from ...` needs", (3, 0))


#: The newest Python whose syntax lean-lint knows: nothing is newer than a target at or above it.
NEWEST_KNOWN: Version = (3, 14)


def first_newer(found: Iterator[Newer], target: Version) -> Newer | None:
    best = None
    for item in found:
        if item.version > target and (best is None or item < best):
            best = item
    return best


# -- the text: PEP 701 f-strings and PEP 750 template strings ------------------------------------------

_STRING_PREFIXES = frozenset({"", "r", "u", "b", "br", "rb", "f", "fr", "rf", "t", "tr", "rt"})
_QUOTE_OR_COMMENT = re.compile(r"#|'''|\"\"\"|'|\"")
_IDENT = re.compile(r"\w")
_FORMATTED_START = re.compile(r"(?<!\w)(?:[fFtT][rR]?|[rR][fFtT])['\"]")
#: The rest of a plain string literal after its opening quote, through its closing quote.
_PLAIN_REST = {
    "'": re.compile(r"(?:[^'\\\n]|\\(?:.|\n))*'"),
    '"': re.compile(r'(?:[^"\\\n]|\\(?:.|\n))*"'),
    "'" * 3: re.compile(r"(?:[^'\\]|\\(?:.|\n)|'(?!''))*" + "'" * 3, re.S),
    '"' * 3: re.compile(r'(?:[^"\\]|\\(?:.|\n)|"(?!""))*' + '"' * 3, re.S),
}


class _Found(Exception):
    def __init__(self, offset: int, construct: tuple[str, Version]) -> None:
        self.offset, self.construct = offset, construct


def string_feature(text: str, target: Version) -> tuple[int, tuple[str, Version]] | None:
    """The first f-string or template string in `text` that needs a Python newer than `target`:
    (offset, construct). The text is read with 3.14's rules (PEP 701 nesting); a text that does not
    tokenize ends the scan quietly (the parsers report it)."""
    if target >= (3, 14) or not _FORMATTED_START.search(text):
        return None
    try:
        _Scanner(text, target).top()
    except _Found as found:
        return found.offset, found.construct
    except (IndexError, ValueError, RecursionError):
        pass  # an unterminated string or field, or absurd nesting: the parsers report it
    return None


class _Scanner:
    def __init__(self, text: str, target: Version) -> None:
        self.text = text
        self.pep701 = target < (3, 12)
        self.tstrings = target < (3, 14)

    def top(self) -> None:
        text, i = self.text, 0
        while True:
            match = _QUOTE_OR_COMMENT.search(text, i)
            if match is None:
                return
            if match.group() == "#":
                end = text.find("\n", match.start())
                i = len(text) if end < 0 else end
                continue
            i = self.string(match.start(), ())

    def prefix(self, quote_at: int) -> tuple[int, str]:
        start = quote_at
        while start > 0 and self.text[start - 1].isalpha() and quote_at - start < 3:
            start -= 1
        prefix = self.text[start:quote_at].lower()
        if prefix not in _STRING_PREFIXES or (start > 0 and _IDENT.match(self.text[start - 1])):
            return quote_at, ""
        return start, prefix

    def string(self, quote_at: int, outer: tuple[str, ...]) -> int:
        """Scan the literal whose quote is at `quote_at`, inside f-string fields opened by strings
        with quotes `outer`; return the offset after it."""
        text = self.text
        start, prefix = self.prefix(quote_at)
        quote = text[quote_at : quote_at + 3] if text.startswith(text[quote_at] * 3, quote_at) else text[quote_at]
        if "t" in prefix and self.tstrings:
            raise _Found(start, TEMPLATE_STRING)
        if outer and self.pep701:
            self.check_nested(quote_at, quote, outer)
        i = quote_at + len(quote)
        raw = "r" in prefix
        formatted = "f" in prefix or "t" in prefix
        if not formatted and not (outer and self.pep701):
            rest = _PLAIN_REST[quote].match(text, i)
            if rest is not None:
                return rest.end()
            end = text.find("\n", i) if len(quote) == 1 else -1  # unterminated: the parsers say so
            return len(text) if end < 0 else end
        while True:
            c = text[i]
            if text.startswith(quote, i):
                return i + len(quote)
            if c == "\\":
                if outer and self.pep701:
                    raise _Found(i, FSTRING_BACKSLASH)
                if not raw and formatted and text.startswith("N{", i + 1):
                    i = text.index("}", i) + 1
                    continue
                i += 2
            elif c == "\n" and len(quote) == 1:
                return i  # unterminated: the parsers say so
            elif outer and self.pep701 and c == "#":
                raise _Found(i, FSTRING_COMMENT)
            elif outer and self.pep701 and c == "\n" and any(len(q) == 1 for q in outer):
                raise _Found(i, FSTRING_NEWLINE)
            elif formatted and c in "{}":
                if text.startswith(c * 2, i):
                    i += 2
                elif c == "{":
                    i = self.field(i + 1, (*outer, quote))
                else:
                    i += 1
            else:
                i += 1

    def check_nested(self, quote_at: int, quote: str, outer: tuple[str, ...]) -> None:
        """Before 3.12 a string inside a field may not use any enclosing string's quote."""
        for enclosing in outer:
            if quote.startswith(enclosing) or (len(enclosing) == 3 and enclosing == quote):
                raise _Found(quote_at, FSTRING_QUOTE)

    def field(self, i: int, quotes: tuple[str, ...]) -> int:
        """Scan a replacement field from after its `{`; return the offset after its `}`."""
        text = self.text
        depth = 0
        while True:
            c = text[i]
            if c in "'\"":
                i = self.string(i, quotes)
            elif c == "#":
                if self.pep701:
                    raise _Found(i, FSTRING_COMMENT)
                i = text.index("\n", i)
            elif c == "\\":
                if self.pep701:
                    raise _Found(i, FSTRING_BACKSLASH)
                i += 1
            elif c == "\n":
                if self.pep701 and any(len(q) == 1 for q in quotes):
                    raise _Found(i, FSTRING_NEWLINE)
                i += 1
            elif c in "([{":
                depth += 1
                i += 1
            elif c in ")]":
                depth -= 1
                i += 1
            elif c == "}":
                if depth <= 0:
                    return i + 1
                depth -= 1
                i += 1
            elif c == ":" and depth <= 0:
                return self.format_spec(i + 1, quotes)
            elif c == "!" and not text.startswith("!=", i):
                i += 1
            else:
                i += 1

    def format_spec(self, i: int, quotes: tuple[str, ...]) -> int:
        text = self.text
        while True:
            c = text[i]
            if text.startswith(quotes[-1], i):
                return i  # the string ends (invalid; the parsers say so)
            if c == "{":
                i = self.field(i + 1, quotes)
            elif c == "}":
                return i + 1
            else:
                i += 1


# -- positions ------------------------------------------------------------------------------------------


class _Lines:
    """Offsets <-> (line, character column), and ast's UTF-8 byte columns to characters."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._lines: list[str] | None = None
        self._starts: list[int] | None = None

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            self._lines = self.text.split("\n")
        return self._lines

    @property
    def starts(self) -> list[int]:
        if self._starts is None:
            self._starts = [0]
            for line in self.lines[:-1]:
                self._starts.append(self._starts[-1] + len(line) + 1)
        return self._starts

    def char_column(self, line: int, byte_col: int) -> int:
        if not 1 <= line <= len(self.lines):
            return byte_col
        source = self.lines[line - 1]
        if source.isascii():
            return byte_col
        return len(source.encode("utf-8")[:byte_col].decode("utf-8", "replace"))

    def offset(self, line: int, column: int) -> int:
        return self.starts[min(line, len(self.starts)) - 1] + column

    def position(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self.starts, offset) - 1
        return index + 1, offset - self.starts[index]


def _skip_blanks(text: str, i: int) -> int:
    while i < len(text):
        if text[i] in " \t\f\n":
            i += 1
        elif text.startswith("\\\n", i):
            i += 2
        else:
            break
    return i


def _closing_paren(text: str, i: int) -> int | None:
    """The offset of the `)` matching the `(` at `i` (strings and comments skipped)."""
    depth = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                return i
        elif c == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        elif c in "'\"":
            quote = text[i : i + 3] if text.startswith(c * 3, i) else c
            i += len(quote)
            while i < n and not text.startswith(quote, i):
                i += 2 if text[i] == "\\" else 1
        i += 1
    return None


# -- ast ------------------------------------------------------------------------------------------------


def in_ast(tree: ast.AST, text: str, target: Version) -> Newer | None:
    """The first construct of the `ast` tree (parsed by the running Python) newer than `target`."""
    if target >= NEWEST_KNOWN:
        return None
    lines = _Lines(text)
    best = first_newer(_ast_constructs(tree, lines, target), target)
    strings = string_feature(text, target)
    if strings is not None:
        line, column = lines.position(strings[0])
        found = Newer(line, column, *strings[1])
        best = found if best is None or found < best else best
    return best


def _ast_constructs(tree: ast.AST, lines: _Lines, target: Version) -> Iterator[Newer]:
    def at(node: Any, construct: tuple[str, Version]) -> Newer:
        return Newer(node.lineno, lines.char_column(node.lineno, node.col_offset), *construct)

    type_alias = getattr(ast, "TypeAlias", None)
    try_star = getattr(ast, "TryStar", None)
    old = target < (3, 8)
    # From 3.8 on, every newer construct is a statement or hangs off one (a def's decorators and
    # parameters, a handler): expressions are walked only for older targets.
    for node in ast.walk(tree) if old else _statements(tree):
        if isinstance(node, ast.Match):
            yield at(node, MATCH)
        elif try_star is not None and isinstance(node, try_star):
            for handler in node.handlers:
                yield at(handler, EXCEPT_STAR)
        elif type_alias is not None and isinstance(node, type_alias):
            yield at(node, TYPE_STATEMENT)
        elif isinstance(node, ast.NamedExpr):
            yield at(node.target, WALRUS)
        elif isinstance(node, ast.ExceptHandler):
            if isinstance(node.type, ast.Tuple) and not _parenthesized(node.type, lines):
                yield at(node, EXCEPT_COMMA)
        elif isinstance(node, (ast.With, ast.AsyncWith)) and target < WITH_PARENS[1]:
            if any(item.optional_vars is not None for item in node.items) and _with_parens(node, lines):
                yield at(node, WITH_PARENS)
        elif isinstance(node, ast.arguments):
            if node.posonlyargs:
                yield at(node.posonlyargs[0], POSITIONAL_ONLY)
            if old and node.kwonlyargs:
                yield at(node.kwonlyargs[0], KEYWORD_ONLY)
            if old:
                for arg in (*node.posonlyargs, *node.args, node.vararg, *node.kwonlyargs, node.kwarg):
                    if arg is not None and arg.annotation is not None:
                        yield at(arg, ANNOTATION)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and target < DECORATOR[1]:
            for decorator in node.decorator_list:
                if not _old_decorator(decorator, lines):
                    yield Newer(*_at_sign(decorator, lines), *DECORATOR)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) or (
            type_alias is not None and isinstance(node, type_alias)
        ):
            params = getattr(node, "type_params", None) or []
            if params and not isinstance(node, type_alias):
                yield at(params[0], TYPE_PARAMS)
            for param in params:
                if getattr(param, "default_value", None) is not None:
                    yield at(param, TYPE_DEFAULTS)
        if old:
            yield from _old_constructs(node, at)


def _statements(tree: ast.AST) -> Iterator[ast.AST]:
    stack: list[ast.AST] = list(getattr(tree, "body", ()))
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node.args
        for block in ("body", "orelse", "finalbody", "handlers"):
            stack.extend(getattr(node, block, ()))
        if isinstance(node, ast.Match):
            for case in node.cases:
                stack.extend(case.body)


def _old_constructs(node: ast.AST, at: Any) -> Iterator[Newer]:
    if isinstance(node, ast.JoinedStr):
        yield at(node, FSTRING)
    elif isinstance(node, ast.AnnAssign):
        yield at(node, VARIABLE_ANNOTATION)
    elif isinstance(node, (ast.AsyncFunctionDef, ast.AsyncWith, ast.AsyncFor, ast.Await)):
        yield at(node, ASYNC)
    elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.MatMult):
        yield at(node, MATMUL)
    elif isinstance(node, ast.YieldFrom):
        yield at(node, YIELD_FROM)
    elif isinstance(node, ast.Nonlocal):
        yield at(node, NONLOCAL)
    elif isinstance(node, ast.Raise) and node.cause is not None:
        yield at(node, RAISE_FROM)
    elif isinstance(node, ast.Starred) and isinstance(node.ctx, ast.Store):
        yield at(node, STARRED_TARGET)
    elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.returns is not None:
        yield at(node.returns, ANNOTATION)


def _parenthesized(node: Any, lines: _Lines) -> bool:
    """Is a tuple written inside its own parentheses (ast's tuple position then includes them)?"""
    start = lines.offset(node.lineno, lines.char_column(node.lineno, node.col_offset))
    end = lines.offset(node.end_lineno, lines.char_column(node.end_lineno, node.end_col_offset))
    if not lines.text.startswith("(", start):
        return False
    return _closing_paren(lines.text, start) == end - 1


def _with_parens(node: Any, lines: _Lines) -> bool:
    """`with (a as b):`: a parenthesis right after `with` that closes right before the colon."""
    text = lines.text
    i = lines.offset(node.lineno, lines.char_column(node.lineno, node.col_offset))
    if isinstance(node, ast.AsyncWith):
        i = _skip_blanks(text, i + len("async"))
    i = _skip_blanks(text, i + len("with"))
    if not text.startswith("(", i):
        return False
    close = _closing_paren(text, i)
    return close is not None and text.startswith(":", _skip_blanks(text, close + 1))


def _old_decorator(node: ast.expr, lines: _Lines) -> bool:
    """Before 3.9 a decorator is a dotted name, optionally called once, without parentheses around."""
    target = node.func if isinstance(node, ast.Call) else node
    while isinstance(target, ast.Attribute):
        target = target.value
    if not isinstance(target, ast.Name):
        return False
    line, column = _at_sign(node, lines)
    after = _skip_blanks(lines.text, lines.offset(line, column) + 1)
    return not lines.text.startswith("(", after)


def _at_sign(node: ast.expr, lines: _Lines) -> tuple[int, int]:
    """The `@` before a decorator expression (ast gives the expression, without its parentheses)."""
    text = lines.text
    i = lines.offset(node.lineno, lines.char_column(node.lineno, node.col_offset)) - 1
    while i > 0 and text[i] != "@":
        i -= 1
    return lines.position(i)


# -- libcst ---------------------------------------------------------------------------------------------


def in_libcst(module: Any, text: str, target: Version) -> Newer | None:
    """The first construct of a libcst module newer than `target` (3.8 and later constructs)."""
    # start-up: libcst is imported only for a file the running Python cannot parse.
    import libcst as cst
    from libcst.metadata import MetadataWrapper, PositionProvider

    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    positions = wrapper.resolve(PositionProvider)
    found: list[Newer] = []

    def add(node: Any, construct: tuple[str, Version]) -> None:
        start = positions[node].start
        found.append(Newer(start.line, start.column, *construct))

    class Visitor(cst.CSTVisitor):
        def visit_Match(self, node: Any) -> None:
            add(node, MATCH)

        def visit_ExceptStarHandler(self, node: Any) -> None:
            add(node, EXCEPT_STAR)
            self._except(node)

        def visit_ExceptHandler(self, node: Any) -> None:
            self._except(node)

        def _except(self, node: Any) -> None:
            if isinstance(node.type, cst.Tuple) and not node.type.lpar:
                add(node, EXCEPT_COMMA)

        def visit_TypeAlias(self, node: Any) -> None:
            add(node, TYPE_STATEMENT)

        def visit_FunctionDef(self, node: Any) -> None:
            self._type_parameters(node)
            self._decorators(node)

        def visit_ClassDef(self, node: Any) -> None:
            self._type_parameters(node)
            self._decorators(node)

        def _type_parameters(self, node: Any) -> None:
            if node.type_parameters is not None and node.type_parameters.params:
                add(node.type_parameters.params[0], TYPE_PARAMS)

        def visit_TypeParam(self, node: Any) -> None:
            if node.default is not None:
                add(node, TYPE_DEFAULTS)

        def _decorators(self, node: Any) -> None:
            for decorator in node.decorators:
                expr = decorator.decorator
                target = expr.func if isinstance(expr, cst.Call) and not expr.lpar else expr
                plain = True
                while isinstance(target, cst.Attribute):
                    plain = plain and not target.lpar
                    target = target.value
                if not (plain and isinstance(target, cst.Name) and not target.lpar):
                    add(decorator, DECORATOR)

        def visit_NamedExpr(self, node: Any) -> None:
            add(node.target, WALRUS)

        def visit_Parameters(self, node: Any) -> None:
            if node.posonly_params:
                add(node.posonly_params[0], POSITIONAL_ONLY)

        def visit_With(self, node: Any) -> None:
            if isinstance(node.lpar, cst.LeftParen) and any(item.asname is not None for item in node.items):
                add(node, WITH_PARENS)

    walk(module, Visitor())
    best = first_newer(iter(found), target)
    strings = string_feature(text, target)
    if strings is not None:
        line, column = _Lines(text).position(strings[0])
        item = Newer(line, column, *strings[1])
        best = item if best is None or item < best else best
    return best
