"""Where users run lean-lint, checked without running it there: action.yml against GitHub's schema for
action metadata, the Dockerfile under hadolint and against GitHub's rules for Docker actions, the
Docker build context, the pre-commit hook manifest, and the README's snippets for both."""

from __future__ import annotations

import fnmatch
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from analyzer.readers.config import tomllib
from analyzer.cli.init import UPLOAD_IF

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    """A command installed with the test extras (the venv's bin/ first, then PATH)."""
    found = BIN / name if (BIN / name).is_file() else shutil.which(name)
    assert found, f"{name} is not installed: `pip install -e '.[test]'`"
    return str(found)


def check_jsonschema(schema: str, path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [tool("check-jsonschema"), "--builtin-schema", schema, str(path)], capture_output=True, text=True, timeout=120
    )


def pre_commit_validate(config: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [tool("pre-commit"), "validate-config", str(config)], capture_output=True, text=True, timeout=120
    )


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


# -- action.yml -----------------------------------------------------------------------------------


def test_action_yml_validates_against_the_github_actions_schema():
    proc = check_jsonschema("vendor.github-actions", ROOT / "action.yml")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_readme_prebuilt_image_runs_block_makes_a_valid_action(tmp_path):
    from analyzer import __version__

    (block,) = readme_yaml_blocks("runs:", "docker://")
    runs = yaml.safe_load(block)["runs"]
    assert runs["using"] == "docker" and runs["image"].endswith(f"/lean-lint:{__version__}")
    text = (ROOT / "action.yml").read_text(encoding="utf-8")
    assert text.endswith("runs:\n  using: docker\n  image: Dockerfile\n")
    (tmp_path / "action.yml").write_text(text.replace("image: Dockerfile", f"image: {runs['image']}"), encoding="utf-8")
    proc = check_jsonschema("vendor.github-actions", tmp_path / "action.yml")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    readme = README.read_text(encoding="utf-8")
    assert set(re.findall(r"lean-lint:(\d[\w.]*)", readme)) == {__version__}


def test_the_schema_check_catches_a_bad_action_yml(tmp_path):
    # Input defaults must be strings: an unquoted `true` is a YAML boolean, which GitHub rejects.
    text = (ROOT / "action.yml").read_text(encoding="utf-8").replace('default: "true"', "default: true")
    (tmp_path / "action.yml").write_text(text, encoding="utf-8")
    proc = check_jsonschema("vendor.github-actions", tmp_path / "action.yml")
    assert proc.returncode == 1
    assert "$.inputs.annotations" in proc.stdout + proc.stderr


def test_action_yml_is_a_docker_action_with_kebab_case_inputs():
    meta = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert meta["runs"] == {"using": "docker", "image": "Dockerfile"}
    assert {"icon", "color"} <= set(meta["branding"])
    assert list(meta["inputs"]) == ["path", "fail-on", "sarif-file", "config", "baseline", "annotations", "summary",
                                   "resolve"]
    assert list(meta["outputs"]) == ["sarif-file", "findings", "errors", "warnings"]
    for name in [*meta["inputs"], *meta["outputs"]]:
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", name), name


# -- the package: license, version, the versions the README and init name ------------------------


