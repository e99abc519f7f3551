"""The shipped platform data (analyzer/platform/*.json) against what it claims to be."""

from __future__ import annotations

import sys

from analyzer.platform.stdlib import INTERPRETER_NAMES, known_versions, stdlib_requirement_names, target_version
from analyzer.platform import stdlib


def test_stdlib_data_covers_the_versions_the_platform_offers():
    assert known_versions() == ("2.7", "3.6", "3.7", "3.8", "3.9", "3.10", "3.11", "3.12", "3.13")


def test_stdlib_data_is_the_running_interpreters_own_list():
    version = "%d.%d" % sys.version_info[:2]
    if version in known_versions():
        assert set(stdlib._data()["versions"][version]["modules"]) == set(sys.stdlib_module_names)


def test_target_version():
    assert target_version("3.10.4") == "3.10"
    assert target_version("2.7") == "2.7"
    assert target_version("3.99") is None
    assert target_version("pypy3.10") is None


def test_unknown_target_uses_what_every_version_has():
    every = stdlib_requirement_names(None)
    assert {"json", "sqlite3", "hashlib", "os"} <= set(every)
    assert "tomllib" not in every and "tomllib" in stdlib_requirement_names("3.11")
    assert "urllib2" in stdlib_requirement_names("2.7") and "urllib2" not in stdlib_requirement_names("3.10")


def test_names_that_are_pypi_projects_are_left_out():
    for version in (None, "2.7", "3.13"):
        names = stdlib_requirement_names(version)
        assert not {"argparse", "typing", "dataclasses", "datetime", "configparser"} & set(names)
    assert "python2" not in INTERPRETER_NAMES  # a PyPI project of its own


# -- the generators (scripts/), on inputs made here ---------------------------------------------------


def _script(name: str):
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "scripts" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_import_names_from_a_wheels_record():
    gen = _script("gen_distribution_modules")
    record = [
        "yaml/__init__.py", "yaml/nodes.py", "_yaml/__init__.py", "six.py",
        "_cffi_backend.cpython-311-x86_64-linux-gnu.so", "google/protobuf/__init__.py", "google/protobuf/message.py",
        "google/_upb/_message.abi3.so", "tests/__init__.py", "pkg-1.0.dist-info/RECORD", "pkg-1.0.data/scripts/x",
        "distutils-precedence.pth", "zope/interface/__init__.py",
    ]
    assert gen.import_names(record) == {
        "yaml", "_yaml", "six", "_cffi_backend", "google.protobuf", "google._upb._message", "zope.interface",
    }


def test_wheel_metadata_and_ranks(tmp_path):
    from tests.pkgindex import wheel

    gen = _script("gen_distribution_modules")
    path = wheel(tmp_path, "Flask-Thing", "1.2", requires=("Werkzeug>=2", "pytest; extra == 'test'",
                                                          "importlib_metadata; python_version < '3.10'"))
    assert gen.read_wheel(path) == ("Flask-Thing", "1.2", ["Flask_Thing"], ["importlib-metadata", "werkzeug"])
    ranks = tmp_path / "ranks.tsv"
    ranks.write_text("name\tversion\tmonth\trank_among_15000_most_downloaded\tsummary\nFlask_Thing\t1.2\t2026-01\t42\tx\n"
                     "other\t1\t2020-01\t\ty\n")
    assert gen.read_ranks(ranks) == {"flask-thing": 42}


def test_stdlib_probe_of_the_running_interpreter():
    gen = _script("gen_stdlib_modules")
    data = gen.probe(sys.executable)
    assert data["version"] == "%d.%d" % sys.version_info[:2]
    assert set(data["names"]) == set(sys.stdlib_module_names)
