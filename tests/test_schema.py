"""The shipped JSON Schema of leanengine.yaml: valid draft-07, found in the installed package, usable by
check-jsonschema (the CLI editors' and pre-commit's users run), and in step with lean-lint's own rules."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib.resources import files
from pathlib import Path

import pytest
from jsonschema import Draft7Validator

from analyzer.platform.leanengine_schema import (
    KNOWN_KEYS,
    RUNTIMES,
    STARTUP_TIMEOUT_RANGE,
    SYSTEM_DEPENDENCIES,
    load_schema,
)
from tests.helpers import located, run, write_project

REPO_SCHEMA = Path(__file__).resolve().parent.parent / "schemas" / "leanengine.schema.json"
SCHEMA_URL = "https://raw.githubusercontent.com/lean-lint/lean-lint/main/schemas/leanengine.schema.json"

GOOD = f"""\
# yaml-language-server: $schema={SCHEMA_URL}
runtime: python
run: python wsgi.py
install:
  - {{use: default}}
  - pip install x
  - require: [vendor]
build: []
systemDependencies: [ffmpeg, fonts-noto]
exposeEnvironmentsOnBuild: true
startupTimeout: 120
functionsMode: strict
extraPorts:
  - {{name: game, protocol: udp, containerPort: 4000}}
"""

BAD = """\
startupTimeout: "60"
startupTimout: 90
install: [{use: defualt}]
"""


def check_jsonschema() -> str:
    exe = Path(sys.executable).with_name("check-jsonschema")
    assert exe.exists(), "check-jsonschema is a test dependency (pip install -e '.[test]')"
    return str(exe)


def test_schema_is_valid_draft_07():
    schema = load_schema()
    Draft7Validator.check_schema(schema)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert schema["$id"] == SCHEMA_URL
    assert schema["title"]


def test_installed_package_ships_the_repository_file(tmp_path):
    # Run outside the checkout, so the installed package is imported, not the source tree (whose
    # `analyzer` has no `schemas` subpackage: pyproject maps schemas/ into the installed one).
    probe = (
        "import json, sys; from importlib.resources import files; "
        "print(json.dumps(json.loads((files('analyzer.schemas') / 'leanengine.schema.json').read_text('utf-8'))))"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == json.loads(REPO_SCHEMA.read_text(encoding="utf-8"))
    assert load_schema() is load_schema()  # cached


def test_every_property_has_a_description():
    missing = []

    def walk(node, where):
        if isinstance(node, dict):
            for name, sub in node.get("properties", {}).items():
                if not sub.get("description"):
                    missing.append(f"{where}.{name}")
            for key, sub in node.items():
                walk(sub, f"{where}.{key}")
        elif isinstance(node, list):
            for i, sub in enumerate(node):
                walk(sub, f"{where}[{i}]")

    walk(load_schema(), "$")
    assert missing == []


def test_derived_constants():
    assert KNOWN_KEYS == (
        "runtime", "run", "install", "build", "systemDependencies", "buildRoot", "exposeEnvironmentsOnBuild",
        "startupTimeout", "functionsMode", "installDevDependencies", "extraPorts",
    )  # fmt: skip
    assert RUNTIMES == ("cpp", "dotnet", "go", "java", "nodejs", "php", "python", "static")
    assert "phantomjs" in SYSTEM_DEPENDENCIES and "python-talib" in SYSTEM_DEPENDENCIES
    assert STARTUP_TIMEOUT_RANGE == (15, 120)


@pytest.mark.parametrize(
    "text",
    [GOOD, "", "# only a comment\n", "install: pip install -r requirements.txt\n", "startupTimeout: 15\n"],
    ids=["full", "empty", "comment", "install-string", "timeout-15"],
)
def test_check_jsonschema_accepts(tmp_path, text):
    target = tmp_path / "leanengine.yaml"
    target.write_text(text, encoding="utf-8")
    proc = subprocess.run(
        [check_jsonschema(), "--schemafile", str(REPO_SCHEMA), str(target)], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize(
    "text,needle",
    [
        (BAD, "'60' is not of type 'integer'"),
        (BAD, "'startupTimout' was unexpected"),
        ("startupTimeout: 121\n", "121 is greater than the maximum of 120"),
        ("systemDependencies: [ffmpge]\n", "'ffmpge' is not one of"),
        ("extraPorts: [{containerPort: 1}, {containerPort: 2}, {containerPort: 3}, {containerPort: 4}, "
         "{containerPort: 5}, {containerPort: 6}]\n", "is too long"),
        ("- run: python wsgi.py\n", "is not of type"),
    ],
    ids=["bad", "unknown-key", "timeout-range", "system-dependency", "extra-ports", "list"],
)  # fmt: skip
def test_check_jsonschema_rejects(tmp_path, text, needle):
    target = tmp_path / "leanengine.yaml"
    target.write_text(text, encoding="utf-8")
    proc = subprocess.run(
        [check_jsonschema(), "--schemafile", str(REPO_SCHEMA), "--verbose", str(target)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert needle in proc.stdout


def test_lean_lint_agrees_with_the_schema(tmp_path):
    write_project(tmp_path / "good", {"leanengine.yaml": GOOD, "vendor/x.txt": ""})
    assert located(run(tmp_path / "good", select=("LE3",))) == []
    write_project(tmp_path / "bad", {"leanengine.yaml": BAD})
    report = run(tmp_path / "bad", select=("LE3",))
    assert [(f.code, f.line) for f in report.active] == [("LE302", 1), ("LE303", 2), ("LE302", 3)]


def test_a_checkout_without_the_installed_package_reads_its_own_schemas_folder(monkeypatch):
    # CI runs the tests from a clone: `analyzer` there shadows the installed one, and
    # `analyzer.schemas` (installed from schemas/) does not exist in it.
    import analyzer.platform.leanengine_schema as module

    def missing(package):
        raise ModuleNotFoundError(package)

    monkeypatch.setattr(module, "files", missing)
    module.load_schema.cache_clear()
    try:
        assert module.load_schema() == json.loads((Path(__file__).resolve().parents[1] / "schemas" / "leanengine.schema.json").read_text(encoding="utf-8"))
    finally:
        module.load_schema.cache_clear()
