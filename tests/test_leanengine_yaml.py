"""LE301-LE304 end to end: the cases too long or too tricky for the rules' own examples."""

from __future__ import annotations

import os

import pytest

from analyzer.engine.fixes import plan_fixes
from analyzer.types import Severity
from analyzer.rules.leanengine_yaml import _leanengine_yaml as le3
from tests.helpers import located, run, write_project


def findings(tmp_path, text, select=("LE3",), **files):
    write_project(tmp_path, {"leanengine.yaml": text, **files})
    return located(run(tmp_path, select=select), with_message=True)


def codes_at(tmp_path, text, **files):
    write_project(tmp_path, {"leanengine.yaml": text, **files})
    return [(f.code, f.severity.label, f.line, f.column) for f in run(tmp_path, select=("LE3",)).active]


# -- LE301 --------------------------------------------------------------------------------------------


def test_duplicates_top_level_and_nested(tmp_path):
    text = "run: a\nextraPorts:\n  - {name: x, containerPort: 1, name: y}\nstartupTimeout: 30\nrun: b\n"
    assert findings(tmp_path, text) == [
        "leanengine.yaml:3:33: `name` is given twice on line 3: the platform's YAML parser keeps "
        "only one",
        "leanengine.yaml:5:1: `run` is given twice (lines 1 and 5): the platform's YAML parser "
        "keeps only one",
    ]


def test_repeated_key_value_is_checked_as_the_last_one(tmp_path):
    # PyYAML keeps the last value: the type finding is at the second key, next to the LE301.
    assert codes_at(tmp_path, "startupTimeout: 60\nstartupTimeout: '60'\n") == [
        ("LE301", "error", 2, 1),
        ("LE302", "error", 2, 1),
    ]


def test_alias_bomb_is_one_finding(tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]" for i in range(1, 12)]
    got = findings(tmp_path, "\n".join(lines) + "\n")
    assert len(got) == 1 and got[0].startswith("leanengine.yaml:1:1: the document expands to more than")


def test_unquoted_colon_in_a_value(tmp_path):
    assert findings(tmp_path, "run: echo a: b\n") == [
        "leanengine.yaml:1:12: invalid YAML: mapping values are not allowed here: the platform "
        "reads no setting from it"
    ]


@pytest.mark.parametrize("text", ["[]\n", "42\n", "true\n"])
def test_non_mapping_top_level(tmp_path, text):
    got = findings(tmp_path, text)
    assert len(got) == 1 and got[0].startswith("leanengine.yaml:1:1: leanengine.yaml is ")
    assert got[0].endswith(", not `key: value` settings: the platform finds no setting in it")


@pytest.mark.parametrize("text", ["", "\n\n", "# nothing yet\n", "---\n", "~\n", "null\n"])
def test_empty_files_are_fine(tmp_path, text):
    assert findings(tmp_path, text) == []


def test_unreadable_file(tmp_path):
    os.mkfifo(tmp_path / "leanengine.yaml")
    got = located(run(tmp_path, select=("LE301",)), with_message=True)
    assert len(got) == 1 and got[0].startswith("leanengine.yaml:1:1: cannot read leanengine.yaml")


# -- LE302 --------------------------------------------------------------------------------------------


def test_each_bad_step_is_named_once(tmp_path):
    text = """\
install:
  - {use: default}
  - {require: requirements-extra.txt}
  - 3
  - {use: default, when: always}
  - echo a: b
  - {use: default, require: [x]}
  -
  - {requires: [a]}
  - {use: 1}
  - require: [ok.txt, '']
"""
    assert findings(tmp_path, text, **{"ok.txt": ""}) == [
        "leanengine.yaml:3:6: `require` takes a list of paths, not a single string",
        "leanengine.yaml:4:5: step 3 of `install` must be a shell command, `{use: default}` or `{require: [paths]}`, "
        "not the number 3",
        "leanengine.yaml:5:20: `when` is not a key of a `use` step: remove it",
        "leanengine.yaml:6:5: step 5 of `install` is a mapping without `use` or `require`; the platform knows only "
        'a shell command, `{use: default}` or `{require: [paths]}` steps: quote a command that contains `: `, as in '
        '`- "echo a: b"`',
        "leanengine.yaml:7:5: step 6 of `install` has both `use` and `require`; a step is one or the other: split it "
        "into two steps",
        "leanengine.yaml:8:4: step 7 of `install` is empty",
        "leanengine.yaml:9:5: step 8 of `install` is a mapping without `use` or `require`; the platform knows only "
        "a shell command, `{use: default}` or `{require: [paths]}` steps (did you mean `require` instead of "
        "`requires`?)",
        "leanengine.yaml:10:6: `use` must be `default`, not the number 1: `{use: default}` runs the runtime's own "
        "install step",
        "leanengine.yaml:11:23: `require` paths must be non-empty strings, not the string \"\"",
    ]


