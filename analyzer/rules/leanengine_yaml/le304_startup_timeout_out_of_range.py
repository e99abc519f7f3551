"""LE304 startup-timeout-out-of-range."""

from __future__ import annotations

from analyzer.rules.leanengine_yaml._leanengine_yaml import _LeanengineYamlRule
from analyzer.types import Case, Severity


class StartupTimeoutOutOfRange(_LeanengineYamlRule):
    code = "LE304"
    name = "startup-timeout-out-of-range"
    severity = Severity.ERROR
    summary = "startupTimeout is outside the 15-120 seconds the platform accepts."
    why = (
        "During a deploy the platform checks once a second whether the app answers, and aborts the deploy "
        "when `startupTimeout` seconds have passed (default 30). The setting can only be from 15 to 120 "
        "seconds: a slow-starting app cannot get more than 120, and a value outside the range is not one the "
        "platform accepts."
    )
    example = Case(
        {
            "leanengine.yaml": "startupTimeout: 300\n",
        },
        ("leanengine.yaml:1:1",),
    )
    fix = (
        "Use a value from 15 to 120; if the app needs longer, make it start faster (import heavy modules "
        "lazily, warm caches after the first request).\n```yaml\nstartupTimeout: 120\n```"
    )
    fires = (
        Case(
            {"leanengine.yaml": "startupTimeout: 300\n"},
            (
                "leanengine.yaml:1:1: startupTimeout is 300 seconds, but the platform accepts only 15 to 120: "
                "write `startupTimeout: 120`",
            ),
        ),
        Case(
            {"leanengine.yaml": "run: python wsgi.py\nstartupTimeout: 10\n"},
            (
                "leanengine.yaml:2:1: startupTimeout is 10 seconds, but the platform accepts only 15 to 120: "
                "write `startupTimeout: 15`",
            ),
        ),
        Case({"leanengine.yaml": "startupTimeout: 0\n"}, ("leanengine.yaml:1:1",)),
    )
    near_misses = (
        Case({"leanengine.yaml": "startupTimeout: 120\n"}),
        Case({"leanengine.yaml": "startupTimeout: 15\n"}),
        Case({"leanengine.yaml": "startupTimeout: 60\n"}),
        Case({"leanengine.yaml": 'startupTimeout: "300"\n'}, note="a string is LE302's finding"),
        Case({"leanengine.yaml": "startupTimeOut: 300\n"}, note="an unknown key is LE303's finding"),
    )
