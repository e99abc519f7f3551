"""LE402 invalid-requirement-line."""

from __future__ import annotations

from analyzer.rules.requirements._requirements import _ReaderProblems
from analyzer.types import Case, Severity


class InvalidRequirementLine(_ReaderProblems):
    code = "LE402"
    name = "invalid-requirement-line"
    severity = Severity.ERROR
    summary = "A requirements file has a line pip rejects, so the install step fails."
    why = (
        "The platform installs dependencies with `pip install -r requirements.txt`; pip stops at the "
        "first line it cannot read (an invalid PEP 508 requirement, `=` instead of `==`, an unknown "
        "option, `-r` without a file, a `-r` cycle, `-e` with something that is neither a project "
        "directory nor a VCS URL), the build fails and the deploy is aborted. lean-lint reads the file "
        "like pip: comments start at ` #`, a trailing backslash joins lines, options such as "
        "`--index-url`, `--hash=sha256:...` and `-e .` are accepted, and an option only some pip versions "
        "know is not reported. pip replaces `${VARIABLE}` with the environment's value, but the platform "
        "passes the app's variables to the build only with `exposeEnvironmentsOnBuild: true`: without it, "
        "such a line is reported as a warning."
    )
    example = Case(
        {
            "requirements.txt": """
                Flask=2.0
                --index https://pypi.org/simple
                -r
                """,
        },
        ("requirements.txt:1:6", "requirements.txt:3:1"),
    )
    fix = "Write each line as pip expects: `Flask==2.0`, `--index-url https://...`, `-r base.txt`."
    tags = ("requirements",)
    fires = (
        Case(
            {"requirements.txt": "Flask=2.0\n"},
            ("requirements.txt:1:6: invalid requirement `Flask=2.0`: `=` is not a version operator; write "
             "`Flask==2.0`; pip rejects the line and the install step fails",),
        ),
        Case(
            {"requirements.txt": "# deps\nrequests>=2.0 urllib3\n"},
            ("requirements.txt:2:15: invalid requirement `requests>=2.0 urllib3` (Expected comma (within version "
             "specifier), semicolon (after version specifier) or end); pip rejects the line and the install "
             "step fails",),
        ),
        Case(
            {"requirements.txt": "--index_url https://pypi.org/simple\n"},
            ("requirements.txt:1:1: pip does not know the option `--index_url` in a requirements file (did you "
             "mean `--index-url`?); pip rejects the line and the install step fails",),
        ),
        Case(
            {"requirements.txt": "Flask\n-r\n"},
            ("requirements.txt:2:1: `-r` needs a file after it; pip rejects the line and the install step fails",),
        ),
        Case(
            {"a.txt": "-r requirements.txt\n", "requirements.txt": "flask<3\n-r a.txt\n"},
            ("a.txt:1:1: `-r requirements.txt` includes a file that is already being read (requirements.txt -> "
             "a.txt -> requirements.txt): pip 24.3 and later stop with \"recursively references itself\", older "
             "pip crashes with RecursionError",),
            note="a cycle",
        ),
        Case({"requirements.txt": "-r requirements.txt\n"}, ("requirements.txt:1:1",), note="self-include"),
        Case({"requirements.txt": "numpy==1.26.4 --hash=md5:abc\n"}, ("requirements.txt:1:15",)),
        Case({"requirements.txt": "-e https://example.com/pkg.tar.gz\n"}, ("requirements.txt:1:4",)),
        Case({"requirements.txt": "-e git+https://github.com/x/y.git\n"}, ("requirements.txt:1:4",)),
        Case({"requirements.txt": 'six; python_version < "3.8" and\n'}, ("requirements.txt:1:6",)),
        Case({"requirements.txt": "Django~=4\n"}, ("requirements.txt:1:7",), note="~= needs two version parts"),
        Case({"requirements.txt": "https://example.com/pkg.whl\n"}, ("requirements.txt:1:1",)),
        Case({"requirements.txt": "flask>=2 \\\n  --frob\n"}, ("requirements.txt:2:3",)),
        Case(
            {"requirements.txt": "--extra-index-url https://${PYPI_TOKEN}@pypi.example.com/simple\n"},
            ("requirements.txt:1:27: `${PYPI_TOKEN}`: the platform does not pass the app's environment variables to "
             "the build unless leanengine.yaml sets `exposeEnvironmentsOnBuild: true`, so pip keeps the text as "
             "written and the line fails or fetches the wrong thing",),
            note="a warning",
        ),
    )
    near_misses = (
        Case(
            {
                "requirements.txt": (
                    "# comment\n\n-e .\n--index-url https://pypi.org/simple\n-i https://mirror/simple\n"
                    "--extra-index-url https://x/simple\n--find-links ./wheels\n--pre\n--no-binary :all:\n"
                    "--only-binary=numpy\n--prefer-binary\n--require-hashes\n--trusted-host mirror\n--no-index\n"
                    "git+https://github.com/x/y.git#egg=y\nname @ https://example.com/name-1.0.tar.gz\n"
                    "numpy==1.26.4 --hash=sha256:abcd --hash=sha512:ef\n"
                    "flask[async]>=2.0,<3; python_version >= \"3.8\"  # web\n"
                    "pkg @ https://${TOKEN}@example.com/pkg-1.0.tar.gz\n"
                    "lib==1.0 \\\n    --hash=sha256:0123\n"
                    "private-pkg>=1,<2 --global-option=--x\n"
                    "https://example.com/foo-1.0-py3-none-any.whl\n"
                    "-e git+https://github.com/x/z.git#egg=z\n"
                    "tz==2024.1 ; sys_platform == 'linux'\n"
                )
            }
            | {"setup.py": "", "wheels/.keep": "", "leanengine.yaml": "exposeEnvironmentsOnBuild: true\n"}
        ),
        Case({"requirements.txt": "${PACKAGE}==1.0\n", "leanengine.yaml": "exposeEnvironmentsOnBuild: true\n"},
             note="substituted at install time"),
        Case({"requirements.txt": "Flask>=2.0,<3\n", "leanengine.yaml": "runtime: nodejs\n"}),
        Case({"requirements.txt": "-r base.txt\n", "base.txt": "-r common.txt\n", "common.txt": "six<2\n",
              "other.txt": "-r common.txt\n"}, note="one file included twice is no cycle"),
    )
