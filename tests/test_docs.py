from pathlib import Path

from analyzer.cli.docs import update_readme

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_rule_table_is_current():
    text = README.read_text(encoding="utf-8")
    assert update_readme(text) == text, "README rule table is stale: run `python -m analyzer.cli.docs`"
