"""Write analyzer/platform/stdlib_modules.json: the standard library's top-level module names of each
Python version lean-lint supports, read from real interpreters (data behind LE406).

    python scripts/gen_stdlib_modules.py /root/.pyenv/versions/*/bin/python --pypi-names pypi.tsv

Each interpreter is run with `-S -c` (no site, so no site-packages) and asked:
- Python 3.10 and later: `sys.stdlib_module_names` (CPython's own list, all platforms).
- older versions (2.7, 3.6-3.9) have no such list: `sys.builtin_module_names` plus every top-level
  module `pkgutil.iter_modules` finds on the interpreter's own `sys.path` entries under its prefix
  (lib/pythonX.Y, lib-dynload, and 2.7's plat-linux2 / lib-tk / lib-old), minus CPython's test-only
  modules (`test`, `_test*`, `xx*`, `_ctypes_test`, `_sysconfigdata_*`, `__hello__`, `__phello__`),
  plus the Windows and macOS modules that CPython ships on those platforms only (`_NOT_LINUX`; the
  same names 3.10's list has). On 3.10-3.13 this derivation gives `sys.stdlib_module_names` exactly,
  less those platform-only modules and the ones the build left out (`_dbm`, `_gdbm`).

`--pypi-names FILE` (a PyPI project names list, one name a line or the first column of a TSV)
records which of these names are also PyPI projects (`argparse`, `typing`, `dataclasses`
backports...): pip installs those, so LE406 does not report them.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "analyzer" / "platform" / "stdlib_modules.json"

_PROBE = r"""
import sys, os, pkgutil, json
names = getattr(sys, "stdlib_module_names", None)
how = "sys.stdlib_module_names"
if names is None:
    how = "sys.builtin_module_names + pkgutil"
    prefix = os.path.realpath(getattr(sys, "base_prefix", sys.prefix))
    paths = [p for p in sys.path if p and os.path.realpath(p).startswith(prefix)
             and "site-packages" not in p and not p.endswith(".zip")]
    names = set(sys.builtin_module_names)
    for m in pkgutil.iter_modules(paths):
        names.add(m[1])
sys.stdout.write(json.dumps({"version": "%d.%d" % sys.version_info[:2], "how": how, "names": sorted(names)}))
"""

_TEST_ONLY = re.compile(r"^(?:test|_test\w*|xx\w*|_xx\w*|_ctypes_test|_sysconfigdata_\w*|__hello__|__phello__)$")
_NOT_LINUX = {
    2: ("_winreg", "msvcrt", "nt", "winsound", "_msi", "msilib", "_scproxy"),
    3: ("winreg", "msvcrt", "nt", "winsound", "_msi", "msilib", "_winapi", "_overlapped", "_scproxy"),
}


def probe(python: str) -> dict:
    out = subprocess.run([python, "-S", "-c", _PROBE], check=True, capture_output=True, text=True).stdout
    data = json.loads(out)
    if data["how"] != "sys.stdlib_module_names":
        major = int(data["version"].split(".")[0])
        names = {n for n in data["names"] if not _TEST_ONLY.match(n)}
        names.update(n for n in _NOT_LINUX[major] if not (n == "msilib" and data["version"] >= "3.13"))
        data["names"] = sorted(names)
    return data


def pypi_names(path: Path) -> set[str]:
    out = set()
    with path.open(encoding="utf-8", errors="replace") as handle:
        for line in handle:
            name = line.split("\t", 1)[0].strip()
            out.add(re.sub(r"[-_.]+", "-", name.lower()))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pythons", nargs="+", help="interpreters to ask (one per version)")
    parser.add_argument("--pypi-names", type=Path, help="a list of PyPI project names")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    versions: dict[str, dict] = {}
    for python in args.pythons:
        data = probe(python)
        versions[data["version"]] = {"source": data["how"], "modules": data["names"]}
    ordered = dict(sorted(versions.items(), key=lambda kv: tuple(int(p) for p in kv[0].split("."))))
    every = {n for v in ordered.values() for n in v["modules"] if not n.startswith("_")}
    on_pypi: list[str] = []
    if args.pypi_names:
        known = pypi_names(args.pypi_names)
        on_pypi = sorted(n for n in every if re.sub(r"[-_.]+", "-", n.lower()) in known)
    doc = {
        "about": "Top-level standard library modules per Python version (scripts/gen_stdlib_modules.py).",
        "versions": ordered,
        "also_pypi_projects": on_pypi,
    }
    args.out.write_text(json.dumps(doc, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    print(f"{args.out}: {', '.join(ordered)}; {len(on_pypi)} names are also PyPI projects")


if __name__ == "__main__":
    main()