def test_install_type_uses_the_best_match_not_every_branch(tmp_path):
    # anyOf [string, list of steps]: one finding at the key, whatever the branches said.
    assert findings(tmp_path, "build: 5\ninstall: {require: [a]}\n") == [
        "leanengine.yaml:1:1: `build` must be a shell command or a list of steps, not the number 5: "
        "`build: [{use: default}]` keeps the runtime's own step, `build: []` skips it",
        "leanengine.yaml:2:1: `install` takes a list of steps, not a single step",
    ]


def test_unworded_step_falls_back_to_the_schema_best_match(tmp_path, monkeypatch):
    monkeypatch.setattr(le3._Checker, "explain_step", lambda self, key, index, step: None)
    assert findings(tmp_path, "build:\n  - {use: defualt}\n") == [
        "leanengine.yaml:2:5: step 1 of `build`: 'defualt' is not one of ['default']"
    ]


def test_phantomjs_is_a_warning_and_typos_errors(tmp_path):
    text = "systemDependencies:\n  - phantomjs\n  - FFmpeg\n  - 3\n  - libxml2\n"
    assert codes_at(tmp_path, text) == [
        ("LE302", "warning", 2, 5),
        ("LE302", "error", 3, 5),
        ("LE302", "error", 4, 5),
        ("LE302", "error", 5, 5),
    ]
    got = findings(tmp_path, text)
    assert "(did you mean `ffmpeg`?)" in got[1]
    assert got[2].startswith("leanengine.yaml:4:5: a system dependency must be a package name, not the number 3")
    assert "did you mean" not in got[3]


def test_system_dependencies_as_a_string(tmp_path):
    assert findings(tmp_path, "systemDependencies: ffmpeg\n") == [
        'leanengine.yaml:1:1: `systemDependencies` must be a list, not the string "ffmpeg"'
    ]


@pytest.mark.parametrize(
    "value,advice",
    [
        ("'60s'", "Write `startupTimeout: 60`."),
        ("'300'", "Write a whole number from 15 to 120, e.g. `startupTimeout: 60`."),
        ("true", "Write a whole number from 15 to 120, e.g. `startupTimeout: 60`."),
        ("[60]", "Write a whole number from 15 to 120, e.g. `startupTimeout: 60`."),
    ],
)
def test_startup_timeout_types(tmp_path, value, advice):
    write_project(tmp_path, {"leanengine.yaml": f"startupTimeout: {value}\n"})
    (got,) = run(tmp_path, select=("LE3",)).active
    assert got.message.startswith("startupTimeout must be an integer number of seconds, not ")
    assert got.hint == advice  # the remedy is on the fix line, not in the message


def test_functions_mode_boolean(tmp_path):
    assert findings(tmp_path, "functionsMode: true\n") == [
        "leanengine.yaml:1:1: `functionsMode` must be `strict` or `disabled`, not `true`"
    ]


def test_functions_mode_does_not_suggest_the_opposite(tmp_path):
    # "enabled" is close to "disabled" in letters, and opposite in meaning.
    (got,) = findings(tmp_path, "functionsMode: enabled\n")
    assert "did you mean" not in got
    (got,) = findings(tmp_path, "functionsMode: Strict\n")
    assert "(did you mean `strict`?)" in got


def test_run_as_a_list(tmp_path):
    assert findings(tmp_path, "run: [python, app.py]\n") == [
        "leanengine.yaml:1:1: `run` must be one shell command line (a string), not a list"
    ]


def test_extra_ports_limits(tmp_path):
    ports = "".join(f"  - {{containerPort: {4000 + i}}}\n" for i in range(6))
    assert findings(tmp_path, "extraPorts:\n" + ports) == [
        "leanengine.yaml:1:1: `extraPorts` lists 6 ports, but the platform allows at most 5"
    ]
    assert findings(tmp_path, "extraPorts:\n  - {containerPort: '70000'}\n  - {containerPort: 0}\n") == [
        "leanengine.yaml:2:6: extraPorts `containerPort` must be an integer, not the string \"70000\"",
        "leanengine.yaml:3:6: extraPorts `containerPort` must be a port number from 1 to 65535, not 0",
    ]


