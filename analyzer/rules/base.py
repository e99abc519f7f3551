"""What a rule is.

A rule is a small class: its metadata and docs are class attributes (one text feeds `lean-lint explain`,
`lean-lint rules`, SARIF's rule descriptions and the README table), its examples (`fires` and
`near_misses`) double as tests run by one harness, and its logic is either

* a `ProjectRule`: `check(project)` looks at the project as a whole (config files, which files exist,
  several Python modules at once), or
* a `CodeRule`: libcst visitor methods (`visit_Call`, `leave_Assign`, ...) run on every Python module
  the rule's `scope` covers, all code rules batched in one pass over one parse of each file.

Rules report through `self.report(...)`; they never print, read arguments or decide exit codes.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any, ClassVar, Iterable, Iterator

from analyzer import DOCS_URL
from analyzer.types import Case, Finding, Fix, RelatedLocation, RuleInfo, Severity, Span

if TYPE_CHECKING:
    import libcst as cst

    from analyzer.model.project import ModuleContext, Project



class Rule:
    code: ClassVar[str]
    #: kebab-case, unique; shown in SARIF as the rule's `name`.
    name: ClassVar[str]
    severity: ClassVar[Severity]
    #: One line: what is wrong. SARIF `shortDescription`, the `rules` listing.
    summary: ClassVar[str]
    #: The platform fact that makes this a problem (from the platform reference).
    why: ClassVar[str]
    #: The documented example: a small project the rule reports, run by the harness like `fires`
    #: (so the docs never show an example that does not fire). The docs show each file under a
    #: `# path` line.
    example: ClassVar[Case | None] = None
    #: What to write instead: prose or a snippet.
    fix: ClassVar[str] = ""
    tags: ClassVar[tuple[str, ...]] = ()
    #: Some of its findings come with a fix (`lean-lint --fix`, or `--unsafe-fixes` for the unsafe
    #: ones); `lean-lint rules` shows it, and a test checks it against the fixes its examples produce.
    fixable: ClassVar[bool] = False
    #: How often a finding is right, as GitHub code scanning ranks it: "very-high" (a parser's or
    #: lean-lint's own verdict), "high" (the default), "medium", "low".
    precision: ClassVar[str] = "high"
    #: For security rules: GitHub's `security-severity` (a number as a string, "0.0"-"10.0").
    security_severity: ClassVar[str | None] = None
    fires: ClassVar[tuple[Case, ...]] = ()
    near_misses: ClassVar[tuple[Case, ...]] = ()

    def __init__(self) -> None:
        self._findings: list[Finding] = []

    # -- reporting ---------------------------------------------------------------------------------

    def report_at(
        self,
        path: str,
        span: Span,
        message: str,
        *,
        hint: str = "",
        severity: Severity | None = None,
        fix: Fix | None = None,
        related: tuple[RelatedLocation, ...] = (),
    ) -> None:
        """Report a finding at a known place. `path` is relative to the analyzed directory; `related`
        are the other places the message names."""
        self._findings.append(
            Finding(
                code=self.code,
                severity=self.severity if severity is None else severity,
                message=message,
                path=path,
                span=span,
                hint=hint or self.default_hint(),
                fix=fix,
                related=related,
            )
        )

    def default_hint(self) -> str:
        return first_line(self.fix)

    def take_findings(self) -> list[Finding]:
        found, self._findings = self._findings, []
        return found

    # -- docs --------------------------------------------------------------------------------------

    @classmethod
    def docs_markdown(cls) -> str:
        """The rule's documentation, ruff's template: what, why, example, fix."""
        parts = [f"# {cls.code} {cls.name} ({cls.severity.label})", "", "## What it does", cls.summary]
        parts += ["", "## Why is this a problem on Cloud Engine?", cls.why.strip()]
        example = cls.example_text()
        if example:
            parts += ["", "## Example", "```", example, "```"]
        if cls.fix.strip():
            parts += ["", "## Use instead", cls.fix.strip("\n")]
        return "\n".join(parts) + "\n"

    @classmethod
    def example_text(cls) -> str:
        """The example's files as the docs show them: each under a `# path` line."""
        if cls.example is None:
            return ""
        blocks = []
        for path, content in cls.example.files.items():
            if isinstance(content, bytes):
                continue
            text = textwrap.dedent(content[1:]) if content.startswith("\n") else content
            blocks.append(f"# {path}\n{text}".rstrip("\n"))
        return "\n\n".join(blocks)

    @classmethod
    def docs_text(cls) -> str:
        """The docs as plain text for terminals (code fences dropped)."""
        return "\n".join(line for line in cls.docs_markdown().splitlines() if not line.startswith("```"))

    @classmethod
    def info(cls) -> RuleInfo:
        """The rule as the output formats see it."""
        return RuleInfo(
            code=cls.code,
            name=cls.name,
            severity=cls.severity,
            summary=cls.summary,
            why=cls.why,
            tags=tuple(cls.tags),
            security_severity=cls.security_severity,
            docs_text=cls.docs_text(),
            docs_markdown=cls.docs_markdown(),
            docs_url=f"{DOCS_URL}/{cls.code}.md",
            precision=cls.precision,
        )


