"""Baselines: adopt lean-lint on an existing project by recording today's findings.

A baseline keys each finding by rule, path and fingerprint (the flagged line's text and its
occurrence index), not by line number, so edits elsewhere in a file keep it valid. Findings in the
baseline are not reported; SARIF keeps them, marked suppressed with kind `external`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from analyzer import __version__
from analyzer.errors import ConfigError
from analyzer.readers.python import UnreadableFile, read_bytes
from analyzer.support.safecreate import Refused, replace_file

FORMAT = "lean-lint-baseline"


#: A baseline of 100,000 findings is about 15 MB; a larger file is no baseline lean-lint wrote.
MAX_BASELINE_BYTES = 64 * 1024 * 1024


def write_baseline(path: Path, findings) -> int:
    """Record `findings` in `path` (replaced whole, never written through a symlink); ConfigError
    when it cannot be written."""
    entries = sorted({(f.code, f.path, f.fingerprint) for f in findings})
    doc = {
        "format": FORMAT,
        "format_version": 1,
        "tool_version": __version__,
        "findings": [{"code": c, "path": p, "fingerprint": fp} for c, p, fp in entries],
    }
    try:
        replace_file(path, (json.dumps(doc, indent=2) + "\n").encode("utf-8"))
    except Refused as why:
        raise ConfigError(f"cannot write the baseline {path}: {why}") from None
    except OSError as exc:
        raise ConfigError(f"cannot write the baseline {path}: {exc.strerror or exc}") from None
    return len(entries)


def read_baseline(path: Path) -> set[tuple[str, str, str]]:
    try:
        data = read_bytes(path, MAX_BASELINE_BYTES)
    except UnreadableFile as why:
        if not os.path.lexists(path):
            raise ConfigError(f"{path}: no such baseline file (create one with --write-baseline)") from None
        raise ConfigError(f"{path}: cannot read the baseline: {why}") from None
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"{path}: not a lean-lint baseline: {exc}") from None
    except RecursionError:
        raise ConfigError(f"{path}: not a lean-lint baseline: nested too deeply") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT or not isinstance(doc.get("findings"), list):
        raise ConfigError(f"{path}: not a lean-lint baseline (expected {{\"format\": \"{FORMAT}\", ...}})")
    out = set()
    for item in doc["findings"]:
        if not isinstance(item, dict) or not all(isinstance(item.get(k), str) for k in ("code", "path", "fingerprint")):
            raise ConfigError(f"{path}: a baseline entry needs string code, path and fingerprint: {item!r}")
        out.add((item["code"], item["path"], item["fingerprint"]))
    return out
