"""LE707 wrong-app-env-value."""

from __future__ import annotations

from typing import Callable

import libcst as cst

from analyzer.model.values import EnvRead
from analyzer.platform.environment import ENV_VALUES, ENV_VAR
from analyzer.rules.base import CodeRule
from analyzer.rules.environment._environment import (
    _CASE_METHODS,
    _defaults,
    _pattern_values,
    _string,
    meant,
)
from analyzer.types import Case, Severity


class WrongAppEnvValue(CodeRule):
    code = "LE707"
    name = "wrong-app-env-value"
    severity = Severity.WARNING
    summary = "LEANCLOUD_APP_ENV is compared with a value it never takes ('staging', 'prod', 'dev'...)."
    why = (
        "The platform sets `LEANCLOUD_APP_ENV` to `production` in the production environment and to `stage` "
        "(not `staging`) in the staging environment; locally it is `development` under `lean up`, or unset. "
        "A comparison with any other value (`'staging'`, `'prod'`, `'dev'`, `'Production'`) is never true "
        "(or, with `!=`, always true), so the code behaves the same everywhere, usually as in development. "
        "lean-lint reports `==`, `!=`, `in` / `not in` (only the wrong members of the tuple) and `match` cases "
        "against an expression it can trace to `os.environ.get('LEANCLOUD_APP_ENV')` (also through names and "
        "`.lower()`); a value the code gives as the read's own default is fine, since it is what the "
        "variable falls back to when unset."
    )
    example = Case(
        {
            "wsgi.py": """
                import os

                from flask import Flask

                application = Flask(__name__)
                if os.environ.get('LEANCLOUD_APP_ENV') == 'staging':
                    application.debug = True
                """,
        },
        ("wsgi.py:6:43",),
    )
    fix = (
        "Compare with the values the platform uses: 'production', 'stage', 'development' (or unset).\n"
        "```\n"
        "if os.environ.get('LEANCLOUD_APP_ENV') == 'stage':\n"
        "    DEBUG = True\n"
        "```"
    )
    tags = ("python", "environment")
    keywords = (ENV_VAR,)
    keywords_in_imports = True  # the variable may be read in another module: `from config import ENV`

    fires = (
        Case(
            {
                "wsgi.py": """
                    import os
                    application = None
                    ENV = os.environ.get('LEANCLOUD_APP_ENV', 'development')
                    if ENV == 'staging':
                        pass
                    DEBUG = os.environ.get('LEANCLOUD_APP_ENV') != 'prod'
                """
            },
            (
                "wsgi.py:4:11: LEANCLOUD_APP_ENV is never 'staging' on the platform, so this "
                "comparison is never true",
                "wsgi.py:6:48: LEANCLOUD_APP_ENV is never 'prod' on the platform, so this "
                "comparison is always true",
            ),
        ),
        Case(
            {
                "wsgi.py": """
                    from config import ENV
                    application = None
                    IS_LIVE = ENV.lower() in ('prod', 'production')
                    match ENV:
                        case 'dev' | 'development':
                            pass
                        case 'Production':
                            pass
                """,
                "config.py": "import os\nENV = os.getenv('LEANCLOUD_APP_ENV') or 'development'\n",
            },
            ("wsgi.py:3:27", "wsgi.py:5:10", "wsgi.py:7:10"),
        ),
    )
    near_misses = (
        Case(
            {
                "settings.py": """
                    import os
                    DEFAULT_ENV = 'local'
                    def app_env(default=DEFAULT_ENV):
                        return os.environ.get('LEANCLOUD_APP_ENV', default)
                """,
                "wsgi.py": """
                    from settings import app_env
                    application = None
                    LOCAL = app_env() == 'local'
                """,
            },
            note="the read's own default, through a parameter's default and a constant of the module",
        ),
        Case(
            {
                "wsgi.py": """
                    import os
                    application = None
                    ENV = os.environ.get('LEANCLOUD_APP_ENV', 'local')
                    LOCAL = ENV == 'local'
                    PROD = ENV in ('production',)
                    STAGE = os.environ.get('LEANCLOUD_APP_ENV') == 'stage'
                    UNSET = os.environ.get('LEANCLOUD_APP_ENV') is None or ENV == ''
                    DEV = os.environ.get('FLASK_ENV') == 'dev'
                    STARTS = ENV.startswith('prod')
                """
            },
            note="valid values, the read's own default, another variable",
        ),
        Case(
            {
                "wsgi.py": """
                    import os, sys
                    application = None
                    ENV = os.environ.get('LEANCLOUD_APP_ENV') if len(sys.argv) < 2 else sys.argv[1]
                    if ENV == 'staging':
                        pass
                """
            },
            note="a value that is LEANCLOUD_APP_ENV on one branch only",
        ),
    )

    active = False

    def visit_Module(self, node: cst.Module) -> None:
        self.active = self._mentions_env()

    def _mentions_env(self) -> bool:
        """The variable's name is in this module or a project module it imports (what the resolver
        can follow); otherwise nothing here can be traced to it."""
        project = self.ctx.project
        seen: set[str] = set()
        stack = [self.ctx.path]
        while stack and len(seen) < 50:
            rel = stack.pop()
            if rel in seen:
                continue
            seen.add(rel)
            text = project.python_text(rel) or ""
            if ENV_VAR in text:
                return True
            info = project.file_info(rel)
            for ref in info.imports + info.dead_main_imports:
                for name in (ref.module, *(f"{ref.module}.{n}" for n in ref.names)):
                    target = project.module_file(name) if name else None
                    if target and target not in seen:
                        stack.append(target)
        return False

    def visit_Comparison(self, node: cst.Comparison) -> None:
        if not self.active:
            return
        left = node.left
        for target in node.comparisons:
            op = target.operator
            right = target.comparator
            if isinstance(op, (cst.Equal, cst.NotEqual)):
                for env_side, other in ((left, right), (right, left)):
                    if _string(other) is None:
                        continue  # only literals are judged: no need to trace the other side
                    traced = self._trace(env_side)
                    if traced is not None:
                        always = "always true" if isinstance(op, cst.NotEqual) else "never true"
                        self._judge(other, traced, f"so this comparison is {always}")
                        break
            elif isinstance(op, (cst.In, cst.NotIn)) and isinstance(right, (cst.Tuple, cst.List, cst.Set)):
                if not any(_string(e.value) is not None for e in right.elements if isinstance(e, cst.Element)):
                    left = right
                    continue
                traced = self._trace(left)
                if traced is not None:
                    for element in right.elements:
                        if not isinstance(element, cst.StarredElement):
                            self._judge(element.value, traced, "so this member never matches")
            left = right

    def visit_Match(self, node: cst.Match) -> None:
        if not self.active:
            return
        traced = self._trace(node.subject)
        if traced is None:
            return
        for case in node.cases:
            for value in _pattern_values(case.pattern):
                self._judge(value, traced, "so this case never matches")

    def _trace(self, expr: cst.BaseExpression) -> tuple[Callable[[str], str], set[str]] | None:
        """(the case transform applied, the defaults of the read) when `expr` is LEANCLOUD_APP_ENV on
        every branch, possibly through `.lower()` / `.strip()` / `.upper()`."""
        transform: Callable[[str], str] = lambda s: s  # noqa: E731
        while (
            isinstance(expr, cst.Call)
            and not expr.args
            and isinstance(expr.func, cst.Attribute)
            and expr.func.attr.value in _CASE_METHODS
        ):
            method = _CASE_METHODS[expr.func.attr.value]
            transform = (lambda f, g: (lambda s: f(g(s))))(method, transform)
            expr = expr.func.value
        value = self.ctx.resolver.resolve(expr)
        if not value.all(lambda o: isinstance(o, EnvRead) and o.name == ENV_VAR):
            return None
        return transform, set(_defaults(self.ctx.resolver, expr))

    def _judge(self, node: cst.BaseExpression, traced: tuple[Callable[[str], str], set[str]], outcome: str) -> None:
        text = _string(node)
        if text is None or text == "":
            return
        transform, defaults = traced
        valid = {transform(v) for v in ENV_VALUES} | {transform(d) for d in defaults}
        if text in valid:
            return
        guess = meant(text)
        values = ", ".join(repr(transform(v)) for v in ENV_VALUES)
        self.report(
            node,
            f"{ENV_VAR} is never {text!r} on the platform, {outcome}",
            hint=f"Use {transform(guess)!r}." if guess else f"Use one of {values}.",
        )
