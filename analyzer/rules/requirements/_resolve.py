"""`--resolve`: requirements.txt judged by pip's own resolver, for the platform's Python on Linux x86_64.

Opt-in, since it needs the network: pip asks the package index for every requirement's versions and
reads their wheels' metadata. lean-lint never imports pip: it runs `python -m pip install --dry-run
--report` in a subprocess, in a temporary directory, with only-binary wheels (`--only-binary=:all:`),
so no build step of any package runs here and nothing is installed. What pip is given is a copy of the
project's requirements: the named, versioned ones, their markers, the `-c` constraints and the index
options of the requirements files (`--index-url`, `--extra-index-url`, `--find-links`, `--no-index`,
`--pre`, `--trusted-host`). URLs, paths, `-e` and lines with `${VARIABLES}` are left out: pip would
have to fetch or build them.

pip stops at its first failure, so when it names a requirement, that line is left out and pip runs
again (at most `MAX_RUNS` times in all, within one time budget). What it finds:
- a name with no distribution on the index for the target (or with files for other platforms only);
- no version of a distribution for the target Python (Requires-Python), or none in the range asked for;
- conflicting requirements (pip's explanation, shortened);
- a distribution with no wheel for Linux x86_64 and the target Python: pip builds it from source on
  the platform (`pip index versions` tells it exists), which needs a compiler and the C libraries it
  links to.
And when it resolves, the version of each requirement pip would install today (LE401's bound).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from analyzer.model.requirements import RequirementEntry, project_requirements
from analyzer.model.target import python_target
from analyzer.platform.stdlib import known_versions, target_version
from analyzer.support.names import normalize_name

MEMO_KEY = "resolution"
MAX_RUNS = 6
DEFAULT_TIMEOUT = 120.0
#: glibc 2.28 (Debian 10 and later); pip also accepts the older manylinux tags below it.
PLATFORMS = ("manylinux_2_28_x86_64", "manylinux2014_x86_64", "linux_x86_64")
#: Index options pip accepts in a requirements file that tell it where to look (copied to pip's input).
_INDEX_OPTIONS = {"-i": "--index-url", "--index-url": "--index-url", "--extra-index-url": "--extra-index-url",
                  "-f": "--find-links", "--find-links": "--find-links", "--no-index": "--no-index",
                  "--pre": "--pre", "--trusted-host": "--trusted-host"}
#: Distributions whose build needs a library the platform installs with `systemDependencies`.
SYSTEM_LIBRARIES = {"ta-lib": "python-talib", "talib": "python-talib", "wand": "imagemagick",
                    "pgmagick": "imagemagick", "canvas": "node-canvas"}

_NOT_FOUND_RE = re.compile(r"Could not find a version that satisfies the requirement (.+?) \(from versions: ([^)]*)\)")
_PYTHON_RE = re.compile(r"Package '([^']+)' requires a different Python: \S+ not in '([^']*)'")
_IGNORED_PY_RE = re.compile(r"Ignored the following versions that require a different python version: (.*)")
_CONFLICT_RE = re.compile(r"Cannot install (.+?) because these package versions have conflicting dependencies")
#: A line of the requirements file lean-lint gives pip (not of the constraints file beside it).
_LINE_RE = re.compile(r"requirements\.txt \(line (\d+)\)")
_NAME_RE = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


@dataclass(frozen=True)
class ResolveProblem:
    entry: RequirementEntry
    #: "missing" (no such distribution), "python" (none for the target Python), "range" (no version
    #: in the range asked for), "conflict", "build" (no wheel: pip builds it from source).
    kind: str
    message: str


@dataclass
class Resolution:
    python: str
    problems: list[ResolveProblem] = field(default_factory=list)
    #: Normalized name -> the version pip resolves today, for the requirements it resolved.
    versions: dict[str, str] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)

    def major(self, normalized: str) -> int | None:
        version = self.versions.get(normalized)
        if version is None:
            return None
        # late, for start-up: packaging is heavy, and only --resolve needs it
        from packaging.version import InvalidVersion, Version

        try:
            parsed = Version(version)
        except InvalidVersion:
            return None
        return None if parsed.epoch else parsed.major


def resolve_enabled(project) -> bool:
    return bool(getattr(project.config, "resolve", False))


def project_resolution(project) -> Resolution | None:
    """pip's verdict on the project's requirements, once per run; None without `--resolve`."""
    if not resolve_enabled(project) or not project.python_applies:
        return None
    cached = project.memo.get(MEMO_KEY)
    if cached is None:
        cached = project.memo[MEMO_KEY] = _Resolver(project).run()
        project.notices.extend(n for n in cached.notices if n not in project.notices)
    return cached


def target_python(project) -> tuple[str, str]:
    """(X.Y, how it was chosen): `.python-version`, else the newest version lean-lint knows (the
    platform installs the latest stable CPython when the file is missing)."""

    target = python_target(project)
    if target.source is not None:
        return target.label, "`.python-version`"
    newest = known_versions()[-1]
    return newest if target_version(newest) else "3.13", "the platform's default"


class _Resolver:
    def __init__(self, project) -> None:
        self.project = project
        self.reqs = project_requirements(project)
        self.python, self.python_source = target_python(project)
        self.timeout = float(os.environ.get("LEAN_LINT_RESOLVE_TIMEOUT", DEFAULT_TIMEOUT))
        self.deadline = time.monotonic() + self.timeout

    def run(self) -> Resolution:
        result = Resolution(self.python)
        entries = [e for e in self.reqs.requirements if e.is_versioned and not e.has_env_vars]
        constraints = [e for e in self.reqs.entries if e.constraint and e.is_versioned and not e.has_env_vars]
        if not entries:
            return result
        options = self._index_options()
        with tempfile.TemporaryDirectory(prefix="lean-lint-resolve-") as tmp:
            for _ in range(MAX_RUNS):
                outcome = self._pip(Path(tmp), entries, constraints, options)
                if outcome is None:
                    result.notices.append(
                        f"--resolve: pip did not finish within {self.timeout:.0f} s; the resolver's findings are "
                        "missing (set LEAN_LINT_RESOLVE_TIMEOUT to wait longer)"
                    )
                    break
                code, output, report = outcome
                if code == 0:
                    for item in report.get("install", []) if isinstance(report, dict) else []:
                        meta = item.get("metadata") or {}
                        if item.get("requested") and isinstance(meta.get("name"), str):
                            result.versions[normalize_name(meta["name"])] = str(meta.get("version"))
                    break
                found = self._problems(output, entries, Path(tmp), options)
                if not found:
                    first = next((line for line in output.splitlines() if line.startswith("ERROR:")), output.strip()[:200])
                    result.notices.append(f"--resolve: pip failed in a way lean-lint does not read: {first}")
                    break
                result.problems.extend(found)
                gone = {id(p.entry) for p in found}
                entries = [e for e in entries if id(e) not in gone]
                if not entries:
                    break
        return result

    # -- running pip --------------------------------------------------------------------------------

    def _index_options(self) -> list[str]:
        """The index options written in the requirements files, as pip arguments (relative
        `--find-links` paths made absolute from the file's folder, as pip does)."""
        out: list[str] = []
        for rel in self.reqs.files:
            try:
                text = self.project.read_text(rel)
            except Exception:  # noqa: BLE001 - unreadable: LE402/LE403's business
                continue
            for line in text.replace("\\\n", " ").splitlines():
                line = re.sub(r"(^|\s)#.*$", "", line).strip()
                if not line.startswith("-"):
                    continue
                try:
                    words = shlex.split(line)
                except ValueError:
                    continue
                head, _, inline = words[0].partition("=")
                option = _INDEX_OPTIONS.get(head)
                if option is None:
                    continue
                if option in ("--no-index", "--pre"):
                    out.append(option)
                    continue
                value = inline or (words[1] if len(words) > 1 else "")
                if not value:
                    continue
                if option == "--find-links" and "://" not in value:
                    base = (self.project.root / rel).parent
                    candidate = (base / value).resolve()
                    value = str(candidate) if candidate.exists() else value
                out += [option, value]
        return out

    def _base_command(self) -> list[str]:
        command = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input"]
        return command

    def _target_options(self) -> list[str]:
        out = ["--python-version", self.python, "--only-binary=:all:"]
        for platform in PLATFORMS:
            out += ["--platform", platform]
        return out

    def _remaining(self) -> float:
        return self.deadline - time.monotonic()

    def _call(self, command: list[str], cwd: Path) -> tuple[int, str] | None:
        remaining = self._remaining()
        if remaining <= 0:
            return None
        env = dict(os.environ, PYTHONIOENCODING="utf-8")
        try:
            proc = subprocess.run(command, cwd=cwd, capture_output=True, text=True, errors="replace",
                                  timeout=remaining, env=env, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            return None
        return proc.returncode, proc.stdout + "\n" + proc.stderr

    def _pip(self, tmp: Path, entries: list[RequirementEntry], constraints: list[RequirementEntry],
             options: list[str]) -> tuple[int, str, object] | None:
        req = tmp / "requirements.txt"
        req.write_text("".join(_one_line(e) + "\n" for e in entries), encoding="utf-8")
        report = tmp / "report.json"
        report.unlink(missing_ok=True)
        command = self._base_command() + [
            "install", "--dry-run", "--ignore-installed", "--target", str(tmp / "target"), "--report", str(report),
            *self._target_options(), *options, "-r", str(req),
        ]
        if constraints:
            cons = tmp / "constraints.txt"
            cons.write_text("".join(_one_line(e) + "\n" for e in constraints), encoding="utf-8")
            command += ["-c", str(cons)]
        called = self._call(command, tmp)
        if called is None:
            return None
        code, output = called
        data: object = {}
        if code == 0:
            try:
                data = json.loads(report.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                data = {}
        return code, output, data

    def _exists(self, name: str, tmp: Path, options: list[str]) -> bool | None:
        """Does the index have a file of `name` pip could use for the target if it may build (after
        a wheels-only run found none: a source distribution)?"""
        command = self._base_command() + ["index", "versions", name, "--python-version", self.python, *options]
        for platform in PLATFORMS:
            command += ["--platform", platform]
        called = self._call(command, tmp)
        if called is None:
            return None
        return called[0] == 0

    # -- reading pip's answer ---------------------------------------------------------------------

    def _problems(self, output: str, entries: list[RequirementEntry], tmp: Path,
                  options: list[str]) -> list[ResolveProblem]:
        by_name = {e.normalized: e for e in entries}

        def entry_for(line_text: str, name: str | None) -> RequirementEntry | None:
            lines = [int(n) for n in _LINE_RE.findall(line_text)]
            if lines and 1 <= lines[-1] <= len(entries):
                return entries[lines[-1] - 1]
            return by_name.get(normalize_name(name)) if name else None

        target = f"Python {self.python} ({self.python_source})"
        match = _CONFLICT_RE.search(output)
        if match:
            involved = []
            for n in _LINE_RE.findall(match.group(1)):
                if 1 <= int(n) <= len(entries) and entries[int(n) - 1] not in involved:
                    involved.append(entries[int(n) - 1])
            for part in re.split(r",\s*| and ", match.group(1)):
                name = _NAME_RE.match(part.strip())
                if name and "-r " not in part and (e := by_name.get(normalize_name(name.group(1)))) and e not in involved:
                    involved.append(e)
            cause = _conflict_cause(output)
            found = []
            for entry in involved:
                others = ", ".join(f"`{o.raw}` ({o.where})" for o in involved if o is not entry)
                with_what = f" with {others}" if others else ""
                found.append(ResolveProblem(
                    entry, "conflict",
                    f"`{entry.raw}` conflicts{with_what} for {target}: {cause or 'pip finds no versions that satisfy them together'}; "
                    "pip's resolver fails the install (ResolutionImpossible)",
                ))
            return found
        match = _PYTHON_RE.search(output)
        if match:
            entry = entry_for("", match.group(1))
            if entry is not None:
                return [ResolveProblem(
                    entry, "python",
                    f"`{entry.raw}`: no version of {match.group(1)} installs on {target}: it requires Python "
                    f"{match.group(2)}; pip fails the install",
                )]
            return []
        match = _NOT_FOUND_RE.search(output)
        if not match:
            return []
        requirement, versions = match.group(1), match.group(2).strip()
        requirement, _, parent = requirement.partition(" (from ")  # a dependency: `zeta>=5 (from epsilon)`
        line_end = output.find("\n", match.end())
        context = output[match.start(): line_end if line_end >= 0 else len(output)]
        name_match = _NAME_RE.match(requirement)
        name = name_match.group(1) if name_match else requirement
        parent_match = _NAME_RE.match(parent)
        entry = entry_for(context, name) or (entry_for("", parent_match.group(1)) if parent_match else None)
        if entry is None:
            return []
        direct = normalize_name(name) == entry.normalized
        via = "" if direct else f" (required by {entry.name})"
        ignored = _IGNORED_PY_RE.search(output)
        if ignored and versions in ("", "none"):
            return [ResolveProblem(
                entry, "python",
                f"`{entry.raw}`: no version of {name}{via} in the range asked for installs on {target} "
                f"(Requires-Python); pip stops with \"No matching distribution found\"",
            )]
        if versions and versions != "none":
            shown = ", ".join(versions.split(", ")[-5:])
            return [ResolveProblem(
                entry, "range",
                f"`{entry.raw}`: no version of {name}{via} matches `{requirement}` (the index has {shown}); pip stops "
                "with \"No matching distribution found\"",
            )]
        exists = self._exists(name, tmp, options)
        if exists:
            library = SYSTEM_LIBRARIES.get(normalize_name(name))
            system = (f"; the platform installs the {library} library with `systemDependencies: [{library}]` in "
                      "leanengine.yaml" if library else "")
            return [ResolveProblem(
                entry, "build",
                f"`{entry.raw}`: {name}{via} has no wheel for Linux x86_64 and {target}, so pip builds it from "
                f"source during the deploy, which needs a compiler and the C libraries it uses{system}",
            )]
        return [ResolveProblem(
            entry, "missing",
            f"`{entry.raw}`: the index has no distribution named {name}{via} for Linux x86_64 and {target} (no "
            "such name, or files for other platforms or Pythons only): pip stops with \"No matching distribution "
            "found\" and the install step fails",
        )]


def _one_line(entry: RequirementEntry) -> str:
    return " ".join(entry.raw.split())


def _conflict_cause(output: str) -> str:
    """pip's "The conflict is caused by:" lines, joined (at most three)."""
    lines = output.splitlines()
    for i, line in enumerate(lines):
        if line.strip() == "The conflict is caused by:":
            cause = []
            for text in lines[i + 1:]:
                if not text.strip():
                    break
                cause.append(text.strip())
            if len(cause) > 3:
                cause = cause[:3] + [f"and {len(cause) - 3} more"]
            return "; ".join(cause)
    return ""
