from __future__ import annotations

import pytest

from analyzer.readers.config import Config, from_table, load_config
from analyzer.errors import ConfigError
from analyzer.engine.registry import is_selected


def test_defaults_without_config(tmp_path):
    assert load_config(tmp_path) == Config()


def test_pyproject_without_table_is_ignored(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert load_config(tmp_path) == Config()


def test_lean_lint_toml_wins_over_pyproject(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.lean-lint]\nselect = ["LE2"]\n')
    (tmp_path / ".lean-lint.toml").write_text('select = ["LE5"]\n')
    assert load_config(tmp_path).select == ("LE5",)


@pytest.mark.parametrize(
    "table,message",
    [
        ({"select": "LE2"}, "t: select: expected a list of rule codes such as [\"LE201\", \"LE5\"]"),
        ({"ignore": ["X1"]}, "t: ignore: 'X1' is not a rule code or prefix (LE201, LE2, ALL)"),
        ({"fail-on": "fatal"}, "t: fail-on: expected one of error, warning, note, never, got 'fatal'"),
        ({"write-roots": ["tmp"]}, "t: write-roots: 'tmp' must be an absolute path on the platform"),
        ({"exclude": "x"}, "t: exclude: expected a list of strings"),
        ({"per-file-ignores": ["x"]}, "t: per-file-ignores: expected a table of glob = [codes]"),
        ({"colour": True}, "t: unknown key 'colour' (known keys: select, ignore, exclude, per-file-ignores, fail-on, write-roots, module-map)"),
    ],
)
def test_bad_values_name_the_key(table, message):
    with pytest.raises(ConfigError) as info:
        from_table(table, "t")
    assert str(info.value) == message


def test_invalid_toml(tmp_path):
    (tmp_path / ".lean-lint.toml").write_text("select = [\n")
    with pytest.raises(ConfigError, match=r"invalid TOML"):
        load_config(tmp_path)


def test_explicit_config_missing(tmp_path):
    with pytest.raises(ConfigError, match="no such file"):
        load_config(tmp_path, tmp_path / "nope.toml")


@pytest.mark.parametrize(
    "code,select,ignore,expected",
    [
        ("LE201", ("ALL",), (), True),
        ("LE201", ("LE2",), ("LE201",), False),
        ("LE202", ("LE2",), ("LE201",), True),
        ("LE201", ("LE201",), ("LE2",), True),
        ("LE201", ("LE5",), (), False),
        ("LE201", ("LE2",), ("LE2",), False),
    ],
)
def test_most_specific_prefix_wins(code, select, ignore, expected):
    assert is_selected(code, select, ignore) is expected
