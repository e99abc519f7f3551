"""The analysis cache: re-runs skip what has not changed.

One JSON file per analyzed project, in the user's cache directory (`$LEAN_LINT_CACHE_DIR`, else
`$XDG_CACHE_HOME/lean-lint`, else `~/.cache/lean-lint`): lean-lint never writes into the project it
analyzes. Everything is keyed by content (sha1 of file bytes), and the whole file by a "salt" of
lean-lint's own code (every module's path, size and mtime, so a new version or an edited rule starts
afresh), the config and the rule selection. Entries:

* `cheap`: per (file digest, target Python), the cheap pass (syntax error, imports, which rule
  keywords occur);
* `code`: per (file digest, digests of the project files it imports, runtime flags, rules, target
  Python), the findings of the code rules on that file;
* `project`: per project digest (every file's digest, or size and mtime for non-Python files, and
  the target Python), the findings of the project rules;
* `rules`: the rules' metadata, so a run answered wholly from the cache imports no rule module (and
  so not libcst).

A cache that cannot be read or parsed is ignored and rewritten; one that cannot be written is
skipped silently (the run's results do not depend on it). Only entries used by the run are saved.
The directory's size is capped, least recently used files first (analyzer/support/cachedir.py).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Any

from analyzer import __version__
from analyzer.model.first_pass import info_from_json
from analyzer.rules.base import Rule
from analyzer.support.cachedir import cache_home as _cache_home
from analyzer.support.cachedir import code_salt as _code_salt
from analyzer.support.cachedir import enforce_cap, touch
from analyzer.types import Edit, Finding, Fix, RelatedLocation, Severity, Span

CACHE_FORMAT = 1


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


def finding_from_json(d: dict) -> Finding:
    fix = None
    if "fix" in d:
        fx = d["fix"]
        fix = Fix(fx["description"], tuple(Edit(p, Span(*span), text) for p, span, text in fx["edits"]), fx["safe"])
    return Finding(
        code=d["code"],
        severity=Severity(d["severity"]),
        message=d["message"],
        path=d["path"],
        span=Span(*d["span"]),
        hint=d["hint"],
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

    def get_findings(self, table: str, key: str) -> list[Finding] | None:
        """Findings stored under `key`; a malformed entry is a miss (and is rewritten)."""
        value = self.get(table, key)
        if value is None:
            return None
        try:
            return [finding_from_json(d) for d in value]
        except (KeyError, TypeError, ValueError, AttributeError):
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

    @property
    def rules(self) -> Any:
        return self._old.get("rules")

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

    attrs = {k: v for k, v in meta.items() if k not in ("severity", "tags", "kind", "example")}
    attrs["example_text"] = classmethod(lambda cls: meta["example"])
    attrs["severity"] = Severity(meta["severity"])
    attrs["tags"] = tuple(meta["tags"])
    return type(f"Cached{meta['code']}", (Rule,), attrs)


__all__ = ["Cache", "asdict", "cache_home", "code_salt", "digest_bytes", "finding_from_json", "finding_to_json"]
