"""Python 2 modules: checked with a Python 2 grammar, analyzed through a Python 3 view of them.

The platform runs Python 2.7 for a `.python-version` starting with `2.`, so `print x` and
`except E, e:` are valid there. They are parsed with fissix, the maintained copy of lib2to3's grammar
(lib2to3 itself left the standard library in 3.13); a file fissix rejects is LE001.

The rules are written for Python 3 trees (ast and libcst), so they see a *view* of the module: the same
text with each Python 2 form replaced by Python 3 of the same length, so that every line and column
is unchanged and a finding in the view is a finding at that place in the file:

    print x, y          ->  print;x, y          (`print` alone, then the tuple)
    print >>f, x        ->  print;  f, x
    exec code in ns     ->  exec;code in ns
    except E, e:        ->  except E   :        (the name `e` is not bound in the view)
    raise E, "msg"      ->  raise E; "msg"
    `x`                 ->  (x)
    a <> b              ->  a != b
    0777 / 10L          ->   511 / 10
    ur'...'             ->   r'...'
    def f(a, (b, c)):   ->  def f(a,  b, c ):
    async = 1           ->  _sync = 1           (`async`, `await` and `nonlocal` are names in Python 2)

Constructs that exist in Python 3 only (annotations, `nonlocal`, f-strings...) are then reported by the
version check (analyzer/readers/syntax_versions.py), as for any target.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from typing import Any

_PRINT_FUNCTION_RE = re.compile(r"^[ \t]*from[ \t]+__future__[ \t]+import[ \t(\\\w,\s]*?\bprint_function\b", re.M)
_OCTAL_RE = re.compile(r"0[0-7]+")
_PYTHON3_KEYWORDS = {"async": "_sync", "await": "_wait", "nonlocal": "_onlocal"}


class NoView(Exception):
    """A valid Python 2 module lean-lint cannot give a Python 3 view of; the message says why."""


@lru_cache(maxsize=2)
def _driver(print_statement: bool) -> Any:
    # start-up: fissix is imported only when a Python 2 project needs it.
    import fissix
    from fissix import pytree
    from fissix.pgen2 import driver, pgen

    # The grammar is generated from its text, not loaded through fissix.pygram, which writes a pickle
    # into the user's cache directory on import (lean-lint writes nothing outside its own cache).
    grammar = pgen.generate_grammar(os.path.join(os.path.dirname(fissix.__file__), "Grammar.txt"))
    if not print_statement:
        del grammar.keywords["print"]
    return driver.Driver(grammar, convert=pytree.convert)


#: fissix parses about 150 KB a second: larger Python 2 modules are not analyzed (LE003).
MAX_CHARS = 512 * 1024


def python3_view(text: str) -> str:
    """The Python 3 view of a Python 2 module. Raises SyntaxError (with line and offset) when the
    text is not valid Python 2, NoView when no view can be made."""
    from fissix.pgen2 import parse, tokenize  # start-up: only for Python 2 projects

    if len(text) > MAX_CHARS:
        raise NoView(f"it is over {MAX_CHARS // 1024:,} KiB, the limit of lean-lint's Python 2 parser")
    drv = _driver(not _PRINT_FUNCTION_RE.search(text))
    source = text if text.endswith("\n") else text + "\n"
    try:
        tree = drv.parse_string(source)
    except parse.ParseError as exc:
        line, column = exc.context[1] if exc.context else (1, 0)
        shown = f" at `{exc.value}`" if exc.value and exc.value.strip() else ""
        raise _syntax_error(f"invalid Python 2 syntax{shown}", line, column) from None
    except tokenize.TokenError as exc:
        message, (line, column) = exc.args[0], exc.args[1]
        raise _syntax_error(f"invalid Python 2: {str(message).rstrip('.')}", line, column) from None
    except SyntaxError as exc:  # IndentationError from fissix's tokenizer
        raise _syntax_error(f"invalid Python 2: {exc.msg}", exc.lineno or 1, (exc.offset or 1) - 1) from None
    except (RecursionError, MemoryError):
        raise NoView("it is nested too deeply for the Python 2 parser") from None
    try:
        edits = _edits(tree, drv.grammar.number2symbol)
    except RecursionError:
        raise NoView("it is nested too deeply for the Python 2 parser") from None
    lines = text.split("\n")
    for line, column, old, new in edits:
        current = lines[line - 1]
        if current[column : column + len(old)] != old or len(new) != len(old):
            raise NoView(f"it is valid Python 2, but lean-lint could not map line {line} to Python 3")
        lines[line - 1] = current[:column] + new + current[column + len(old) :]
    return "\n".join(lines)


def _syntax_error(message: str, line: int, column: int) -> SyntaxError:
    err = SyntaxError(message)
    err.lineno, err.offset = line, column + 1
    return err


def _leaves(node: Any) -> list:
    return list(node.leaves())


def _edits(tree: Any, symbols: dict[int, str]) -> list[tuple[int, int, str, str]]:
    """(line, column, old text, new text of the same length) for every Python 2 form."""
    from fissix.pgen2 import token  # start-up: only for Python 2 projects

    edits: list[tuple[int, int, str, str]] = []

    def replace(leaf: Any, new: str) -> None:
        edits.append((leaf.lineno, leaf.column, leaf.value, new))

    def blank(node: Any) -> None:
        for leaf in _leaves(node):
            replace(leaf, " " * len(leaf.value))

    def statement_keyword(node: Any) -> None:
        """`print x` / `exec code`: end the statement after the keyword, keep the arguments."""
        keyword, rest = node.children[0], node.children[1:]
        if not rest:
            return
        first = _leaves(rest[0])[0]
        if len(rest) == 1 and symbols.get(rest[0].type) == "atom" and first.value == "(" and not first.prefix:
            return  # `print(x)`: already a call
        if first.prefix[:1] in (" ", "\t"):
            # The blank after the keyword becomes the `;`.
            edits.append((keyword.lineno, keyword.column + len(keyword.value), first.prefix[0], ";"))
            if first.value == ">>":
                replace(first, "  ")
        elif first.value == ">>":
            replace(first, "; ")
        else:
            replace(keyword, "0;" + " " * (len(keyword.value) - 2))

    for node in tree.pre_order():
        name = symbols.get(node.type)
        if name in ("print_stmt", "exec_stmt"):
            statement_keyword(node)
        elif name == "except_clause" and len(node.children) == 4 and node.children[2].value == ",":
            blank(node.children[2])
            blank(node.children[3])
        elif name == "raise_stmt" and len(node.children) >= 4 and node.children[2].value == ",":
            replace(node.children[2], ";")
        elif name == "atom" and node.children[0].value == "`":
            replace(node.children[0], "(")
            replace(node.children[-1], ")")
        elif name in ("tfpdef", "vfpdef") and node.children[0].value == "(":
            replace(node.children[0], " ")
            replace(node.children[-1], " ")
        elif name is None and node.type == token.NOTEQUAL and node.value == "<>":
            replace(node, "!=")
        elif name is None and node.type == token.NUMBER:
            new = _number(node.value)
            if new != node.value:
                replace(node, new)
        elif name is None and node.type == token.STRING and node.value[:2].lower() == "ur":
            replace(node, " " + node.value[1:])
        elif name is None and node.type == token.NAME and node.value in _PYTHON3_KEYWORDS:
            replace(node, _PYTHON3_KEYWORDS[node.value])
    return edits


def _number(value: str) -> str:
    """Python 2 integer literals as Python 3 ones of the same length: `0777` -> ` 511`, `10L` -> `10 `."""
    core = value[:-1] if value[-1:] in ("l", "L") else value
    if _OCTAL_RE.fullmatch(core) and core.strip("0"):
        return str(int(core, 8)).rjust(len(value))
    return core.ljust(len(value))