def test_empty_values_are_warnings(tmp_path):
    assert codes_at(tmp_path, "install:\nbuild: []\nstartupTimeout: ~\n") == [
        ("LE302", "warning", 1, 1),
        ("LE302", "warning", 3, 1),
    ]


def test_build_root_problems(tmp_path):
    (tmp_path / "outside").mkdir()
    project = tmp_path / "p"
    write_project(project, {"leanengine.yaml": "buildRoot: wsgi.py\n", "wsgi.py": ""})
    assert located(run(project, select=("LE302",)), with_message=True) == [
        "leanengine.yaml:1:1: buildRoot `wsgi.py` is a file, not a directory: name the directory to build"
    ]
    write_project(project, {"leanengine.yaml": "buildRoot: ../outside\n"})
    assert located(run(project, select=("LE302",)), with_message=True) == [
        "leanengine.yaml:1:1: buildRoot `../outside` points outside the project: it must be a subdirectory of it"
    ]
    os.symlink(tmp_path / "outside", project / "link")
    write_project(project, {"leanengine.yaml": "buildRoot: link\n"})
    assert located(run(project, select=("LE302",)), with_message=True) == [
        "leanengine.yaml:1:1: buildRoot `link` points outside the project: it must be a subdirectory of it"
    ]


def test_require_paths_follow_the_build_root(tmp_path):
    text = "buildRoot: api\ninstall:\n  - require: [shared.txt, /etc/passwd, ../../x, missing.txt]\n"
    assert findings(tmp_path, text, **{"api/shared.txt": "", "api/wsgi.py": ""}) == [
        "leanengine.yaml:3:27: `require` path `/etc/passwd` is absolute: require names files of the project, "
        "relative to its build root",
        "leanengine.yaml:3:40: `require` path `../../x` points outside the project",
        "leanengine.yaml:3:49: `require` path `missing.txt` does not exist in the project (looked for "
        "`api/missing.txt` or `missing.txt`): the install step would not find it",
    ]


def test_require_with_a_broken_build_root_looks_at_the_root(tmp_path):
    text = "buildRoot: nope\nbuild:\n  - require: [here.txt, gone/*.whl]\n"
    assert codes_at(tmp_path, text, **{"here.txt": ""}) == [("LE302", "error", 1, 1), ("LE302", "error", 3, 25)]


# -- LE303 / LE304 and how the rules split one pass ----------------------------------------------------


@pytest.mark.parametrize(
    "key,suggestion",
    [("startupTimout", "startupTimeout"), ("buildroot", "buildRoot"), ("RUNTIME", "runtime"),
     ("systemDependency", "systemDependencies"), ("command", "run"), ("exposeEnvironmentOnBuild", "exposeEnvironmentsOnBuild")],
)  # fmt: skip
def test_unknown_key_suggestions(tmp_path, key, suggestion):
    assert findings(tmp_path, f"{key}: 1\n", select=("LE303",)) == [
        f"leanengine.yaml:1:1: `{key}` is not a leanengine.yaml key (did you mean `{suggestion}`?): the platform "
        "ignores it"
    ]


def test_unknown_keys_are_warnings_and_their_values_unchecked(tmp_path):
    text = "startupTimout: 'x'\nstartupTimeout: 200\nruntime: python\n"
    assert codes_at(tmp_path, text) == [("LE303", "warning", 1, 1), ("LE304", "error", 2, 1)]


def test_select_one_code_sees_the_same_findings(tmp_path):
    text = "run: a\nrun: b\nfoo: 1\nstartupTimeout: 500\nfunctionsMode: x\n"
    write_project(tmp_path, {"leanengine.yaml": text})
    everything = run(tmp_path, select=("LE3",)).active
    for code in ("LE301", "LE302", "LE303", "LE304"):
        only = run(tmp_path, select=(code,)).active
        assert only == [f for f in everything if f.code == code] and only


def test_rules_apply_to_other_runtimes(tmp_path):
    assert codes_at(tmp_path, "runtime: nodejs\nstartupTimeout: 500\ninstallDevDependencies: 'yes'\n") == [
        ("LE304", "error", 2, 1),
        ("LE302", "error", 3, 1),
    ]


def test_default_hint_and_severity(tmp_path):
    write_project(tmp_path, {"leanengine.yaml": "startupTimeout: 5\n"})
    (finding,) = run(tmp_path, select=("LE304",)).active
    assert finding.severity is Severity.ERROR
    assert finding.hint.startswith("Use a value from 15 to 120")


