"""LE401 requirement-without-upper-bound."""

from __future__ import annotations

from analyzer.model.requirements import project_requirements, upper_bound_suggestion
from analyzer.rules.base import ProjectRule
from analyzer.rules.requirements._requirements import _bound_fix
from analyzer.rules.requirements._resolve import project_resolution
from analyzer.rules.requirements.le406_requirement_not_on_pypi import (
    stdlib_requirements,
)
from analyzer.types import Case, Severity


class RequirementWithoutUpperBound(ProjectRule):
    code = "LE401"
    name = "requirement-without-upper-bound"
    severity = Severity.WARNING
    # Not `fixable`: its fix needs `--resolve` (the package index), and `rules` lists offline fixes.
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
    example = Case(
        {
            "requirements.txt": """
                Flask>=2.0
                requests
                """,
        },
        ("requirements.txt:1:1", "requirements.txt:2:1"),
    )
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
