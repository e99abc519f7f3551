from pathlib import Path

from analyzer import DOCS_URL, HOMEPAGE
from analyzer.cli.docs import PAGES, pages, update_readme
from analyzer.engine.registry import all_rules

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
STALE = "run `python -m analyzer.cli.docs`"


def test_readme_rule_table_is_current():
    text = README.read_text(encoding="utf-8")
    assert update_readme(text) == text, f"README rule table is stale: {STALE}"


def test_every_rule_page_is_current_and_no_other():
    folder = ROOT / PAGES
    wanted = pages()
    on_disk = {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.md")}
    assert sorted(on_disk) == sorted(wanted), f"docs/rules/ has missing or extra pages: {STALE}"
    for name, text in wanted.items():
        assert on_disk[name] == text, f"docs/rules/{name} is stale: {STALE}"


def test_help_uri_points_at_the_page_in_the_repository():
    assert DOCS_URL == f"{HOMEPAGE}/blob/main/{PAGES.as_posix()}"
    for rule in all_rules():
        url = rule.info().docs_url
        assert url == f"{DOCS_URL}/{rule.code}.md"
        assert (ROOT / PAGES / f"{rule.code}.md").is_file()


def test_a_page_is_the_rule_docs_with_fenced_examples():
    page = pages()["LE404.md"]
    assert page.splitlines()[0].startswith("<!-- Generated from analyzer/rules/requirements/le404_duplicate_requirement.py")
    assert "\n# LE404 duplicate-requirement (warning)\n" in page
    assert "## Example\n```\n# requirements.txt\nFlask>=2.0,<3\nflask==1.1.4\n```\n" in page
