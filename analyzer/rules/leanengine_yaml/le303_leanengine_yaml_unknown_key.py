"""LE303 leanengine-yaml-unknown-key."""

from __future__ import annotations

from analyzer.rules.leanengine_yaml._leanengine_yaml import _LeanengineYamlRule
from analyzer.types import Case, Severity


class LeanengineYamlUnknownKey(_LeanengineYamlRule):
    code = "LE303"
    name = "leanengine-yaml-unknown-key"
    severity = Severity.WARNING
    fixable = True
    summary = "leanengine.yaml has a key the platform does not know, so the setting has no effect."
    why = (
        "The platform documents runtime, run, install, build, systemDependencies, buildRoot, "
        "exposeEnvironmentsOnBuild, startupTimeout, functionsMode, installDevDependencies and extraPorts. "
        "Any other key is silently ignored: a misspelled `startupTimout: 90` leaves the default 30 seconds, "
        "and the deploy still fails the startup check. Keys are case-sensitive."
    )
    example = Case(
        {
            "leanengine.yaml": """
                startupTimout: 90
                buildroot: api
                """,
        },
        ("leanengine.yaml:1:1", "leanengine.yaml:2:1"),
    )
    fix = (
        "Spell the key as the platform documents it (keys are case-sensitive), or delete it.\n"
        "```yaml\nstartupTimeout: 90\nbuildRoot: api\n```"
    )
    fires = (
        Case(
            {"leanengine.yaml": "run: python wsgi.py\nstartupTimout: 90\n"},
            (
                "leanengine.yaml:2:1: `startupTimout` is not a leanengine.yaml key, and the platform silently "
                "ignores it: did you mean `startupTimeout`?",
            ),
            fixed={
                "leanengine.yaml": """
                    run: python wsgi.py
                    startupTimeout: 90
                    """,
            },
        ),
        Case(
            {"leanengine.yaml": "buildroot: api\n", "api/wsgi.py": ""},
            (
                "leanengine.yaml:1:1: `buildroot` is not a leanengine.yaml key, and the platform silently ignores it: "
                "did you mean `buildRoot`?",
            ),
        ),
        Case(
            {"leanengine.yaml": "# app\nhealthCheck: /ping\n"},
            (
                "leanengine.yaml:2:1: `healthCheck` is not a leanengine.yaml key, and the platform silently ignores "
                "it; the known keys are runtime, run, install, build, systemDependencies, buildRoot, "
                "exposeEnvironmentsOnBuild, startupTimeout, functionsMode, installDevDependencies, extraPorts",
            ),
        ),
        Case(
            {"leanengine.yaml": "cmd: python app.py\n"},
            (
                "leanengine.yaml:1:1: `cmd` is not a leanengine.yaml key, and the platform silently ignores it: "
                "did you mean `run`?",
            ),
        ),
    )
    near_misses = (
        Case({"leanengine.yaml": "run: python wsgi.py\n"}),
        Case(
            {
                "leanengine.yaml": (
                    "runtime: python\nrun: python wsgi.py\ninstall: []\nbuild: []\nsystemDependencies: []\n"
                    "buildRoot: .\nexposeEnvironmentsOnBuild: false\nstartupTimeout: 30\nfunctionsMode: disabled\n"
                    "installDevDependencies: false\nextraPorts: []\n"
                )
            },
            note="every documented key",
        ),
        Case(
            {"leanengine.yaml": "extraPorts:\n  - {name: game, port: 4000, containerPort: 4000}\n"},
            note="an unknown key inside an entry is LE302's finding",
        ),
        Case({"leanengine.yaml": "<<: {run: python wsgi.py}\n"}, note="a YAML merge key"),
    )
