"""Baselines: adopt lean-lint on an existing project by recording today's findings.

A baseline keys each finding by rule, path and fingerprint (the flagged line's text and its
occurrence index), not by line number, so edits elsewhere in a file keep it valid. Findings in the
baseline are not reported; SARIF keeps them, marked suppressed with kind `external`.
"""

from __future__ import annotations

import json
from pathlib import Path

from analyzer import __version__
from analyzer.errors import ConfigError

FORMAT = "lean-lint-baseline"


def write_baseline(path: Path, findings) -> int:
    entries = sorted({(f.code, f.path, f.fingerprint) for f in findings})
    doc = {
        "format": FORMAT,
        "format_version": 1,
        "tool_version": __version__,
        "findings": [{"code": c, "path": p, "fingerprint": fp} for c, p, fp in entries],
    }
    path.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    return len(entries)


def read_baseline(path: Path) -> set[tuple[str, str, str]]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such baseline file (create one with --write-baseline)") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"{path}: not a lean-lint baseline: {exc}") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT or not isinstance(doc.get("findings"), list):
        raise ConfigError(f"{path}: not a lean-lint baseline (expected {{\"format\": \"{FORMAT}\", ...}})")
    out = set()
    for item in doc["findings"]:
        if not isinstance(item, dict) or not all(isinstance(item.get(k), str) for k in ("code", "path", "fingerprint")):
            raise ConfigError(f"{path}: a baseline entry needs string code, path and fingerprint: {item!r}")
        out.add((item["code"], item["path"], item["fingerprint"]))
    return out
