"""Paths on the platform and in the project (REFERENCE.md: "The app's files")."""

from __future__ import annotations

#: The app's directory on the platform: the working directory, and where `__file__` lives.
APP_DIR = "/home/leanengine/app"


HOME_DIR = "/home/leanengine"


LEANENGINE_YAML = "leanengine.yaml"


LEANIGNORE = ".leanignore"
