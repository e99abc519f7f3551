"""Shared by the leanengine_yaml rules (LE301, LE302, LE303, LE304)."""

from __future__ import annotations

import difflib
import glob
import json
import os
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

import yaml

from analyzer.model.project import Project, python_looking_runtime
from analyzer.platform.leanengine_schema import (
    DEPRECATED_SYSTEM_DEPENDENCIES,
    FUNCTIONS_MODES,
    KNOWN_KEYS,
    RUNTIMES,
    STARTUP_TIMEOUT_RANGE,
    SYSTEM_DEPENDENCIES,
    load_schema,
)
from analyzer.platform.paths import LEANENGINE_YAML
from analyzer.readers.yaml_doc import YamlDocument, node_span
from analyzer.rules.base import ProjectRule
from analyzer.types import Edit, Fix, Severity, Span

MEMO_KEY = __name__


STEP_KEYS = ("use", "require")


PORT_KEYS = ("name", "protocol", "containerPort")


#: Names people write for a key that is spelled differently (difflib finds the rest).
KEY_ALIASES = {"cmd": "run", "command": "run", "start": "run", "timeout": "startupTimeout", "port": "containerPort"}


@dataclass(frozen=True)
class _Item:
    code: str
    span: Span
    message: str
    severity: Severity | None = None
    fix: Fix | None = None
    hint: str = ""


#: Where a message's remedy starts: it goes to the fix line, so the message states only the problem.
_REMEDY = re.compile(r"[:;] (?=(?:write|use|give|it offers|the known keys are) )")


def split_remedy(message: str) -> tuple[str, str]:
    """("problem", "Remedy.") from "problem: write `x`"; (message, "") when there is no remedy."""
    found = _REMEDY.search(message)
    if found is None:
        return message, ""
    rest = message[found.end():]
    if rest.startswith("it offers "):
        rest = "the platform offers " + rest[len("it offers "):]
    hint = rest[0].upper() + rest[1:]
    return message[: found.start()], hint if hint.endswith((".", "?", "!")) else hint + "."


def leanengine_findings(project: Project) -> list[_Item]:
    """Every LE301-LE304 finding of the project, computed once per run."""
    items = project.memo.get(MEMO_KEY)
    if items is None:
        items = project.memo[MEMO_KEY] = _Checker(project).run()
    return items


def describe(value: Any) -> str:
    """A value as a reader of the YAML file would name it."""
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return f"the string {json.dumps(shown, ensure_ascii=False)}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"a YAML {type(value).__name__} value"


def suggest(word: Any, choices: Iterable[str]) -> str | None:
    """The nearest choice: same letters in another case, a known alias, or difflib's closest."""
    if not isinstance(word, str):
        return None
    options = list(choices)
    lowered = {c.lower(): c for c in options}
    if word.lower() in lowered:
        return lowered[word.lower()]
    alias = KEY_ALIASES.get(word.lower())
    if alias in options:
        return alias
    close = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[close[0]] if close else None


def did_you_mean(word: Any, choices: Iterable[str]) -> str:
    found = suggest(word, choices)
    return f" (did you mean `{found}`?)" if found and found != word else ""


def flow(value: Any) -> str:
    """A value in YAML flow style, for "write `...`" advice."""
    try:
        return yaml.safe_dump(value, default_flow_style=True, width=10_000).strip().removesuffix("\n...")
    except yaml.YAMLError:
        return str(value)


def _as_whole_seconds(value: Any) -> int | None:
    """The number a wrongly typed startupTimeout meant: "60", "60s", 60.0, 60.5."""
    if isinstance(value, str):
        m = re.fullmatch(r"\s*(\d{1,9}(?:\.\d{1,9})?)\s*(?:s|sec|secs|seconds?)?\s*", value)
        return round(float(m.group(1))) if m else None
    if isinstance(value, float) and value == value and abs(value) < 1e9:
        return round(value)
    return None


def _clamp(value: int) -> int:
    low, high = STARTUP_TIMEOUT_RANGE
    return min(max(value, low), high)


