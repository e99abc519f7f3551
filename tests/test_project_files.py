"""wsgi.py, requirements.txt and Node.js detection (LE101, LE102, LE105), end to end."""

from __future__ import annotations

import os

import pytest

from tests.helpers import located, run, write_project

CODES = ("LE101", "LE102", "LE105")


def found(tmp_path, files, select=CODES, messages=False):
    write_project(tmp_path, files)
    report = run(tmp_path, select=select)
    return located(report, with_message=messages) if messages else [
        f"{f.path}:{f.line}:{f.column} {f.code}" for f in report.active
    ]


def test_a_minimal_python_project_is_clean(tmp_path):
    assert found(tmp_path, {"wsgi.py": "application = None\n", "requirements.txt": "leancloud>=2.9.1,<3.0.0\n"}) == []


def test_empty_directory(tmp_path):
    assert found(tmp_path, {}) == [":1:1 LE101"]  # said once, at the folder: not a project


def test_fifo_named_wsgi_py(tmp_path):
    write_project(tmp_path, {"requirements.txt": "flask<3\n"})
    os.mkfifo(tmp_path / "wsgi.py")
    assert found(tmp_path, {}, select=("LE101",), messages=True) == [
        "requirements.txt:1:1: `wsgi.py` is not a regular file (a FIFO, socket or device), not a "
        "Python file: the platform starts the app by importing it"
    ]


def test_dangling_symlink_counts_as_missing(tmp_path):
    write_project(tmp_path, {"requirements.txt": "flask<3\n"})
    os.symlink(tmp_path / "nowhere.py", tmp_path / "wsgi.py")
    assert found(tmp_path, {}, select=("LE101",)) == ["requirements.txt:1:1 LE101"]


def test_link_out_of_the_project_is_not_reported(tmp_path):
    outside = tmp_path / "outside"
    project = tmp_path / "project"
    write_project(outside, {"wsgi.py": "application = None\n", "requirements.txt": "flask<3\n"})
    project.mkdir()
    os.symlink(outside / "wsgi.py", project / "wsgi.py")
    os.symlink(outside / "requirements.txt", project / "requirements.txt")
    assert found(project, {}) == []


@pytest.mark.parametrize(
    "yaml",
    ["run: python app.py\n", "run: gunicorn -b 0.0.0.0:${LEANCLOUD_APP_PORT} app:app\n", "run: [python, app.py]\n"],
)
def test_run_replaces_wsgi(tmp_path, yaml):
    files = {"leanengine.yaml": yaml, "app.py": "", "requirements.txt": ""}
    assert found(tmp_path, files, select=("LE101",)) == []


def test_requirements_with_runtime_python_and_own_install(tmp_path):
    files = {
        "leanengine.yaml": "runtime: python\ninstall:\n  - pip install -r requirements/prod.txt\nrun: python app.py\n",
        "requirements/prod.txt": "flask<3\n",
        "app.py": "",
    }
    assert found(tmp_path, files, select=("LE102",)) == []
    yaml = "install:\n  - pip install -r requirements/prod.txt\nrun: python app.py\n"
    write_project(tmp_path, {"leanengine.yaml": yaml})
    assert found(tmp_path, {}, select=("LE102",)) == ["leanengine.yaml:1:1 LE102"], "without runtime: detection"


def test_python_rules_skipped_for_other_runtimes(tmp_path):
    files = {"leanengine.yaml": "runtime: nodejs\n", "package.json": '{"scripts": {"start": "node server.js"}}'}
    assert found(tmp_path, files) == []


@pytest.mark.parametrize(
    "package",
    [
        '{"scripts": {"start": "node index.js"}}',
        '{"scripts": {"start": "a", "Start": "b"}}',
        '{"SCRIPTS": {"START": "x"}}',
        '{"scripts": null, "Scripts": {"start": "x"}}',
        b'\xef\xbb\xbf{"scripts": {"start": "x"}}',
    ],
)
def test_node_start_script(tmp_path, package):
    assert found(tmp_path, {"package.json": package, "wsgi.py": "", "requirements.txt": ""}, select=("LE105",)) == [
        "package.json:1:1 LE105"
    ]


@pytest.mark.parametrize(
    "package",
    [
        '{"scripts": {"start": ""}}',
        '{"scripts": {"start": null}}',
        '{"scripts": {"start": ["node"]}}',
        '{"scripts": {"start": "x"}, "scripts": {"build": "y"}}',
        '{"name": "front"}',
        "null",
        '"scripts"',
        "",
        b"\xff\xfe{",
    ],
)
def test_not_a_node_start_script(tmp_path, package):
    assert found(tmp_path, {"package.json": package, "wsgi.py": "", "requirements.txt": ""}, select=("LE105",)) == []


def test_server_js_message_with_build_root(tmp_path):
    files = {
        "leanengine.yaml": "buildRoot: app\n",
        "app/package.json": "{}",
        "app/server.js": "",
        "app/wsgi.py": "application = None\n",
        "app/requirements.txt": "",
    }
    assert found(tmp_path, files, select=("LE105",), messages=True) == [
        "app/package.json:1:1: app/server.js beside app/package.json: the platform detects Node.js "
        "(before Python) and runs no Python"
    ]


def test_package_json_directory_with_server_js(tmp_path):
    files = {"package.json/x": "", "server.js": "", "wsgi.py": "", "requirements.txt": ""}
    assert found(tmp_path, files, select=("LE105",)) == ["server.js:1:1 LE105"]
