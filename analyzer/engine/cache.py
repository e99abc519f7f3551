"""The analysis cache: re-runs skip what has not changed.

One JSON file per analyzed project, in the user's cache directory (`$LEAN_LINT_CACHE_DIR`, else
`$XDG_CACHE_HOME/lean-lint`, else `~/.cache/lean-lint`): lean-lint never writes into the project it
analyzes. Everything is keyed by content (sha1 of file bytes), and the whole file by a "salt" of
lean-lint's own code (every module's path, size and mtime, so a new version or an edited rule starts
afresh), the config and the rule selection. Entries:

* `cheap`: per (file digest, path, module name, target Python), the cheap pass (syntax error,
  imports, which rule keywords occur): the same bytes import different modules in two packages;
* `code`: per (file, rules, runtime flags, target Python, the project facts every rule may consult),
  the findings of the code rules on that file and the digest of every project file computing them read;
* `project`: per project digest (every file's digest, or size and mtime for non-Python files, and
  the target Python), the findings of the project rules and the digest of every file they read
  (`env/prod.txt` through `-r`, files under `buildRoot: build`: directories the tree signature prunes);
* `rules`: the rules' metadata, so a run answered wholly from the cache imports no rule module (and
  so not libcst).

Nothing read back is trusted: an entry is used only if its shape is right, every file it read still
has the digest it recorded, every rule code is one lean-lint has, and every path it names (findings,
fix edits) is a relative path inside the project; anything else is a miss and is rewritten. A cache
that cannot be read or parsed is ignored and rewritten; one that cannot be written is skipped
silently (the run's results do not depend on it). Only entries used by the run are saved.
The directory's size is capped, least recently used files first (analyzer/support/cachedir.py).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Any, Callable

from analyzer import __version__
from analyzer.model.first_pass import info_from_json
from analyzer.rules.base import Rule
from analyzer.support.cachedir import cache_home as _cache_home
from analyzer.support.cachedir import code_salt as _code_salt
from analyzer.support.cachedir import enforce_cap, touch
from analyzer.types import Edit, Finding, Fix, RelatedLocation, Severity, Span

CACHE_FORMAT = 2


def cache_home() -> Path:
    return Path(_cache_home())


def code_salt() -> str:
    """Changes whenever lean-lint's own code (or version) does."""
    return f"{__version__}:{_code_salt()}"