class ProjectRule(Rule):
    """A rule over the project as a whole."""

    def check(self, project: "Project") -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def run(self, project: "Project") -> list[Finding]:
        self.check(project)
        return self.take_findings()


class CodeRule(Rule):
    """A libcst visitor over one Python module at a time.

    `scope` is "runtime" for rules about code the platform executes (the WSGI entry or the `run:`
    program and what they import; code under a `__main__` guard only where that guard runs there), or
    "all" for rules about every Python file that is uploaded (e.g. secrets).

    `keywords`: a file whose text contains none of these strings cannot produce a finding of this rule,
    so it is not parsed for it. Keep them necessary conditions (a name any reportable code must
    contain), or leave empty to see every file. With `keywords_in_imports`, the strings may be in
    the file or in any project module it imports.
    """

    scope: ClassVar[str] = "runtime"
    keywords: ClassVar[tuple[str, ...]] = ()
    #: The keywords may be in a project module this file imports (directly or through others) instead
    #: of in the file itself, for a rule that follows names into imported modules.
    keywords_in_imports: ClassVar[bool] = False

    def __init__(self, ctx: "ModuleContext") -> None:
        super().__init__()
        self.ctx = ctx

    def report(
        self,
        node: "cst.CSTNode",
        message: str,
        *,
        hint: str = "",
        severity: Severity | None = None,
        fix: "NodeFix | None" = None,
    ) -> None:
        """Report at a node; its position is computed after the pass, only if anything was reported."""
        self.ctx.pending.append((self, node, message, hint or self.default_hint(), severity, fix))

    @classmethod
    def visitor_methods(cls) -> Iterator[tuple[str, str]]:
        """(method name, node type name) for each `visit_X` / `leave_X` the rule defines."""
        for attr in dir(cls):
            if attr.startswith(("visit_", "leave_")) and callable(getattr(cls, attr)):
                yield attr, attr.split("_", 1)[1]


class NodeFix:
    """A fix for a code rule, in terms of nodes: each (node, new code) replaces that node's text, each
    (position, text) in `inserts` inserts text at a (line, column) before the module's code. The
    engine turns it into text edits once positions are known. The replacement text is produced with
    libcst (`module.code_for_node(new_node)` or a string), so everything around it keeps its
    comments and formatting."""

    def __init__(
        self,
        description: str,
        replace: "list[tuple[cst.CSTNode, str]]",
        inserts: "list[tuple[tuple[int, int], str]] | None" = None,
        safe: bool = True,
    ) -> None:
        self.description = description
        self.replace = replace
        self.inserts = inserts or []
        self.safe = safe


def first_line(text: str) -> str:
    for line in text.strip().splitlines():
        if line.strip() and not line.startswith("```"):
            return line.strip()
    return ""


def rule_sort_key(rule: type[Rule]) -> Any:
    return rule.code


def iter_subclasses(base: type) -> Iterable[type]:
    for sub in base.__subclasses__():
        yield sub
        yield from iter_subclasses(sub)
