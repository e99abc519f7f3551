"""LE401-LE404: requirements.txt as pip reads it on the platform (`pip install -r requirements.txt`)."""

from __future__ import annotations

from analyzer.ftypes import Case, Edit, Fix, Severity
from analyzer.requirements import RequirementEntry, entry_lines, project_requirements, upper_bound_suggestion
from analyzer.resolve import project_resolution
from analyzer.rules.base import ProjectRule
from analyzer.rules.le4_stdlib_requirement import stdlib_requirements

_NO_REQUIRE = {"leanengine.yaml": "install:\n  - {require: [base.txt]}\n  - {use: default}\n"}


class UnboundedRequirement(ProjectRule):
    code = "LE401"
    name = "requirement-without-upper-bound"
    severity = Severity.WARNING
    summary = "A requirement has no upper bound on its major version (`Flask`, `Flask>=2.0`)."
    why = (
        "Each deploy runs `pip install -r requirements.txt` in a fresh build, so an open range installs "
        "whatever is newest that day: the first deploy after a library's next major release gets its "
        "breaking changes, with no change in your code. The platform's Python guide asks for a bounded "
        "major version on every line, e.g. `leancloud>=2.9.1,<3.0.0`. A range is bounded by `==`, "
        "`===`, `~=`, `<` or `<=` (on the line itself, on another line for the same distribution, or in "
        "a `-c` constraints file); URL, VCS and local-path requirements are not version ranges and are "
        "not reported."
    )
    example = "Flask>=2.0\nrequests"
    fix = (
        "Bound the major version you test with (`pip show Flask` tells it): for Flask 3.x, "
        "`Flask>=2.0,<4`; `leancloud>=2.9.1,<3.0.0`.\n"
        "`Django~=4.2` (>=4.2, <5) and `pkg==1.*` are bounded too. lean-lint cannot know today's latest "
        "major offline, so it offers no automatic fix: a bound at the lower bound's major (`Flask>=2.0,<3`) "
        "would downgrade an app that runs Flask 3 today. With `--resolve`, it bounds at the major pip "
        "installs today and `--fix` applies that."
    )
    tags = ("requirements", "reproducibility")
    fires = (
        Case(
            {"requirements.txt": "Flask>=2.0\n"},
            ("requirements.txt:1:1: `Flask>=2.0` has no upper bound, so a deploy can install a new major version "
             "with breaking changes; bound it at the major version you test with: write `Flask>=2.0,<N`, N one "
             "above that major (lean-lint does not know which major is current)",),
        ),
        Case(
            {"requirements.txt": "leancloud>=2.9.1,<3.0.0\nFlask\n"},
            ("requirements.txt:2:1: `Flask` has no upper bound, so a deploy can install a new major version "
             "with breaking changes; bound it at the major version you test with: write `Flask<N`, N one "
             "above that major (lean-lint does not know which major is current)",),
        ),
        Case(
            {"requirements.txt": 'requests[socks] >= 2.31.0 ; python_version >= "3.8"\n'},
            ("requirements.txt:1:1: `requests[socks] >= 2.31.0 ; python_version >= \"3.8\"` has no upper bound, "
             "so a deploy can install a new major version with breaking changes; bound it at the major version "
             "you test with: write `requests[socks] >= 2.31.0,<N ; python_version >= \"3.8\"`, N one above that "
             "major (lean-lint does not know which major is current)",),
            note="extras and markers are kept in the suggestion",
        ),
        Case({"requirements.txt": "  six>0.9  # old\n"}, ("requirements.txt:1:3",)),
        Case({"requirements.txt": "gevent!=21.1.0\n"}, ("requirements.txt:1:1",)),
        Case({"requirements.txt": "attrs (>=21.0)\n"}, ("requirements.txt:1:1: `attrs (>=21.0)` has no upper "
             "bound, so a deploy can install a new major version with breaking changes; bound it at the major "
             "version you test with: write `attrs (>=21.0,<N)`, N one above that major (lean-lint does not know "
             "which major is current)",)),
        Case(
            {"requirements.txt": "-r base.txt\n", "base.txt": "# shared\nredis>=4.0\n"},
            ("base.txt:2:1",),
            note="reported in the included file",
        ),
        Case(
            {"requirements.txt": "numpy>=1.24 \\\n    --hash=sha256:0123\n"},
            ("requirements.txt:1:1",),
        ),
    )
    near_misses = (
        Case({"requirements.txt": "leancloud>=2.9.1,<3.0.0\nDjango~=4.2\npkg==1.*\nexact===1.0\nlow<=3\n"}),
        Case({"requirements.txt": "-e .\n", "setup.py": ""}),
        Case({"requirements.txt": "git+https://github.com/x/y.git#egg=y\ny2 @ https://example.com/y2-1.0.tar.gz\n"}),
        Case({"requirements.txt": "--index-url https://pypi.org/simple\n# Flask\n\n   \n"}),
        Case({"requirements.txt": "Flask>=2.0\nflask<3\n"}, note="another line bounds it (LE404 reports the pair)"),
        Case({"requirements.txt": "-c constraints.txt\nFlask>=2.0\n", "constraints.txt": "Flask==2.3.3\n"},
             note="a constraints file bounds it"),
        Case({"requirements.txt": "Flask>=2.0\n", "leanengine.yaml": "runtime: nodejs\n"},
             note="not a Python project"),
        Case({"requirements.txt": "sqlite3\npython>=3.8\n"}, note="no distribution at all: LE406"),
    )

    def check(self, project) -> None:
        if not project.python_applies:
            return
        reqs = project_requirements(project)
        bounded = {
            e.normalized for e in reqs.entries if e.is_versioned and not e.marker_text and e.has_upper_bound
        }
        not_on_pypi = {id(found[0]) for found in stdlib_requirements(project)}
        resolution = project_resolution(project)
        for entry in reqs.requirements:
            if not entry.is_versioned or entry.has_upper_bound or entry.normalized in bounded:
                continue
            if id(entry) in not_on_pypi:
                continue  # pip cannot install it at all (LE406)
            if resolution is not None and any(p.entry is entry and p.kind == "missing" for p in resolution.problems):
                continue  # no such distribution (LE407)
            major = resolution.major(entry.normalized) if resolution and entry.normalized else None
            if major is not None:
                suggestion = upper_bound_suggestion(entry, f"<{major + 1}")
                self.report_at(
                    entry.path, entry.span,
                    f"`{entry.raw}` has no upper bound, so a deploy can install a new major version with breaking "
                    f"changes; write `{suggestion}` (pip installs {entry.name} {resolution.versions[entry.normalized]} "
                    f"today for Python {resolution.python})",
                    hint=f"Write `{suggestion}`.",
                    fix=_bound_fix(project, entry, suggestion),
                )
                continue
            suggestion = upper_bound_suggestion(entry)
            self.report_at(
                entry.path, entry.span,
                f"`{entry.raw}` has no upper bound, so a deploy can install a new major version with breaking "
                f"changes; bound it at the major version you test with: write `{suggestion}`, N one above that "
                "major (lean-lint does not know which major is current)",
                hint=f"Bound the major version you test with: `{suggestion}`, N = that major + 1.",
            )