def _is_integer(checker: Any, instance: Any) -> bool:
    # YAML's 60.0 is a float, and the platform reads the key as an integer: refuse what draft-07
    # would accept as a whole-valued number.
    return isinstance(instance, int) and not isinstance(instance, bool)


if TYPE_CHECKING:
    from jsonschema import Draft7Validator, ValidationError


def _validator(schema: dict[str, Any]) -> "Draft7Validator":
    # jsonschema is imported only when a leanengine.yaml is checked: it costs a tenth of a second
    # of start-up that most runs of a pre-commit hook do not need.
    from jsonschema import Draft7Validator
    from jsonschema.validators import extend

    global _Validator
    if _Validator is None:
        _Validator = extend(Draft7Validator, type_checker=Draft7Validator.TYPE_CHECKER.redefine("integer", _is_integer))
    return _Validator(schema)


_Validator: Any = None


def best_match(errors: Any) -> Any:
    # start-up: jsonschema loads only when leanengine.yaml is validated
    from jsonschema.exceptions import best_match as jsonschema_best_match

    return jsonschema_best_match(errors)


class _Checker:
    def __init__(self, project: Project) -> None:
        self.project = project
        self.doc: YamlDocument | None = project.leanengine
        self.items: list[_Item] = []
        self.schema = load_schema()

    def add(
        self, code: str, span: Span, message: str, severity: Severity | None = None, fix: Fix | None = None,
        hint: str = "",
    ) -> None:
        message, remedy = split_remedy(message)
        self.items.append(_Item(code, span, message, severity, fix, hint or remedy))

    def unquote_fix(self, path: tuple[Any, ...], text: str) -> Fix | None:
        """Replace a quoted scalar (`"60"`, `'true'`) by the bare `text` the key needs."""
        assert self.doc is not None
        node = self.doc.value_node(path)
        if not isinstance(node, yaml.ScalarNode) or node.style not in ("'", '"'):
            return None
        if node.start_mark.line != node.end_mark.line:
            return None
        return Fix(f"Write {text} without quotes", (Edit(LEANENGINE_YAML, node_span(node), text),))

    def at(self, *path: Any) -> Span:
        assert self.doc is not None
        return self.doc.span_of(tuple(path))

    def run(self) -> list[_Item]:
        doc = self.doc
        if doc is None:
            return []
        for problem in doc.problems:
            hint = ""
            if "mapping values are not allowed here" in problem.message:
                hint = "Quote a value that contains `: `."
            self.add("LE301", problem.span, f"{problem.message}: the platform reads no setting from it", hint=hint)
        if doc.problems:
            return self.items
        self.check_duplicates()
        data = doc.data
        if data is None:
            return self.items  # an empty file (or only comments): no settings, the defaults apply
        if not isinstance(data, dict):
            assert doc.node is not None
            self.add(
                "LE301",
                node_span(doc.node),
                f"leanengine.yaml is {describe(data)}, not `key: value` settings: the platform finds no setting in it",
            )
            return self.items
        self.check_unknown_keys()
        settings: dict[str, Any] = {}
        for key in KNOWN_KEYS:
            if key not in data:
                continue
            if data[key] is None:
                self.add(
                    "LE302",
                    self.at(key),
                    f"`{key}` has no value, so the platform treats it as not set",
                    Severity.WARNING,
                    hint="Give it a value, or delete the line.",
                )
            else:
                settings[key] = data[key]
        invalid = self.check_schema(settings)
        self.check_values(settings, set(settings) - invalid)
        return self.items

    # LE301 ------------------------------------------------------------------------------------------

    def check_duplicates(self) -> None:
        assert self.doc is not None
        groups: dict[tuple[str, int, int], list[Span]] = {}
        for key, first, repeated in self.doc.duplicates:
            groups.setdefault((key, first.line, first.column), [first]).append(repeated)
        for (key, _, _), spans in groups.items():
            lines = [s.line for s in spans]
            count = "twice" if len(spans) == 2 else f"{len(spans)} times"
            if len(set(lines)) == 1:
                times = f"{count} on line {lines[0]}"
            else:
                times = f"{count} (lines {', '.join(map(str, lines[:-1]))} and {lines[-1]})"
            for span in spans[1:]:
                self.add("LE301", span, f"`{key}` is given {times}: the platform's YAML parser keeps only one")

    # LE303 ------------------------------------------------------------------------------------------

    def check_unknown_keys(self) -> None:
        assert self.doc is not None
        root = self.doc.node
        if not isinstance(root, yaml.MappingNode):
            return
        present = {k.value for k, _ in root.value if isinstance(k, yaml.ScalarNode)}
        for key_node, _ in root.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = key_node.value
            if key in KNOWN_KEYS:
                continue
            found = suggest(key, KNOWN_KEYS)
            advice = f" (did you mean `{found}`?)" if found else ""
            span = node_span(key_node)
            fix = None
            if found and found not in present and key_node.start_mark.line == key_node.end_mark.line:
                # Safe: only the key's own text changes, and only to the one documented key it is
                # nearest to that the file does not set already; the setting then takes effect, which
                # is what the misspelt key meant.
                fix = Fix(f"Rename `{key}` to `{found}`", (Edit(LEANENGINE_YAML, span, found),))
            self.add(
                "LE303",
                span,
                f"`{key}` is not a leanengine.yaml key{advice}: the platform ignores it",
                fix=fix,
                hint="" if found else f"The known keys are {', '.join(KNOWN_KEYS)} (case-sensitive).",
            )

    # LE302 / LE304 from the schema ------------------------------------------------------------------

    def check_schema(self, settings: dict[str, Any]) -> set[str]:
        """Report schema errors; return the keys whose values are invalid."""
        by_key: dict[str, list["ValidationError"]] = {}
        for error in _validator(self.schema).iter_errors(settings):
            if error.absolute_path:
                by_key.setdefault(str(error.absolute_path[0]), []).append(error)
        for key, errors in by_key.items():
            if key in ("install", "build"):
                self.explain_steps(key, settings[key])
                continue
            by_path: dict[tuple[Any, ...], list["ValidationError"]] = {}
            for error in errors:
                by_path.setdefault(tuple(error.absolute_path), []).append(error)
            for path, group in by_path.items():
                # A wrong type makes every other keyword's complaint about the same value noise.
                typed = [e for e in group if e.validator == "type"]
                for error in typed[:1] or group:
                    self.explain(key, best_match([error]) or error)
        return set(by_key)

    def explain_steps(self, key: str, value: Any) -> None:
        """`install` / `build`: the value as a whole, or each step that is none of the three forms.

        The schema's anyOf of anyOfs makes jsonschema's best match name one failing branch of one
        step; a user needs each bad step named, in the words of the form it was meant to be."""
        if not isinstance(value, list):
            if isinstance(value, dict) and set(value) & set(STEP_KEYS):
                message = f"`{key}` takes a list of steps, not a single step: write `{key}: [{flow(value)}]`"
            else:
                message = (
                    f"`{key}` must be a shell command or a list of steps, not {describe(value)}: "
                    f"`{key}: [{{use: default}}]` keeps the runtime's own step, `{key}: []` skips it"
                )
            self.add("LE302", self.at(key), message)
            return
        step_validator = _validator({"$ref": "#/definitions/step", "definitions": self.schema["definitions"]})
        for index, step in enumerate(value):
            errors = list(step_validator.iter_errors(step))
            if not errors:
                continue
            before = len(self.items)
            self.explain_step(key, index, step)
            if len(self.items) == before:  # a form explain_step does not word: the schema's best match
                best = best_match(errors)
                assert best is not None
                self.add("LE302", self.at(key, index), f"step {index + 1} of `{key}`: {best.message}")

    def explain_step(self, key: str, index: int, step: Any) -> None:
        where = f"step {index + 1} of `{key}`"
        forms = "a shell command, `{use: default}` or `{require: [paths]}`"
        if step is None:
            self.add("LE302", self.at(key, index), f"{where} is empty: write {forms}, or delete the line")
            return
        if not isinstance(step, dict):
            self.add("LE302", self.at(key, index), f"{where} must be {forms}, not {describe(step)}")
            return
        known = [k for k in STEP_KEYS if k in step]
        if len(known) == 2:
            self.add(
                "LE302",
                self.at(key, index),
                f"{where} has both `use` and `require`; a step is one or the other: split it into two steps",
            )
            return
        if not known:
            odd = next(iter(step), None)
            if isinstance(odd, str) and " " in odd.strip() and len(step) == 1:
                command = odd if step[odd] is None else f"{odd}: {flow(step[odd])}"
                advice = f": quote a command that contains `: `, as in `- {json.dumps(command, ensure_ascii=False)}`"
            elif odd is not None and suggest(odd, STEP_KEYS):
                advice = f" (did you mean `{suggest(odd, STEP_KEYS)}` instead of `{odd}`?)"
            else:
                advice = ""
            self.add(
                "LE302",
                self.at(key, index),
                f"{where} is a mapping without `use` or `require`; the platform knows only {forms} steps{advice}",
            )
            return
        kind = known[0]
        for extra in step:
            if extra != kind:
                self.add("LE302", self.at(key, index, extra), f"`{extra}` is not a key of a `{kind}` step: remove it")
        arg = step[kind]
        if kind == "use" and arg != "default":
            if isinstance(arg, str):
                text = f"`use: {arg}` is not a step the platform knows{did_you_mean(arg, ['default'])}"
            else:
                text = f"`use` must be `default`, not {describe(arg)}"
            text += f": `{{use: default}}` runs the runtime's own {key} step"
            self.add("LE302", self.at(key, index, "use"), text)
        elif kind == "require":
            if isinstance(arg, str):
                self.add(
                    "LE302",
                    self.at(key, index, "require"),
                    f"`require` takes a list of paths, not a single string: write `require: [{flow(arg)}]`",
                )
            elif not isinstance(arg, list):
                text = f"`require` must be a list of paths, not {describe(arg)}"
                self.add("LE302", self.at(key, index, "require"), text)
            else:
                for j, path in enumerate(arg):
                    if not isinstance(path, str) or not path:
                        self.add(
                            "LE302",
                            self.at(key, index, "require", j),
                            f"`require` paths must be non-empty strings, not {describe(path)}",
                        )

    def explain(self, key: str, error: "ValidationError") -> None:
        path = tuple(error.absolute_path)
        value = error.instance
        kind = error.validator
        span = self.at(*path)
        text: str | None = None
        code = "LE302"
        fix: Fix | None = None
        hint = ""
        version = python_looking_runtime(value) if key == "runtime" and kind == "enum" else None
        if version is not None:
            # The project model analyzes it as Python (Project.python_applies): say so.
            text = (
                f"`{value}` is not a runtime the platform offers, so the build fails; lean-lint analyzed the "
                "project as Python"
            )
            where = f" and put the Python version (`{version}`) in .python-version" if version else ""
            hint = f"Write `runtime: python`{where}."
        elif key == "runtime":
            text = (
                f"`{value}` is not a runtime the platform offers{did_you_mean(value, RUNTIMES)}"
                if kind == "enum"
                else f"`runtime` must be a runtime name, not {describe(value)}"
            ) + f": use one of {', '.join(RUNTIMES)}"
        elif key == "run":
            text = f"`run` must be one shell command line (a string), not {describe(value)}"
            if isinstance(value, list) and value and all(isinstance(v, (str, int, float)) for v in value):
                text += f": write `run: {' '.join(str(v) for v in value)}`"
        elif key == "systemDependencies":
            text = self.system_dependency_message(value, kind, len(path))
        elif key == "buildRoot":
            text = f"`buildRoot` must be the path of a subdirectory (a string), not {describe(value)}"
        elif key in ("exposeEnvironmentsOnBuild", "installDevDependencies"):
            text = f"`{key}` must be true or false, not {describe(value)}"
            if isinstance(value, str) and value.strip().lower() in ("true", "false"):
                text += f": write `{key}: {value.strip().lower()}` without quotes"
                fix = self.unquote_fix(path, value.strip().lower())
        elif key == "startupTimeout":
            if kind in ("minimum", "maximum"):
                code = "LE304"
                low, high = STARTUP_TIMEOUT_RANGE
                text = f"startupTimeout is {value} seconds, but the platform accepts only {low} to {high}"
            else:
                seconds = _as_whole_seconds(value)
                text = f"startupTimeout must be an integer number of seconds, not {describe(value)}"
                if seconds is not None and _clamp(seconds) == seconds:
                    text += f": write `startupTimeout: {seconds}`"
                    if isinstance(value, str) and value.strip().isdigit():
                        fix = self.unquote_fix(path, str(seconds))
                else:
                    low, high = STARTUP_TIMEOUT_RANGE
                    text += f": write a whole number from {low} to {high}, e.g. `startupTimeout: 60`"
        elif key == "functionsMode":
            text = self.functions_mode_message(value, kind)
        elif key == "extraPorts":
            text = self.extra_ports_message(error, path)
            if kind == "additionalProperties":
                return  # extra_ports_message reported each unknown key at its own position
        if text is None:  # a keyword this module does not word yet: jsonschema's own sentence
            text = f"`{'.'.join(map(str, path))}`: {error.message}"
        elif key == "extraPorts" and path[-1] == "containerPort" and text.endswith("`"):
            fix = self.unquote_fix(path, str(value).strip())
        self.add(code, span, text, fix=fix, hint=hint)

    def system_dependency_message(self, value: Any, kind: str, depth: int) -> str:
        if depth == 1:
            text = f"`systemDependencies` must be a list, not {describe(value)}"
            if isinstance(value, str):
                text += f": write `systemDependencies: [{value}]`"
            return text
        offered = ", ".join(d for d in SYSTEM_DEPENDENCIES if d not in DEPRECATED_SYSTEM_DEPENDENCIES)
        if kind == "enum":
            return (
                f"`{value}` is not a system dependency the platform offers{did_you_mean(value, SYSTEM_DEPENDENCIES)}: "
                f"it offers {offered}"
            )
        return f"a system dependency must be a package name, not {describe(value)}: the platform offers {offered}"

    def functions_mode_message(self, value: Any, kind: str) -> str:
        unset = "or delete the line to let the platform try the SDK without aborting"
        if isinstance(value, bool):
            mode = "strict" if value else "disabled"
            return (
                f"`functionsMode` must be `strict` or `disabled`, not {describe(value)}: "
                f"write `functionsMode: {mode}`"
            )
        if kind == "enum" and isinstance(value, str):
            same = [m for m in FUNCTIONS_MODES if m == value.strip().lower()]
            hint = f" (did you mean `{same[0]}`?)" if same else ""
            return (
                f"`{value}` is not a functionsMode the platform knows{hint}: write `strict` (abort the deploy "
                f"unless the SDK is wired in) or `disabled`, {unset}"
            )
        return f"`functionsMode` must be `strict` or `disabled`, not {describe(value)}; {unset}"

    def extra_ports_message(self, error: "ValidationError", path: tuple[Any, ...]) -> str | None:
        value, kind = error.instance, error.validator
        if len(path) == 1:
            if kind == "maxItems":
                return f"`extraPorts` lists {len(value)} ports, but the platform allows at most {error.validator_value}"
            return f"`extraPorts` must be a list of `{{name, protocol, containerPort}}` mappings, not {describe(value)}"
        if len(path) == 2:
            if kind == "additionalProperties":
                for extra in value:
                    if extra not in PORT_KEYS:
                        self.add(
                            "LE302",
                            self.at(*path, extra),
                            f"`{extra}` is not a key of an extraPorts entry{did_you_mean(extra, PORT_KEYS)}: "
                            "an entry has name, protocol and containerPort",
                        )
                return None
            if kind == "required":
                return "this extraPorts entry has no `containerPort`: the platform needs the port the app listens on"
            return (
                "each extraPorts entry must be a mapping like `{name: game, protocol: tcp, containerPort: 4000}`, "
                f"not {describe(value)}"
            )
        field = path[2]
        if field == "protocol":
            advice = did_you_mean(value, ["tcp", "udp"])
            return f"extraPorts `protocol` must be `tcp` or `udp`, not {describe(value)}{advice}"
        if field == "containerPort":
            if kind in ("minimum", "maximum"):
                return f"extraPorts `containerPort` must be a port number from 1 to 65535, not {value}"
            text = f"extraPorts `containerPort` must be an integer, not {describe(value)}"
            if isinstance(value, str) and value.strip().isdigit() and 1 <= int(value) <= 65535:
                text += f": write `containerPort: {value.strip()}`"
            return text
        if field == "name":
            return f"extraPorts `name` must be a string, not {describe(value)}"
        return None

    # LE302: what the schema cannot say -------------------------------------------------------------

    def check_values(self, settings: dict[str, Any], valid: set[str]) -> None:
        """`settings`: every key with a value; `valid`: the keys whose values the schema accepted."""
        deps = settings.get("systemDependencies")
        for index, dep in enumerate(deps if isinstance(deps, list) else ()):
            if isinstance(dep, str) and dep in DEPRECATED_SYSTEM_DEPENDENCIES:
                self.add(
                    "LE302",
                    self.at("systemDependencies", index),
                    f"`{dep}` is deprecated and no longer maintained on the platform: "
                    "use `chrome-headless` for a headless browser instead",
                    Severity.WARNING,
                )
        if "buildRoot" in valid:
            self.check_build_root(settings["buildRoot"])
        for key in ("install", "build"):
            steps = settings.get(key)
            if not isinstance(steps, list):
                continue
            for index, step in enumerate(steps):
                if isinstance(step, dict) and set(step) == {"require"} and isinstance(step["require"], list):
                    for j, path in enumerate(step["require"]):
                        self.check_required_path(key, index, j, path)

    def check_build_root(self, value: str) -> None:
        """Report a buildRoot that is not a directory inside the project."""
        # As the project model reads it: surrounding blanks and slashes do not matter.
        rel = posixpath.normpath(value.strip().strip("/") or ".")
        if rel == ".":
            return
        project, where = self.project, self.at("buildRoot")
        escapes = rel == ".." or rel.startswith("../")
        if escapes or (not project.exists(rel) and os.path.lexists(project.abspath(rel))):
            self.add("LE302", where, f"buildRoot `{value}` points outside the project: it must be a subdirectory of it")
        elif not project.exists(rel):
            self.add(
                "LE302",
                where,
                f"buildRoot `{value}` does not exist in the project: the platform would find nothing to build there",
            )
        elif not os.path.isdir(project.abspath(rel)):
            self.add("LE302", where, f"buildRoot `{value}` is a file, not a directory: name the directory to build")

    def check_required_path(self, key: str, index: int, j: int, path: Any) -> None:
        """A `require` path must name something in the project. The docs do not say whether it is relative
        to the build root or the repository root: with a `buildRoot`, either one will do."""
        if not isinstance(path, str) or not path.strip():
            return
        where = self.at(key, index, "require", j)
        text = path.strip()
        if text.startswith("/"):
            self.add(
                "LE302",
                where,
                f"`require` path `{path}` is absolute: require names files of the project, relative to its build root",
            )
            return
        prefix = self.project.build_prefix  # "" when buildRoot is unset or unusable (reported above)
        bases = [prefix, ""] if prefix else [""]
        tried = []
        for base in bases:
            rel = posixpath.normpath(base + text)
            if rel == ".." or rel.startswith("../"):
                self.add("LE302", where, f"`require` path `{path}` points outside the project")
                return
            tried.append(rel)
            if self._exists(rel):
                return
        looked = " or ".join(f"`{t}`" for t in tried)
        self.add(
            "LE302",
            where,
            f"`require` path `{path}` does not exist in the project (looked for {looked}): "
            f"the {key} step would not find it",
        )

    def _exists(self, rel: str) -> bool:
        if not any(c in rel for c in "*?["):
            return self.project.exists(rel)
        pattern = os.path.join(glob.escape(str(self.project.root)), rel)
        return any(self.project.inside(Path(p)) for p in glob.iglob(pattern))


class _LeanengineYamlRule(ProjectRule):
    tags = ("leanengine.yaml",)

    def check(self, project: Project) -> None:
        for item in leanengine_findings(project):
            if item.code == self.code:
                self.report_at(
                    LEANENGINE_YAML, item.span, item.message, hint=item.hint, severity=item.severity, fix=item.fix
                )