def digest_bytes(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


def finding_to_json(f: Finding) -> dict:
    d = {
        "code": f.code,
        "severity": int(f.severity),
        "message": f.message,
        "path": f.path,
        "span": [f.span.line, f.span.column, f.span.end_line, f.span.end_column],
        "hint": f.hint,
    }
    if f.fix is not None:
        d["fix"] = {
            "description": f.fix.description,
            "safe": f.fix.safe,
            "edits": [[e.path, [e.span.line, e.span.column, e.span.end_line, e.span.end_column], e.text] for e in f.fix.edits],
        }
    if f.related:
        d["related"] = [
            [r.path, [r.span.line, r.span.column, r.span.end_line, r.span.end_column], r.message] for r in f.related
        ]
    return d


def _span(value: Any) -> Span:
    line, column, end_line, end_column = value
    if not all(type(n) is int and n >= 1 for n in (line, column)) or not all(
        n is None or (type(n) is int and n >= 1) for n in (end_line, end_column)
    ):
        raise ValueError("a span of positive line and column numbers")
    return Span(line, column, end_line, end_column)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("not a string")
    return value


def finding_from_json(d: dict) -> Finding:
    """A finding read back from the cache; ValueError/TypeError/KeyError if any field has the wrong type."""
    fix = None
    if "fix" in d:
        fx = d["fix"]
        edits = tuple(Edit(_text(p), _span(span), _text(text)) for p, span, text in fx["edits"])
        fix = Fix(_text(fx["description"]), edits, bool(fx["safe"]))
    return Finding(
        code=_text(d["code"]),
        severity=Severity(d["severity"]),
        message=_text(d["message"]),
        path=_text(d["path"]),
        span=_span(d["span"]),
        hint=d["hint"] if d["hint"] is None else _text(d["hint"]),
        fix=fix,
        related=tuple(RelatedLocation(p, Span(*span), message) for p, span, message in d.get("related", ())),
    )


class Cache:
    def __init__(self, root: Path, salt: str) -> None:
        self.path = cache_home() / f"{hashlib.sha256(str(root).encode('utf-8', 'surrogateescape')).hexdigest()[:20]}.json"
        self.salt = salt
        self._old: dict[str, Any] = {"cheap": {}, "code": {}, "project": {}, "notices": {}, "rules": None}
        self._new: dict[str, Any] = {"cheap": {}, "code": {}, "project": {}, "notices": {}, "rules": None}
        self.hits = 0
        self.misses = 0
        self._dirty = False
        try:
            doc = json.loads(self.path.read_text(encoding="utf-8"))
            if (
                isinstance(doc, dict)
                and doc.get("format") == CACHE_FORMAT
                and doc.get("salt") == salt
                and all(isinstance(doc.get(k), dict) for k in ("cheap", "code", "project", "notices"))
            ):
                self._old = doc
                touch(self.path)  # its last use, for the cache directory's size cap
        except (OSError, ValueError, UnicodeDecodeError):
            pass  # no cache yet, or a corrupt one: start afresh

    def get(self, table: str, key: str, *, count: bool = True) -> Any:
        value = self._new[table].get(key)
        if value is None:
            value = self._old[table].get(key)
            if value is not None:
                self._new[table][key] = value
        if not count:
            return value
        if value is None:
            self.misses += 1
        else:
            self.hits += 1
        return value

    def get_findings(self, table: str, key: str, valid: Callable[[Finding], bool],
                     deps_ok: Callable[[dict], bool]) -> list[Finding] | None:
        """Findings stored under `key` with the digests of the files computing them read; an entry
        whose findings fail `valid`, whose files changed (`deps_ok`) or whose shape is wrong is a miss."""
        value = self.get(table, key)
        if value is None:
            return None
        try:
            deps = value["deps"]
            if not (isinstance(deps, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in deps.items())):
                raise ValueError("deps")
            findings = [finding_from_json(d) for d in value["findings"]]
            if all(valid(f) for f in findings) and deps_ok(deps):
                return findings
        except (KeyError, TypeError, ValueError, AttributeError):
            pass
        self.hits -= 1
        self.misses += 1
        self._new[table].pop(key, None)
        return None

    def get_cheap(self, key: str) -> dict | None:
        value = self.get("cheap", key)
        if value is None:
            return None
        try:
            info_from_json(value["info"])
            assert value["syntax_error"] is None or len(value["syntax_error"]) == 3
            assert value["unreadable"] is None or isinstance(value["unreadable"], str)
            assert isinstance(value["hits"], list)
            assert value.get("notice") is None or isinstance(value["notice"], str)
        except (KeyError, TypeError, ValueError, AssertionError, AttributeError):
            self.hits -= 1
            self.misses += 1
            self._new["cheap"].pop(key, None)
            return None
        return value

    def put(self, table: str, key: str, value: Any) -> None:
        self._new[table][key] = value
        self._dirty = True

    def rules(self, codes: frozenset[str]) -> list[dict] | None:
        """The stored rules' metadata, if it is exactly the rules lean-lint has (`codes`) in the
        shape rule_stub() takes; a damaged or shortened table is None (and is rewritten)."""
        value = self._old.get("rules")
        try:
            if not isinstance(value, list) or sorted(m["code"] for m in value) != sorted(codes):
                return None
            for meta in value:
                rule_stub(meta)
                if meta["kind"] not in ("code", "project"):
                    return None
                if meta["kind"] == "code" and not (
                    meta["scope"] in ("all", "runtime") and all(isinstance(k, str) for k in meta["keywords"])
                ):
                    return None
        except (KeyError, TypeError, ValueError, AttributeError):
            return None
        return value

    def set_rules(self, value: Any) -> None:
        self._new["rules"] = value
        self._dirty = True

    def save(self) -> None:
        """Write the entries this run used; nothing when the run changed nothing (a warm run)."""
        if not self._dirty and self.misses == 0:
            return
        doc = {"format": CACHE_FORMAT, "salt": self.salt, **self._new}
        if doc["rules"] is None:
            doc["rules"] = self._old.get("rules")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".tmp-", suffix=".json")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(doc, handle, separators=(",", ":"))
            os.replace(tmp, self.path)
            enforce_cap(self.path.parent, keep=self.path)
        except OSError:
            pass


def rule_metadata(rule: type) -> dict:
    return {
        "code": rule.code,
        "name": rule.name,
        "severity": int(rule.severity),
        "summary": rule.summary,
        "why": rule.why,
        "example": rule.example_text(),
        "fix": rule.fix,
        "tags": list(rule.tags),
        "security_severity": rule.security_severity,
        "kind": "code" if getattr(rule, "scope", None) else "project",
    }


def rule_stub(meta: dict) -> type:
    """A class with a rule's metadata and docs, for runs answered from the cache."""

    for name in ("code", "name", "summary", "why", "example", "fix"):
        if not isinstance(meta[name], str):
            raise TypeError(f"rule metadata {name!r} is not a string")
    attrs = {k: v for k, v in meta.items() if k not in ("severity", "tags", "kind", "example")}
    attrs["example_text"] = classmethod(lambda cls: meta["example"])
    attrs["severity"] = Severity(meta["severity"])
    attrs["tags"] = tuple(str(t) for t in meta["tags"])
    if "keywords" in meta:
        attrs["keywords"] = tuple(meta["keywords"])
    return type(f"Cached{meta['code']}", (Rule,), attrs)


__all__ = ["Cache", "asdict", "cache_home", "code_salt", "digest_bytes", "finding_from_json", "finding_to_json"]
