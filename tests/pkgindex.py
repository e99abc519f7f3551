"""A local package index for `--resolve` tests: small wheels and sdists written on the spot, for pip's
`--find-links` (no network, nothing built: the wheels are empty packages with real metadata)."""

from __future__ import annotations

import io
import tarfile
import zipfile
from pathlib import Path


def wheel(folder: Path, name: str, version: str, requires: tuple[str, ...] = (), requires_python: str | None = None,
          tag: str = "py3-none-any") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    dist = name.replace("-", "_")
    info = f"{dist}-{version}.dist-info"
    meta = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
    if requires_python:
        meta += f"Requires-Python: {requires_python}\n"
    meta += "".join(f"Requires-Dist: {r}\n" for r in requires)
    path = folder / f"{dist}-{version}-{tag}.whl"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(f"{dist}/__init__.py", "")
        zf.writestr(f"{info}/METADATA", meta)
        zf.writestr(f"{info}/WHEEL", f"Wheel-Version: 1.0\nGenerator: lean-lint-tests\nRoot-Is-Purelib: true\nTag: {tag}\n")
        zf.writestr(f"{info}/RECORD", f"{dist}/__init__.py,,\n{info}/METADATA,,\n{info}/WHEEL,,\n{info}/RECORD,,\n")
    return path


def sdist(folder: Path, name: str, version: str) -> Path:
    """A source distribution (never built: `--resolve` gives pip wheels only)."""
    folder.mkdir(parents=True, exist_ok=True)
    dist = name.replace("-", "_")
    path = folder / f"{dist}-{version}.tar.gz"
    with tarfile.open(path, "w:gz") as tf:
        data = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n".encode()
        member = tarfile.TarInfo(f"{dist}-{version}/PKG-INFO")
        member.size = len(data)
        tf.addfile(member, io.BytesIO(data))
    return path


def fixture_index(folder: Path) -> Path:
    """The index of tests/test_resolve.py: one distribution per finding."""
    wheel(folder, "alpha", "1.0")
    wheel(folder, "alpha", "2.3.1")
    wheel(folder, "beta", "1.0", requires=("gamma<2",))
    wheel(folder, "delta", "1.0", requires=("gamma>=2",))
    wheel(folder, "gamma", "1.5")
    wheel(folder, "gamma", "2.0")
    wheel(folder, "onlynew", "1.0", requires_python=">=3.12")
    wheel(folder, "native", "1.0", tag="cp310-cp310-manylinux_2_17_x86_64.manylinux2014_x86_64")
    wheel(folder, "epsilon", "1.0", requires=("zeta>=5",))
    wheel(folder, "zeta", "1.0")
    wheel(folder, "eta", "1.0", requires=("nothere",))
    sdist(folder, "buildme", "0.5")
    sdist(folder, "TA-Lib", "0.4.28")
    return folder


def isolated_pip_env(index: Path) -> dict[str, str]:
    """Environment for the pip that `--resolve` runs: only the fixture index, no config files."""
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env.update(PIP_CONFIG_FILE=os.devnull, PIP_NO_INDEX="1", PIP_FIND_LINKS=str(index),
               PIP_DISABLE_PIP_VERSION_CHECK="1")
    return env
