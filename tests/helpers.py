"""Shared test helpers: build a project in a temporary directory and analyze it."""

from __future__ import annotations

import dataclasses
import textwrap
from pathlib import Path
from typing import Mapping

from analyzer.readers.config import Config, from_table
from analyzer.engine.run import analyze
from analyzer.types import Report


def write_project(root: Path, files: Mapping[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            if content.startswith("\n"):
                content = textwrap.dedent(content[1:])
            path.write_text(content, encoding="utf-8")
    return root


def run(root: Path, select: tuple[str, ...] | None = None, config: Mapping | None = None,
        resolve: bool = False) -> Report:
    cfg = from_table(dict(config), "test config") if config else Config()
    if resolve:
        cfg = dataclasses.replace(cfg, resolve=True)
    return analyze(root, select=select, config=cfg)


def located(report: Report, code: str | None = None, with_message: bool = False) -> list[str]:
    out = []
    for f in report.active:
        if code is None or f.code == code:
            item = f"{f.path}:{f.line}:{f.column}"
            if with_message:
                item += f": {f.message}"
            out.append(item)
    return out
