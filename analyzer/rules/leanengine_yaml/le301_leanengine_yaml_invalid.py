"""LE301 leanengine-yaml-invalid."""

from __future__ import annotations

from analyzer.rules.leanengine_yaml._leanengine_yaml import _LeanengineYamlRule
from analyzer.types import Case, Severity


class LeanengineYamlInvalid(_LeanengineYamlRule):
    code = "LE301"
    name = "leanengine-yaml-invalid"
    severity = Severity.ERROR
    summary = "leanengine.yaml is not valid YAML, is not a mapping of settings, or repeats a key."
    why = (
        "The platform reads `run`, `install`, `build`, `startupTimeout` and the other settings from "
        "leanengine.yaml at the project root. A file that does not parse as YAML, or whose top level is a "
        "list or a single value instead of `key: value` lines, gives it no settings it can use. A key given "
        "twice is ambiguous: YAML parsers keep only one of the two values (or refuse the file), so one of "
        "them is silently dropped. An empty file is fine: it means the defaults."
    )
    example = Case(
        {
            "leanengine.yaml": """
                run: python wsgi.py
                startupTimeout: 60
                run: gunicorn wsgi:application
                """,
        },
        ("leanengine.yaml:3:1",),
    )
    fix = (
        "Make leanengine.yaml a YAML mapping with each key once; indent with spaces, not tabs.\n"
        "```yaml\nrun: python wsgi.py\nstartupTimeout: 60\n```"
    )
    fires = (
        Case(
            {"leanengine.yaml": "run: python wsgi.py\nstartupTimeout: 60\n\nrun: gunicorn wsgi:application\n"},
            ("leanengine.yaml:4:1: `run` is given twice (lines 1 and 4); the platform's YAML parser keeps only one",),
        ),
        Case(
            {"leanengine.yaml": "extraPorts:\n  - containerPort: 4000\n    containerPort: 4001\n"},
            ("leanengine.yaml:3:5",),
            note="a key repeated inside a list item",
        ),
        Case(
            {"leanengine.yaml": "run: a\nrun: b\nrun: c\n"},
            (
                "leanengine.yaml:2:1: `run` is given 3 times (lines 1, 2 and 3); "
                "the platform's YAML parser keeps only one",
                "leanengine.yaml:3:1",
            ),
        ),
        Case(
            {"leanengine.yaml": "- run: python wsgi.py\n"},
            (
                "leanengine.yaml:1:1: leanengine.yaml must be a mapping of settings (`key: value` lines), "
                "not a list; the platform finds no setting in it",
            ),
        ),
        Case({"leanengine.yaml": "python wsgi.py\n"}, ("leanengine.yaml:1:1",)),
        Case({"leanengine.yaml": "run: python wsgi.py\ninstall:\n\t- pip install x\n"}, ("leanengine.yaml:3:1",)),
        Case({"leanengine.yaml": "run: 'python wsgi.py\n"}, ("leanengine.yaml:2:1",)),
        Case({"leanengine.yaml": "run: !!python/object:os.system echo\n"}, ("leanengine.yaml:1:6",)),
    )
    near_misses = (
        Case({"leanengine.yaml": ""}, note="an empty file means no settings"),
        Case({"leanengine.yaml": "# settings come later\n"}),
        Case({"leanengine.yaml": "---\n"}),
        Case({"leanengine.yaml": "run: python wsgi.py\n"}, note="the official template"),
        Case({"leanengine.yaml": "install:\n  - {use: default}\n  - {use: default}\nrun: python app.py\n"}),
        Case(
            {"leanengine.yaml": "extraPorts:\n  - {name: a, containerPort: 4000}\n  - {name: b, containerPort: 4001}\n"}
        ),
        Case({"requirements.txt": "flask\n"}, note="no leanengine.yaml at all"),
    )
