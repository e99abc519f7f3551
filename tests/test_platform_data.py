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
