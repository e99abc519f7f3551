"""`lean-lint init`: set a project up for lean-lint without overwriting anything it finds."""

from __future__ import annotations

from pathlib import Path

from analyzer import __version__

SCHEMA_URL = "https://raw.githubusercontent.com/lean-lint/lean-lint/main/schemas/leanengine.schema.json"
SCHEMA_LINE = f"# yaml-language-server: $schema={SCHEMA_URL}"
REPO_URL = "https://github.com/lean-lint/lean-lint"

LEANENGINE_YAML = f"""{SCHEMA_LINE}
# Cloud Engine settings. With no `run:`, the platform imports wsgi.py and serves its `application`.
# `lean-lint explain LE302` lists the keys and values the platform accepts.
# run: python wsgi.py
# startupTimeout: 30
"""

PRE_COMMIT_ENTRY = f"""repos:
  - repo: {REPO_URL}
    rev: v{__version__}
    hooks:
      - id: lean-lint
"""

WORKFLOW = f"""name: lean-lint
on:
  push:
    branches: [main]
  pull_request:
permissions:
  contents: read
jobs:
  lean-lint:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      security-events: write  # upload-sarif sends the report to code scanning
      actions: read           # upload-sarif needs it in private repositories
    steps:
      - uses: actions/checkout@v4
      - uses: lean-lint/lean-lint@v{__version__}
        id: lean-lint
      - uses: github/codeql-action/upload-sarif@v3
        # Upload also when lean-lint fails the step because it found problems.
        if: success() || failure()
        with:
          sarif_file: ${{{{ steps.lean-lint.outputs.sarif-file }}}}
          category: lean-lint
"""


def init_project(root: Path) -> list[str]:
    """Create what is missing; return one line per file saying what was done or left alone."""
    lines = []

    yaml_path = root / "leanengine.yaml"
    if yaml_path.exists():
        text = yaml_path.read_text(encoding="utf-8", errors="replace")
        if "yaml-language-server: $schema=" in text:
            lines.append("left alone: leanengine.yaml (it already names its schema)")
        else:
            lines.append(f"left alone: leanengine.yaml (add this first line so editors validate it: {SCHEMA_LINE})")
    else:
        yaml_path.write_text(LEANENGINE_YAML, encoding="utf-8")
        lines.append("created: leanengine.yaml (with the schema line editors use to validate it)")

    hook_path = root / ".pre-commit-config.yaml"
    if hook_path.exists():
        text = hook_path.read_text(encoding="utf-8", errors="replace")
        if "id: lean-lint" in text:
            lines.append("left alone: .pre-commit-config.yaml (it already runs lean-lint)")
        else:
            lines.append(
                "left alone: .pre-commit-config.yaml (add this under `repos:`: "
                f"- repo: {REPO_URL}, rev: v{__version__}, hooks: [{{id: lean-lint}}])"
            )
    else:
        hook_path.write_text(PRE_COMMIT_ENTRY, encoding="utf-8")
        lines.append("created: .pre-commit-config.yaml (run `pre-commit install` to enable the hook)")

    workflow = root / ".github" / "workflows" / "lean-lint.yml"
    if workflow.exists():
        lines.append("left alone: .github/workflows/lean-lint.yml (it exists)")
    else:
        workflow.parent.mkdir(parents=True, exist_ok=True)
        workflow.write_text(WORKFLOW, encoding="utf-8")
        lines.append("created: .github/workflows/lean-lint.yml (lean-lint on pull requests, results in code scanning)")
    return lines
