"""LE403 requirement-path-missing."""

from __future__ import annotations

from analyzer.rules.requirements._requirements import _NO_REQUIRE, _ReaderProblems
from analyzer.types import Case, Severity


class RequirementPathMissing(_ReaderProblems):
    code = "LE403"
    name = "requirement-path-missing"
    severity = Severity.ERROR
    summary = "A `-r`/`-c` file or a local path named in requirements.txt is missing, or not there during install."
    why = (
        "pip reads `-r`/`-c` files relative to the file that names them and installs local paths "
        "(`./pkg`, `-e ./pkg`, `./dist/x.whl`) relative to the directory it runs in, the build root; a "
        "missing one stops the install and the deploy. And while the platform runs the install step, "
        "the build directory holds only the dependency manifests: a file requirements.txt refers to by "
        "path must be listed under `require:` in an `install:` step of leanengine.yaml, or pip does not "
        "find it there (reported as a warning)."
    )
    example = Case(
        {
            "requirements.txt": """
                -r requirements/base.txt   # the file does not exist
                -e ./libs/shared
                """,
        },
        ("requirements.txt:1:1", "requirements.txt:2:4"),
    )
    fix = (
        "Fix the path, and list the files pip needs under `require:` in leanengine.yaml:\n"
        "```\ninstall:\n  - {require: [requirements/base.txt]}\n  - {use: default}\n```"
    )
    tags = ("requirements",)
    fires = (
        Case(
            {"requirements.txt": "-r requirements/base.txt\n"},
            ("requirements.txt:1:1: `-r requirements/base.txt`: `requirements/base.txt` does not exist; pip stops "
             "with \"Could not open requirements file\" and the install step fails",),
        ),
        Case(
            {"requirements.txt": "-r reqs/base.txt\n", "reqs/base.txt": "-c constraints.txt\n"},
            ("reqs/base.txt:1:1: `-c constraints.txt`: `reqs/constraints.txt` does not exist; pip stops with "
             "\"Could not open requirements file\" and the install step fails",
             "requirements.txt:1:1"),
            note="relative to the including file; the existing base.txt still needs `require:`",
        ),
        Case(
            {"requirements.txt": "flask<3\n./libs/shared\n"},
            ("requirements.txt:2:1: `./libs/shared` does not exist (pip resolves local paths from the build root, "
             "where it runs); pip rejects the line and the install step fails",),
        ),
        Case({"requirements.txt": "-e ./libs/shared\n"}, ("requirements.txt:1:4",)),
        Case({"requirements.txt": "-e ./libs\n", "libs/readme.md": ""}, ("requirements.txt:1:4",),
             note="a directory pip cannot install"),
        Case(
            {"requirements.txt": "-r base.txt\n", "base.txt": "six<2\n"},
            ("requirements.txt:1:1: `-r base.txt`: while pip installs the dependencies, the build directory holds "
             "only requirements.txt, so pip will not find it; list `base.txt` under `require:` in "
             "leanengine.yaml's `install:` steps",),
            note="a warning",
        ),
        Case(
            {"requirements.txt": "-r base.txt\n", "base.txt": "six<2\n",
             "leanengine.yaml": "install:\n  - {require: [other.txt]}\n  - {use: default}\n"},
            ("requirements.txt:1:1",),
        ),
    )
    near_misses = (
        Case({"requirements.txt": "-r base.txt\n", "base.txt": "six<2\n"} | _NO_REQUIRE),
        Case({"requirements.txt": "-r reqs/base.txt\n", "reqs/base.txt": "six<2\n",
              "leanengine.yaml": "install:\n- require:\n  - reqs\n- use: default\n"}, note="a required folder"),
        Case({"requirements.txt": "-r https://example.com/requirements.txt\n-e git+https://github.com/x/y#egg=y\n"}),
        Case({"requirements.txt": "-r base.txt\n", "base.txt": "six<2\n",
              "leanengine.yaml": "install: pip install -r base.txt\n"},
             note="a custom install command: lean-lint cannot tell what it copies"),
        Case({"requirements.txt": "name @ https://example.com/name-1.0.tar.gz\nFlask>=2,<3\n"}),
        Case({"requirements.txt": "-r missing.txt\n", "leanengine.yaml": "runtime: nodejs\n"}),
    )
