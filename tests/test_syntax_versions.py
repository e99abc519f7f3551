"""The syntax each Python version accepts: one verdict from both trees, whatever Python runs lean-lint.

Every case is checked in libcst and, where the running Python can parse it, in `ast`; both must give
the same place and construct. `.ci/run` runs this file under every Python lean-lint supports."""

from __future__ import annotations

import ast

import libcst
import pytest

from analyzer.readers import syntax_versions as sv
from tests.helpers import compiles_with, pyenv_python

# (source, target, expected: (line, column, construct) or None)
CASES = [
    ("match x:\n    case 1:\n        pass\n", (3, 8), (1, 0, sv.MATCH)),
    ("match x:\n    case 1:\n        pass\n", (3, 10), None),
    ("match = 1\nmatch(x)\n", (3, 8), None),
    ("try:\n    pass\nexcept* ValueError:\n    pass\n", (3, 10), (3, 0, sv.EXCEPT_STAR)),
    ("try:\n    pass\nexcept* ValueError:\n    pass\n", (3, 11), None),
    ("try:\n    pass\nexcept ValueError, e:\n    pass\n", (3, 11), (3, 0, sv.EXCEPT_COMMA)),
    ("try:\n    pass\nexcept ValueError, e:\n    pass\n", (3, 14), None),
    ("try:\n    pass\nexcept (ValueError, e):\n    pass\n", (3, 8), None),
    ("try:\n    pass\nexcept (A), B:\n    pass\n", (3, 13), (3, 0, sv.EXCEPT_COMMA)),
    ("type X = int\n", (3, 11), (1, 0, sv.TYPE_STATEMENT)),
    ("type X = int\n", (3, 12), None),
    ("type = 1\nprint(type)\n", (3, 8), None),
    ("def f[T](x: T) -> T:\n    return x\n", (3, 11), (1, 6, sv.TYPE_PARAMS)),
    ("class C[*Ts]:\n    pass\n", (3, 11), (1, 8, sv.TYPE_PARAMS)),
    ("class C[T = int]:\n    pass\n", (3, 12), (1, 8, sv.TYPE_DEFAULTS)),
    ("def f[T, **P = [int]]():\n    pass\n", (3, 12), (1, 9, sv.TYPE_DEFAULTS)),
    ("class C[T = int]:\n    pass\n", (3, 13), None),
    ("if (n := 10) > 5:\n    pass\n", (3, 7), (1, 4, sv.WALRUS)),
    ("print(f'{(y:=1)}')\n", (3, 7), (1, 10, sv.WALRUS)),
    ("def f(a, /, b):\n    pass\n", (3, 7), (1, 6, sv.POSITIONAL_ONLY)),
    ("g = lambda a, /: a\n", (3, 7), (1, 11, sv.POSITIONAL_ONLY)),
    ("def f(a, /, b):\n    pass\n", (3, 8), None),
    ("@buttons[0].clicked.connect\ndef f():\n    pass\n", (3, 8), (1, 0, sv.DECORATOR)),
    ("class A:\n    @ (x)\n    def f(self):\n        pass\n", (3, 8), (2, 4, sv.DECORATOR)),
    ("@a.b(1)(2)\ndef f():\n    pass\n", (3, 8), (1, 0, sv.DECORATOR)),
    ("@app.route('/x', methods=['GET'])\n@ a . b\ndef f():\n    pass\n", (3, 8), None),
    ("@a[0]\ndef f():\n    pass\n", (3, 9), None),
    ("with (open(a) as f, open(b) as g):\n    pass\n", (3, 8), (1, 0, sv.WITH_PARENS)),
    ("async def f():\n    async with (a as b):\n        pass\n", (3, 8), (2, 4, sv.WITH_PARENS)),
    ("with (open(a)) as f, (b):\n    pass\n", (3, 8), None),
    ("with (a, b):\n    pass\n", (3, 8), None),
    ("with (open(a) as f):\n    pass\n", (3, 9), None),
    ("x = f'{a['b']}'\n", (3, 11), (1, 9, sv.FSTRING_QUOTE)),
    ("x = f'{a[\"b\"]}'\n", (3, 11), None),
    ("x = f'''{a['b']}'''\n", (3, 11), None),
    ("x = f'{\"\\n\".join(a)}'\n", (3, 11), (1, 8, sv.FSTRING_BACKSLASH)),
    ("x = f'''{a # note\n}'''\n", (3, 11), (1, 11, sv.FSTRING_COMMENT)),
    ("x = f'{a +\n b}'\n", (3, 11), (1, 10, sv.FSTRING_NEWLINE)),
    ("x = f'{a['b']}'\n", (3, 12), None),
    ("x = f'{x!r:>{w}}' f\"{{a}}\" rf'\\d{y}' '{' # f'{'#'}'\n", (3, 8), None),
    ("x = f'\\N{EM DASH} {y}'\n", (3, 8), None),
    ("x = 'don\\'t' + f'{y}'\ny = \"\"\"\nf'{'x'}'\n\"\"\"\n", (3, 8), None),
    ("x = 'it\\'s' + \"\"\"a \\\"\"\" f'{'\"\"\" + b'\\n'\ny = f'{b['c']}'\n", (3, 11), (2, 9, sv.FSTRING_QUOTE)),
    ("x = f'{a!r:>{w}}' + f'{b[\"c\"]:{x}}' # f'{'\ny = rf'{c}\\d{d['e']}'\n", (3, 11), (2, 15, sv.FSTRING_QUOTE)),
    ("x = t'hello {name}'\n", (3, 13), (1, 4, sv.TEMPLATE_STRING)),
    ("x = t'hello {name}'\n", (3, 14), None),
    ("elif_ = 1\nif x:\n    pass\nelif'a':\n    pass\n", (3, 8), None),
    # the first construct wins, whichever tree finds it
    ("x = [y := 1]\nmatch x:\n    case _:\n        pass\ntype T = int\n", (3, 7), (1, 5, sv.WALRUS)),
    ("type T = int\nx = (y := 1)\n", (3, 7), (1, 0, sv.TYPE_STATEMENT)),
    ("x = 'a\u00e9' ; y = (z := 1)\n", (3, 7), (1, 16, sv.WALRUS)),
]


def _expected(case_expected):
    if case_expected is None:
        return None
    line, column, (what, version) = case_expected
    return sv.Newer(line, column, what, version)


def _ast_tree(source):
    try:
        return ast.parse(source)
    except SyntaxError:
        return None


@pytest.mark.parametrize("source,target,expected", CASES)
def test_libcst_tree(source, target, expected):
    assert sv.in_libcst(libcst.parse_module(source), source, target) == _expected(expected)


@pytest.mark.parametrize("source,target,expected", CASES)
def test_ast_tree(source, target, expected):
    tree = _ast_tree(source)
    if tree is None:
        pytest.skip("the running Python cannot parse this (the libcst case covers it)")
    assert sv.in_ast(tree, source, target) == _expected(expected)


@pytest.mark.parametrize("target", sorted({t for _, t, _ in CASES}))
def test_the_verdicts_are_those_of_the_real_interpreter(target):
    """Each case compiles with the CPython of its target exactly when no construct is reported."""
    python = pyenv_python(f"{target[0]}.{target[1]}")
    if python is None:
        pytest.skip(f"no CPython {target[0]}.{target[1]} on this machine")
    sources = [source for source, t, _ in CASES if t == target]
    expected = [expected is None for _, t, expected in CASES if t == target]
    assert list(zip(sources, compiles_with(python, sources))) == list(zip(sources, expected))