def test_suggest_helper():
    assert le3.suggest("Python", le3.RUNTIMES) == "python"
    assert le3.suggest("node", le3.RUNTIMES) == "nodejs"
    assert le3.suggest("ruby", le3.RUNTIMES) is None
    assert le3.suggest(3, le3.RUNTIMES) is None


# -- fixes --------------------------------------------------------------------------------------------


def fixed_text(tmp_path, text, unsafe):
    write_project(tmp_path, {"leanengine.yaml": text})
    report = run(tmp_path, select=("LE3",))
    plans = plan_fixes(tmp_path, report.active, unsafe=unsafe)
    return plans[0].after.decode() if plans else text


def test_safe_fixes_unquote_values(tmp_path):
    text = (
        "startupTimeout: '60'\nexposeEnvironmentsOnBuild: \"true\"\n"
        "extraPorts:\n  - {containerPort: \"4000\"}\n  - containerPort: '99999'\n"
    )
    assert fixed_text(tmp_path, text, unsafe=False) == (
        "startupTimeout: 60\nexposeEnvironmentsOnBuild: true\n"
        "extraPorts:\n  - {containerPort: 4000}\n  - containerPort: '99999'\n"
    )


def test_no_fix_when_the_number_is_out_of_range_or_unquoted(tmp_path):
    for text in ("startupTimeout: '300'\n", "startupTimeout: 60.0\n", "startupTimeout: '60s'\n"):
        assert fixed_text(tmp_path, text, unsafe=True) == text


def test_safe_fix_renames_a_misspelled_key(tmp_path):
    # The autofix issue lists the LE303 rename among the safe fixes: the key meant that setting.
    text = "startupTimout: 90\nbuildroot: api\nhealthCheck: /\n"
    assert fixed_text(tmp_path, text, unsafe=False) == "startupTimeout: 90\nbuildRoot: api\nhealthCheck: /\n"


def test_no_rename_onto_a_key_that_is_already_there(tmp_path):
    text = "startupTimeout: 60\nstartupTimout: 90\n"
    assert fixed_text(tmp_path, text, unsafe=True) == text


# -- a runtime that names Python in a form the platform does not take --------------------------------

_UVICORN_APP = (
    "import uvicorn\nfrom fastapi import FastAPI\napp = FastAPI()\n"
    "if __name__ == '__main__':\n    uvicorn.run(app, host='0.0.0.0', port=8000)\n"
)


def _uvicorn_project(tmp_path, runtime):
    """A `run:` FastAPI app on literal port 8000 (LE202) under leanengine.yaml `runtime: <runtime>`."""
    write_project(tmp_path, {
        "leanengine.yaml": f"runtime: {runtime}\nrun: python app.py\n",
        "requirements.txt": "fastapi>=0.100,<1\nuvicorn>=0.20,<1\n",
        "app.py": _UVICORN_APP,
    })
    return run(tmp_path)


@pytest.mark.parametrize("runtime", ["python-3.10", "python 3.10.9", "Python3"])
def test_python_looking_runtime_is_analyzed_as_python(tmp_path, runtime):
    report = _uvicorn_project(tmp_path, runtime)
    assert sorted((f.code, f.path, f.line, f.column) for f in report.active if f.code in ("LE302", "LE202")) == [
        ("LE202", "app.py", 5, 43),
        ("LE302", "leanengine.yaml", 1, 1),
    ]
    le302 = next(f for f in report.active if f.code == "LE302")
    assert le302.message.endswith("so the build fails; lean-lint analyzed the project as Python")
    version = {"python-3.10": "3.10", "python 3.10.9": "3.10.9", "Python3": "3"}[runtime]
    assert le302.hint == f"Write `runtime: python` and put the Python version (`{version}`) in .python-version."
    assert not any("Python rules do not apply" in n for n in report.notices)


@pytest.mark.parametrize("runtime", ["nodejs", "py3", "pyhton", "go"])
def test_other_runtimes_turn_the_python_rules_off(tmp_path, runtime):
    report = _uvicorn_project(tmp_path, runtime)
    assert located(report, "LE202") == []
    assert f"leanengine.yaml sets runtime: {runtime}; the Python rules do not apply and were skipped" in report.notices
    le302 = [f.message for f in report.active if f.code == "LE302"]
    assert all("analyzed the project as Python" not in m for m in le302)


def test_runtime_python_is_not_reported(tmp_path):
    report = _uvicorn_project(tmp_path, "python")
    assert located(report, "LE302") == []
    assert located(report, "LE202") == ["app.py:5:43"]
