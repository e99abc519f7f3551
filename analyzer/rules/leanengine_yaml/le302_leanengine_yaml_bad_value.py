"""LE302 leanengine-yaml-bad-value."""

from __future__ import annotations

from analyzer.rules.leanengine_yaml._leanengine_yaml import _LeanengineYamlRule
from analyzer.types import Case, Severity


class LeanengineYamlBadValue(_LeanengineYamlRule):
    code = "LE302"
    name = "leanengine-yaml-bad-value"
    severity = Severity.ERROR
    fixable = True
    summary = "A leanengine.yaml setting has a value of the wrong type or one the platform does not offer."
    why = (
        "Each leanengine.yaml key takes one form: `runtime` one of cpp, dotnet, go, java, nodejs, php, "
        "python, static (a value that names Python in another form, such as `Python`, `python3`, `python-3.10` "
        "or `python 3.10.9`, is reported and the project is still analyzed as Python, so that every other "
        "finding shows; any other value turns the Python rules off); `run` a shell command line; `install` and `build` a shell command or a list of steps "
        "(a command, `{use: default}`, or `{require: [paths]}` naming files the step needs, which must exist); "
        "`systemDependencies` a list from the platform's fixed set (`phantomjs` is deprecated and "
        "unmaintained); `buildRoot` an existing subdirectory; `exposeEnvironmentsOnBuild` a boolean; "
        "`startupTimeout` an integer number of seconds; `functionsMode` `strict` or `disabled`; `extraPorts` "
        "at most 5 `{name, protocol: tcp|udp, containerPort}` entries. A value of another form (the string "
        '"60", the string "true", a single step that is not in a list) is not what the platform expects: the '
        "deploy fails or the setting does not do what it says. `require` paths are looked up relative to the "
        "build root, and also relative to the project root when `buildRoot` is set (the platform's documentation "
        "does not say which of the two it uses)."
    )
    example = Case(
        {
            "leanengine.yaml": """
                startupTimeout: "60"
                systemDependencies: [ffmpge]
                install: {use: default}
                """,
        },
        ("leanengine.yaml:1:1", "leanengine.yaml:2:22", "leanengine.yaml:3:1"),
    )
    fix = (
        "Write the value in the form the platform expects.\n"
        "```yaml\nstartupTimeout: 60\nsystemDependencies: [ffmpeg]\ninstall:\n  - {use: default}\n```"
    )
    fires = (
        Case(
            {"leanengine.yaml": 'startupTimeout: "60"\n'},
            (
                "leanengine.yaml:1:1: startupTimeout must be an integer number of seconds, not the "
                'string "60"',
            ),
            fixed={
                "leanengine.yaml": "startupTimeout: 60\n",
            },
        ),
        Case(
            {"leanengine.yaml": "startupTimeout: 60.0\n"},
            (
                "leanengine.yaml:1:1: startupTimeout must be an integer number of seconds, not the "
                "number 60.0",
            ),
        ),
        Case(
            {"leanengine.yaml": "runtime: pyhton\n"},
            (
                "leanengine.yaml:1:1: `pyhton` is not a runtime the platform offers (did you mean "
                "`python`?)",
            ),
        ),
        Case(
            {"leanengine.yaml": "runtime: python-3.10\n"},
            (
                "leanengine.yaml:1:1: `python-3.10` is not a runtime the platform offers, so the build fails; "
                "lean-lint analyzed the project as Python",
            ),
            note="names Python: the Python rules still run",
        ),
        Case(
            {"leanengine.yaml": "runtime: python 3.10.9\n"},
            (
                "leanengine.yaml:1:1: `python 3.10.9` is not a runtime the platform offers, so the build fails; "
                "lean-lint analyzed the project as Python",
            ),
        ),
        Case(
            {"leanengine.yaml": "runtime: Python\n"},
            (
                "leanengine.yaml:1:1: `Python` is not a runtime the platform offers, so the build fails; "
                "lean-lint analyzed the project as Python",
            ),
        ),
        Case(
            {"leanengine.yaml": "runtime: py3\n"},
            (
                "leanengine.yaml:1:1: `py3` is not a runtime the platform offers",
            ),
            note="not python-looking: no Python rule runs",
        ),
        Case(
            {"leanengine.yaml": "systemDependencies:\n  - ffmpeg\n  - imagemagic\n"},
            (
                "leanengine.yaml:3:5: `imagemagic` is not a system dependency the platform offers "
                "(did you mean `imagemagick`?)",
            ),
        ),
        Case(
            {"leanengine.yaml": "systemDependencies: [phantomjs]\n"},
            (
                "leanengine.yaml:1:22: `phantomjs` is deprecated and no longer maintained on the "
                "platform",
            ),
            note="a warning",
        ),
        Case(
            {"leanengine.yaml": "install: {use: default}\n"},
            (
                "leanengine.yaml:1:1: `install` takes a list of steps, not a single step",
            ),
        ),
        Case(
            {"leanengine.yaml": "install:\n  - {use: default}\n  - use: defualt\n  - pip install x\n"},
            (
                "leanengine.yaml:3:5: `use: defualt` is not a step the platform knows (did you mean `default`?): "
                "`{use: default}` runs the runtime's own install step",
            ),
        ),
        Case(
            {"leanengine.yaml": "install:\n  - require: [vendor/pkg.whl]\n  - {use: default}\n"},
            (
                "leanengine.yaml:2:15: `require` path `vendor/pkg.whl` does not exist in the project "
                "(looked for `vendor/pkg.whl`): the install step would not find it",
            ),
        ),
        Case(
            {"leanengine.yaml": "exposeEnvironmentsOnBuild: 'true'\n"},
            (
                "leanengine.yaml:1:1: `exposeEnvironmentsOnBuild` must be true or false, not the "
                'string "true"',
            ),
        ),
        Case(
            {"leanengine.yaml": "functionsMode: enabled\n"},
            (
                "leanengine.yaml:1:1: `enabled` is not a functionsMode the platform knows",
            ),
        ),
        Case(
            {"leanengine.yaml": "buildRoot: api\n", "wsgi.py": "application = None\n"},
            (
                "leanengine.yaml:1:1: buildRoot `api` does not exist in the project: the platform would find "
                "nothing to build there",
            ),
        ),
        Case(
            {
                "leanengine.yaml": (
                    "extraPorts:\n  - {name: game, protocol: TCP, containerPort: 4000}\n  - {port: 4001}\n"
                ),
            },
            (
                "leanengine.yaml:2:18: extraPorts `protocol` must be `tcp` or `udp`, not the string \"TCP\" "
                "(did you mean `tcp`?)",
                "leanengine.yaml:3:5: this extraPorts entry has no `containerPort`: "
                "the platform needs the port the app listens on",
                "leanengine.yaml:3:6: `port` is not a key of an extraPorts entry (did you mean `containerPort`?): "
                "an entry has name, protocol and containerPort",
            ),
        ),
        Case(
            {"leanengine.yaml": "run:\nstartupTimeout: 60\n"},
            (
                "leanengine.yaml:1:1: `run` has no value, so the platform treats it as not set",
            ),
        ),
    )
    near_misses = (
        Case({"leanengine.yaml": "run: python wsgi.py\n"}, note="the official template"),
        Case({"leanengine.yaml": "install:\n  - {use: 'default'}\n  - echo 'install additional dependencies here'\n"}),
        Case({"leanengine.yaml": 'install: [{use: default}, "pip install x"]\nbuild: []\n'}),
        Case({"leanengine.yaml": "install: pip install -r requirements-prod.txt\n"}),
        Case(
            {
                "leanengine.yaml": "install:\n  - require: [vendor, 'libs/*.whl']\n  - {use: default}\n",
                "vendor/a.txt": "",
                "libs/x-1.0-py3-none-any.whl": "",
            }
        ),
        Case(
            {
                "leanengine.yaml": "buildRoot: api/\ninstall:\n  - require: [shared.txt, ../common.txt]\n",
                "api/shared.txt": "",
                "common.txt": "",
            },
            note="require paths relative to the build root (or the project root)",
        ),
        Case({"leanengine.yaml": "startupTimeout: 120\nexposeEnvironmentsOnBuild: yes\nfunctionsMode: strict\n"}),
        Case({"leanengine.yaml": "systemDependencies: [ffmpeg, imagemagick, fonts-wqy, fonts-noto, python-talib]\n"}),
        Case({"leanengine.yaml": "runtime: python\nbuildRoot: .\n# a comment\n"}),
        Case({"leanengine.yaml": "runtime: nodejs\n"}),
        Case({"leanengine.yaml": "extraPorts:\n  - name: game\n    protocol: udp\n    containerPort: 4000\n"}),
        Case({"leanengine.yaml": "startupTimeout: 5\n"}, note="out of range is LE304, not LE302"),
        Case({"leanengine.yaml": "startupTimeOut: '60'\n"}, note="an unknown key is LE303; its value is not checked"),
    )
