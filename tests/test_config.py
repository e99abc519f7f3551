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


@pytest.mark.parametrize(
    "config,message",
    [
        ('select = ["LE999"]', "select: unknown rule code or prefix 'LE999' (`lean-lint rules` lists the codes)"),
        ('ignore = ["X1"]', "ignore: unknown rule code or prefix 'X1' (`lean-lint rules` lists the codes)"),
        ('ignore = ["le7o2"]', "ignore: unknown rule code or prefix 'LE7O2' (did you mean 'LE702'?)"),
        ('select = ["LE9"]', "select: unknown rule code or prefix 'LE9' (`lean-lint rules` lists the codes)"),
        ('select = ["LE220"]', "select: unknown rule code or prefix 'LE220' (did you mean 'LE202'?)"),
        ('[per-file-ignores]\n"tests/*" = ["LE5", "LE5O1"]',
         "per-file-ignores.tests/*: unknown rule code or prefix 'LE5O1' (did you mean 'LE501'?)"),
    ],
)
def test_unknown_codes_in_config_are_errors(tmp_path, config, message):
    from analyzer.engine.run import analyze

    (tmp_path / ".lean-lint.toml").write_text(config + "\n")
    with pytest.raises(ConfigError) as info:
        analyze(tmp_path, jobs=1)
    assert str(info.value) == f"{tmp_path / '.lean-lint.toml'}: {message}"


@pytest.mark.parametrize("codes", [("ALL",), ("LE",), ("LE2",), ("LE20",), ("LE201", "le5")])
def test_known_codes_and_prefixes_pass(tmp_path, codes):
    from analyzer.engine.run import analyze

    analyze(tmp_path, select=tuple(c.upper() for c in codes), ignore=("LE0",), jobs=1)