class _ReaderProblems(ProjectRule):
    """LE402 and LE403 come from the requirements reader, which finds them while reading."""

    def check(self, project) -> None:
        if not project.python_applies:
            return
        for problem in project_requirements(project).problems:
            if problem.code == self.code:
                self.report_at(problem.path, problem.span, problem.message, hint=problem.hint,
                               severity=problem.severity)


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
    example = "Flask=2.0\n--index https://pypi.org/simple\n-r"
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



class MissingRequirementPath(_ReaderProblems):
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
    example = "-r requirements/base.txt   # the file does not exist\n-e ./libs/shared"
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



class DuplicateRequirement(ProjectRule):
    code = "LE404"
    name = "duplicate-requirement"
    severity = Severity.WARNING
    summary = "One distribution is listed twice with different version ranges."
    why = (
        "pip treats `Flask_SQLAlchemy` and `flask-sqlalchemy` as one distribution (PEP 503 names). "
        "Listed twice, in one file or across `-r` files, it must satisfy both ranges: pip's resolver "
        "fails the install when no version can, older pip stops with \"Double requirement given\", and a "
        "reader cannot tell which line is meant. Lines with different environment markers are not "
        "reported (`numpy<1.25; python_version < \"3.9\"` beside `numpy>=1.25; python_version >= \"3.9\"`)."
    )
    example = "Flask>=2.0,<3\nflask==1.1.4"
    fix = "Keep one line per distribution, with the range you mean."
    tags = ("requirements",)
    fires = (
        Case(
            {"requirements.txt": "Flask_SQLAlchemy>=3.0,<4\nflask-sqlalchemy==2.5.1\n"},
            ("requirements.txt:2:1: `flask-sqlalchemy==2.5.1` repeats `Flask_SQLAlchemy>=3.0,<4` "
             "(requirements.txt:1) with a different version range; pip must satisfy both, and fails when no "
             "version can: keep one line",),
        ),
        Case(
            {"requirements.txt": "-r base.txt\nredis<5\n", "base.txt": "redis==4.6.0\n"},
            ("requirements.txt:2:1: `redis<5` repeats `redis==4.6.0` (base.txt:1) with a different version range; "
             "pip must satisfy both, and fails when no version can: keep one line",),
        ),
        Case({"requirements.txt": "six\nsix>=1.16,<2\n"}, ("requirements.txt:2:1",)),
    )
    near_misses = (
        Case({"requirements.txt": "six>=1.16,<2\nsix<2,>=1.16.0\n"}, note="the same range"),
        Case({"requirements.txt": 'numpy<1.25; python_version < "3.9"\nnumpy>=1.25,<2; python_version >= "3.9"\n'}),
        Case({"requirements.txt": "-c constraints.txt\nFlask>=2,<3\n", "constraints.txt": "Flask==2.3.3\n"},
             note="a constraint is not a second requirement"),
        Case({"requirements.txt": "celery[redis]>=5,<6\ncelery>=5,<6\n"}),
        Case({"requirements.txt": "six\nsix>=1.16,<2\n", "leanengine.yaml": "runtime: go\n"}),
    )

    def check(self, project) -> None:
        if not project.python_applies:
            return
        first: dict[str, RequirementEntry] = {}
        for entry in project_requirements(project).requirements:
            if entry.normalized is None:
                continue
            prev = first.get(entry.normalized)
            if prev is None:
                first[entry.normalized] = entry
                continue
            if (prev.marker_text or "") != (entry.marker_text or ""):
                continue
            if not (prev.is_versioned and entry.is_versioned) or prev.specifier == entry.specifier:
                continue
            self.report_at(
                entry.path,
                entry.span,
                f"`{entry.raw}` repeats `{prev.raw}` ({prev.where}) with a different version range; pip must "
                "satisfy both, and fails when no version can: keep one line",
            )


def _bound_fix(project, entry: RequirementEntry, suggestion: str) -> Fix | None:
    """Replace the requirement's text with the bounded form (a bound at the major pip resolves
    today, so the fix changes nothing that installs now), when the requirement is the exact text at
    its span on one line."""
    if entry_lines(project, entry) is None:
        return None
    return Fix(f"Bound the major version: `{suggestion}`", (Edit(entry.path, entry.span, suggestion),))
