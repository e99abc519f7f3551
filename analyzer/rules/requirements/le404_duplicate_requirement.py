"""LE404 duplicate-requirement."""

from __future__ import annotations

from analyzer.model.requirements import RequirementEntry, project_requirements
from analyzer.rules.base import ProjectRule
from analyzer.types import Case, RelatedLocation, Severity


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
    example = Case(
        {
            "requirements.txt": """
                Flask>=2.0,<3
                flask==1.1.4
                """,
        },
        ("requirements.txt:2:1",),
    )
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
                related=(RelatedLocation(prev.path, prev.span, f"`{prev.raw}` is listed here first"),),
            )