def test_the_license_is_an_spdx_expression_with_its_file_in_the_metadata(tmp_path):
    meta = pyproject()
    assert meta["project"]["license"] == "MIT"
    assert meta["project"]["license-files"] == ["LICENSE"]
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License\n")
    # setuptools 77 is the first to read the SPDX string (PEP 639); older ones reject it.
    assert meta["build-system"]["requires"] == ["setuptools>=77"]
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, tmp_path / name)
    for name in ("analyzer", "schemas"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    out = tmp_path / "meta"
    out.mkdir()
    proc = subprocess.run(
        [sys.executable, "-c", "import sys; from setuptools import build_meta as b; "
         "print(b.prepare_metadata_for_build_wheel(sys.argv[1]))", str(out)],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    dist_info = out / proc.stdout.split()[-1]
    metadata = (dist_info / "METADATA").read_text(encoding="utf-8")
    from analyzer import __version__

    assert f"\nVersion: {__version__}\n" in metadata
    assert "\nLicense-Expression: MIT\n" in metadata and "\nLicense-File: LICENSE\n" in metadata
    assert "\nLicense: " not in metadata  # the deprecated free-text field is gone
    assert (dist_info / "licenses" / "LICENSE").read_bytes() == (ROOT / "LICENSE").read_bytes()


def test_the_readme_and_init_name_this_version_and_current_actions(tmp_path, monkeypatch):
    from analyzer import __version__
    from analyzer.cli.main import main
    from analyzer.cli.init import CHECKOUT, UPLOAD_SARIF

    readme = README.read_text(encoding="utf-8")
    assert re.findall(r"lean-lint/lean-lint@v([\w.]+)", readme) == [__version__] * 2
    assert re.findall(r"rev: v([\w.]+)", readme) == [__version__] * 2
    assert re.findall(r"uses: (actions/checkout@\S+)", readme) == [CHECKOUT] * 2
    assert re.findall(r"uses: (github/codeql-action/upload-sarif@\S+)", readme) == [UPLOAD_SARIF] * 2
    assert UPLOAD_SARIF.endswith("@v4")  # v3 is deprecated in December 2026
    monkeypatch.chdir(tmp_path)
    assert main(["init"]) == 0
    workflow = yaml.safe_load((tmp_path / ".github/workflows/lean-lint.yml").read_text(encoding="utf-8"))
    hooks_config = yaml.safe_load((tmp_path / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert hooks_config["repos"][0]["rev"] == f"v{__version__}"
    job = workflow["jobs"]["lean-lint"]
    assert [step["uses"] for step in job["steps"]] == [CHECKOUT, f"lean-lint/lean-lint@v{__version__}", UPLOAD_SARIF]
    # Not every finding twice on a pull request: annotations there, code scanning on pushes.
    assert job["steps"][2]["if"] == UPLOAD_IF
    assert "annotations" not in job["steps"][1].get("with", {})
    assert set(workflow[True]) == {"push", "pull_request"}  # PyYAML reads the key `on` as True
    for block in [*readme_yaml_blocks("\njobs:"), (tmp_path / ".github/workflows/lean-lint.yml").read_text()]:
        (job,) = yaml.safe_load(block)["jobs"].values()
        assert 0 < job["timeout-minutes"] <= 15


# -- Dockerfile -----------------------------------------------------------------------------------


def instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    out, pending = [], ""
    for line in text.splitlines():
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        pending += line.rstrip()
        if pending.endswith("\\"):
            pending = pending[:-1] + " "
            continue
        word, _, rest = pending.strip().partition(" ")
        out.append((word.upper(), " ".join(rest.split())))
        pending = ""
    return out


DOCKERFILE = instructions((ROOT / "Dockerfile").read_text(encoding="utf-8"))


def test_dockerfile_passes_hadolint_with_no_warnings():
    proc = subprocess.run(
        [tool("hadolint"), "--no-color", str(ROOT / "Dockerfile")], capture_output=True, text=True, timeout=120
    )
    assert (proc.returncode, proc.stdout + proc.stderr) == (0, "")


def test_hadolint_catches_a_bad_dockerfile():
    proc = subprocess.run(
        [tool("hadolint"), "--no-color", "-"],
        input="FROM python:latest\nRUN pip install lean-lint\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1
    assert [line.split()[1] for line in proc.stdout.splitlines()] == ["DL3007", "DL3013", "DL3042"]


def test_dockerfile_bases_on_a_pinned_slim_official_python():
    bases = [args.split()[0] for word, args in DOCKERFILE if word == "FROM"]
    assert bases
    for base in bases:
        assert re.fullmatch(r"python:3\.\d+\.\d+-slim(-[a-z]+)?(@sha256:[0-9a-f]{64})?", base), base


def test_dockerfile_follows_githubs_rules_for_docker_actions():
    words = [word for word, _ in DOCKERFILE]
    # No USER: the action must run as root, the owner of the mounted GITHUB_WORKSPACE. No WORKDIR:
    # the runner mounts the workspace and makes it the working directory.
    assert "USER" not in words and "WORKDIR" not in words
    assert words[-1] == "ENTRYPOINT"


def test_dockerfile_entrypoint_is_the_console_command_pip_installs():
    (args,) = [args for word, args in DOCKERFILE if word == "ENTRYPOINT"]
    assert args == '["lean-lint-action"]'  # exec form: signals reach the program
    assert pyproject()["project"]["scripts"]["lean-lint-action"] == "analyzer.cli.action:main"


def test_dockerfile_pip_installs_keep_no_cache():
    runs = [args for word, args in DOCKERFILE if word == "RUN" and "pip " in args]
    assert runs
    for args in runs:
        assert "--no-cache-dir" in args, args


CONSTRAINTS = ROOT / "action" / "constraints.txt"


def pins() -> dict[str, str]:
    """action/constraints.txt as {canonical name: version}; every line `name==version`."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    out = {}
    for line in CONSTRAINTS.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        req = Requirement(line)
        (spec,) = req.specifier
        assert spec.operator == "==" and not req.marker and not req.extras, line
        name = canonicalize_name(req.name)
        assert name not in out, f"{name} is pinned twice"
        out[name] = spec.version
    return out


def image_environment() -> dict[str, str]:
    """Marker values for the image's Python (the Dockerfile's base image), on Linux."""
    (base,) = [args.split()[0] for word, args in DOCKERFILE if word == "FROM"]
    full = re.match(r"python:(3\.\d+\.\d+)", base).group(1)
    return {"python_version": full.rsplit(".", 1)[0], "python_full_version": full, "sys_platform": "linux",
            "platform_system": "Linux", "os_name": "posix", "implementation_name": "cpython",
            "platform_python_implementation": "CPython", "platform_machine": "x86_64", "extra": ""}


def test_dockerfile_is_one_stage_that_installs_the_pins_before_the_source():
    steps = [(word, args) for word, args in DOCKERFILE if word in ("FROM", "COPY", "RUN")]
    assert steps == [
        ("FROM", "python:3.12.12-slim-bookworm"),
        ("COPY", "action/constraints.txt /tmp/constraints.txt"),
        ("RUN", "pip install --no-cache-dir --no-deps --only-binary=:all: --requirement /tmp/constraints.txt"),
        ("COPY", ". /tmp/lean-lint"),
        ("RUN", "pip install --no-cache-dir --no-deps --no-build-isolation /tmp/lean-lint && pip check "
                "&& pip uninstall --yes setuptools && rm -rf /tmp/lean-lint /tmp/constraints.txt"),
    ]


def test_the_pins_satisfy_pyproject_for_the_image_python():
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    pinned, env = pins(), image_environment()
    meta = pyproject()
    wanted = [*meta["project"]["dependencies"], *meta["build-system"]["requires"]]
    for line in wanted:
        req = Requirement(line)
        if req.marker and not req.marker.evaluate(env):
            continue  # tomli: Python 3.10 only
        name = canonicalize_name(req.name)
        assert name in pinned, f"{name} is not pinned"
        assert req.specifier.contains(pinned[name], prereleases=True), (line, pinned[name])
    assert list(pinned) == sorted(pinned)


def test_the_pins_include_what_the_pinned_packages_need():
    """The closure, from the metadata of the versions installed here (the image's `pip check` checks
    the pinned versions themselves)."""
    from importlib import metadata

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    pinned, env = pins(), image_environment()
    checked = 0
    for name in pinned:
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        checked += 1
        for line in requires:
            req = Requirement(line)
            if req.marker and not req.marker.evaluate(env):
                continue
            assert canonicalize_name(req.name) in pinned, f"{name} needs {req.name}, which is not pinned"
    assert checked >= len(pinned) - 1  # all but, at most, a dependency of a newer Python's marker


def dockerignore_allows(rel: str) -> bool:
    """Whether the build context keeps `rel`, by .dockerignore's rules (the last matching pattern
    wins, `!` re-includes, a pattern matching a directory covers what is under it)."""
    kept = True
    lines = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    for raw in lines:
        pattern = raw.strip()
        if not pattern or pattern.startswith("#"):
            continue
        negate = pattern.startswith("!")
        pattern = pattern.lstrip("!").strip("/")
        parts = rel.split("/")
        prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        globs = [pattern, pattern[3:]] if pattern.startswith("**/") else [pattern]
        hit = any(
            fnmatch.fnmatchcase(p, g) or (g != pattern and fnmatch.fnmatchcase(p.rsplit("/", 1)[-1], g))
            for p in prefixes
            for g in globs
        )
        if hit:
            kept = negate
    return kept


def test_the_docker_build_context_has_what_pip_needs_and_nothing_else():
    meta = pyproject()
    needed = ["pyproject.toml", meta["project"]["readme"], *meta["project"]["license-files"], "action/constraints.txt"]
    for package_dir in meta["tool"]["setuptools"]["package-dir"].values():
        needed += [p.relative_to(ROOT).as_posix() for p in (ROOT / package_dir).rglob("*") if p.is_file()]
    needed = [p for p in needed if "__pycache__" not in p and not p.endswith(".pyc")]
    assert "analyzer/cli/action.py" in needed
    assert [p for p in needed if not dockerignore_allows(p)] == []
    for unwanted in [".git/config", ".venv/bin/python", "tests/test_action.py", ".pytest_cache/README.md",
                     "analyzer/__pycache__/cli.cpython-312.pyc", "lean_lint.egg-info/PKG-INFO", "Dockerfile"]:
        assert not dockerignore_allows(unwanted), unwanted


# -- pre-commit hook manifest ---------------------------------------------------------------------


def hooks() -> list[dict]:
    return yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))


def test_pre_commit_manifest_is_valid():
    proc = subprocess.run(
        [tool("pre-commit"), "validate-manifest", str(ROOT / ".pre-commit-hooks.yaml")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_pre_commit_hook_analyzes_the_whole_project():
    (hook,) = hooks()
    assert hook["id"] == "lean-lint"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False
    assert hook["entry"] in pyproject()["project"]["scripts"]


@pytest.mark.parametrize(
    "path",
    ["wsgi.py", "app/views.py", "leanengine.yaml", "requirements.txt", "requirements-dev.txt",
     ".python-version", "runtime.txt", "package.json", "api/leanengine.yaml", "api/requirements.txt",
     ".leanignore", "pyproject.toml", ".lean-lint.toml"],
)
def test_pre_commit_hook_runs_when_a_file_lean_lint_reads_changes(path):
    (hook,) = hooks()
    assert re.search(hook["files"], path)


@pytest.mark.parametrize(
    "path",
    ["README.md", "docs/requirements.md", "static/app.js", "my-leanengine.yaml", "requirements.txt.bak",
     "package.json5", "setup.cfg", "py/notes.txt"],
)
def test_pre_commit_hook_skips_unrelated_changes(path):
    (hook,) = hooks()
    assert not re.search(hook["files"], path)


# -- README snippets ------------------------------------------------------------------------------


def readme_yaml_blocks(*needles: str) -> list[str]:
    """The README's complete YAML examples (fenced ```yaml blocks) that contain all `needles`."""
    text = README.read_text(encoding="utf-8")
    blocks = re.findall(r"^```ya?ml\n(.*?)^```", text, re.S | re.M)
    return [b for b in blocks if all(n in b for n in needles)]


def test_readme_workflow_is_a_valid_workflow_that_uploads_the_sarif(tmp_path):
    blocks = readme_yaml_blocks("\njobs:", "github/codeql-action/upload-sarif")
    assert blocks, "README.md has no workflow example with upload-sarif"
    for i, block in enumerate(blocks):
        path = tmp_path / f"workflow{i}.yml"
        path.write_text(block, encoding="utf-8")
        proc = check_jsonschema("vendor.github-workflows", path)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        workflow = yaml.safe_load(block)
        (job,) = workflow["jobs"].values()
        assert job["permissions"]["security-events"] == "write"
        uses = [step.get("uses", "") for step in job["steps"]]
        assert uses[0].startswith("actions/checkout@")
        assert uses[1].startswith("lean-lint/lean-lint@")
        assert uses[2].startswith("github/codeql-action/upload-sarif@")
        upload = job["steps"][2]
        assert upload["if"] == UPLOAD_IF  # as `lean-lint init` writes it
        assert "annotations" not in job["steps"][1].get("with", {})  # annotations on pull requests
        assert upload["with"]["sarif_file"] == "${{ steps.%s.outputs.sarif-file }}" % job["steps"][1]["id"]


def test_readme_pre_commit_snippet_is_a_valid_config(tmp_path):
    blocks = readme_yaml_blocks("repos:", "id: lean-lint")
    assert blocks, "README.md has no .pre-commit-config.yaml snippet"
    for block in blocks:
        path = tmp_path / ".pre-commit-config.yaml"
        path.write_text(block, encoding="utf-8")
        proc = pre_commit_validate(path)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        (repo,) = yaml.safe_load(block)["repos"]
        assert repo["repo"] == "https://github.com/lean-lint/lean-lint"
        assert {h["id"] for h in repo["hooks"]} == {"lean-lint"}
